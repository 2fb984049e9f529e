package auth

import (
	"fmt"
	"math"

	"github.com/wampgo/wampgo/protocol"
)

// extraString returns d[key] as a string.
func extraString(d protocol.Dict, key string) (string, bool) {
	s, ok := d[key].(string)
	return s, ok
}

// extraInt returns d[key] as an int, accepting every integer type and
// integral floats (what the codecs may produce), within int's range.
func extraInt(d protocol.Dict, key string) (int, bool) {
	switch n := d[key].(type) {
	case int:
		return n, true
	case int64:
		if n < math.MinInt || n > math.MaxInt {
			return 0, false
		}
		return int(n), true
	case int32:
		return int(n), true
	case uint64:
		if n > math.MaxInt {
			return 0, false
		}
		return int(n), true
	case uint32:
		return int(n), true
	case float64:
		if n != math.Trunc(n) || n < math.MinInt32 || n > math.MaxInt32 {
			return 0, false
		}
		return int(n), true
	}
	return 0, false
}

// badChallenge reports a CHALLENGE field that is missing or malformed.
func badChallenge(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadChallenge}, args...)...)
}
