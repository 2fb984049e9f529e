package e2ee_test

import (
	"fmt"
	"testing"

	"github.com/wampgo/wampgo/client/e2ee"
)

// BenchmarkSealOpen measures one Seal and one Open, the CPU end-to-end
// encryption adds to a message at both ends, per cipher and size.
func BenchmarkSealOpen(b *testing.B) {
	r := e2ee.NewKeyRing()
	r.Add("k", e2ee.GenerateKey())
	for _, size := range []int{100, 1 << 10, 16 << 10, 64 << 10} {
		plain := make([]byte, size)
		for _, c := range ciphers {
			b.Run(fmt.Sprintf("%dB/%s", size, c), func(b *testing.B) {
				b.SetBytes(int64(size))
				b.ReportAllocs()
				for b.Loop() {
					sealed, err := r.Seal(c, "k", plain)
					if err != nil {
						b.Fatal(err)
					}
					if _, err := r.Open(c, "k", sealed); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
