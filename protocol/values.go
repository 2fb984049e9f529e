package protocol

import (
	"fmt"
	"math"
)

// intValue reads v as an integer of any Go integer type, returning its sign
// and magnitude. Floats are never integers here, even integral ones: WAMP
// ids and integer options must arrive as integers.
func intValue(v any) (neg bool, mag uint64, ok bool) {
	switch n := v.(type) {
	case int64:
		return signed(n)
	case uint64:
		return false, n, true
	case int:
		return signed(int64(n))
	case int32:
		return signed(int64(n))
	case int16:
		return signed(int64(n))
	case int8:
		return signed(int64(n))
	case uint:
		return false, uint64(n), true
	case uint32:
		return false, uint64(n), true
	case uint16:
		return false, uint64(n), true
	case uint8:
		return false, uint64(n), true
	}
	return false, 0, false
}

func signed(n int64) (bool, uint64, bool) {
	if n < 0 {
		if n == math.MinInt64 {
			return true, 1 << 63, true
		}
		return true, uint64(-n), true
	}
	return false, uint64(n), true
}

// validID reports whether id lies in [1, MaxID].
func validID(id ID) bool { return id >= 1 && id <= MaxID }

// idValue reads v as a WAMP id, any integer in [1, MaxID] (see idNumber).
func idValue(v any) (ID, bool) {
	neg, mag, ok := idNumber(v)
	if !ok || neg || !validID(mag) {
		return 0, false
	}
	return mag, true
}

// AsID reads v, a value of a decoded message (an id in a details or options
// dict, say), as a WAMP id: an integer in [1, MaxID] of any Go integer type,
// or a float64 whose value is such an integer. It reports false for
// anything else.
//
// Floats are accepted because JavaScript has one number type: the
// MessagePack and CBOR libraries of JavaScript peers (msgpackr, cbor-x) write
// a whole number of 2^32 or more as a 64-bit float, so most ids a
// JavaScript router or peer sends arrive so.
func AsID(v any) (ID, bool) { return idValue(v) }

// idNumber is intValue for an id field: it also takes a float64 whose
// value is a whole number in [0, MaxID] (see AsID). Every such number is
// exact in a float64.
func idNumber(v any) (neg bool, mag uint64, ok bool) {
	if f, isFloat := v.(float64); isFloat {
		if f >= 0 && f <= float64(MaxID) && f == math.Trunc(f) {
			return false, uint64(f), true
		}
		return false, 0, false
	}
	return intValue(v)
}

// describe names the WAMP type of v for error reasons.
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case string:
		return "string"
	case []byte:
		return "binary"
	case []any:
		return "list"
	case map[string]any:
		return "dict"
	case float32, float64:
		return fmt.Sprintf("float %v", v)
	}
	if neg, mag, ok := intValue(v); ok {
		if neg {
			return fmt.Sprintf("integer -%d", mag)
		}
		return fmt.Sprintf("integer %d", mag)
	}
	return fmt.Sprintf("%T", v)
}

// idReason is the reason given for a value that is not a valid id.
func idReason(v any) string {
	return "must be an id (integer in [1, 2^53]), got " + describe(v)
}

func invalid(t MessageType, field, reason string) *ValidationError {
	return &ValidationError{Type: t, Field: field, Reason: reason}
}
