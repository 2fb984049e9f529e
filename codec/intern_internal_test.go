package codec

import (
	"math"
	"testing"
)

// An intCache returns every integer as itself, whatever it evicts, and
// boxes a repeated one once.
func TestIntCacheValues(t *testing.T) {
	var c intCache
	for i := range 5000 {
		for _, v := range []int64{int64(i)*7919 - 100000, math.MinInt64 + int64(i), math.MaxInt64 - int64(i)} {
			if got := c.value(v); got != any(v) {
				t.Fatalf("value(%d) = %#v", v, got)
			}
		}
	}
	if got := c.uint(math.MaxUint64); got != any(uint64(math.MaxUint64)) {
		t.Fatalf("uint(MaxUint64) = %#v", got)
	}
	if got := c.uint(1 << 40); got != any(int64(1<<40)) {
		t.Fatalf("uint(1<<40) = %#v", got)
	}
	c.value(123456789)
	if n := testing.AllocsPerRun(100, func() { c.value(123456789) }); n != 0 {
		t.Fatalf("a repeated integer allocates %v times", n)
	}
}
