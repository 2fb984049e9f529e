package protocol

import (
	"math"
	"testing"
)

func TestIntValue(t *testing.T) {
	type r struct {
		neg bool
		mag uint64
		ok  bool
	}
	for _, tc := range []struct {
		v    any
		want r
	}{
		{int64(5), r{false, 5, true}},
		{int64(-5), r{true, 5, true}},
		{int64(math.MinInt64), r{true, 1 << 63, true}},
		{uint64(math.MaxUint64), r{false, math.MaxUint64, true}},
		{int(-2), r{true, 2, true}},
		{int32(-3), r{true, 3, true}},
		{int16(4), r{false, 4, true}},
		{int8(-8), r{true, 8, true}},
		{uint(9), r{false, 9, true}},
		{uint32(10), r{false, 10, true}},
		{uint16(11), r{false, 11, true}},
		{uint8(12), r{false, 12, true}},
		{1.0, r{}},
		{float32(1), r{}},
		{"1", r{}},
		{nil, r{}},
		{true, r{}},
	} {
		neg, mag, ok := intValue(tc.v)
		if got := (r{neg, mag, ok}); got != tc.want {
			t.Errorf("intValue(%#v) = %v, want %v", tc.v, got, tc.want)
		}
	}
}

func TestDescribe(t *testing.T) {
	type custom struct{}
	for _, tc := range []struct {
		v    any
		want string
	}{
		{nil, "null"}, {true, "bool"}, {"s", "string"}, {[]byte{}, "binary"},
		{[]any{}, "list"}, {map[string]any{}, "dict"}, {1.5, "float 1.5"},
		{float32(2), "float 2"}, {int64(-7), "integer -7"}, {uint8(7), "integer 7"},
		{custom{}, "protocol.custom"}, {[]string{}, "[]string"},
	} {
		if got := describe(tc.v); got != tc.want {
			t.Errorf("describe(%#v) = %q, want %q", tc.v, got, tc.want)
		}
	}
}

func TestRolesErrorDeterministic(t *testing.T) {
	roles := map[string]any{"z": 1, "a": true, "m": map[string]any{"features": 1}, "ok": map[string]any{}}
	for range 20 {
		if got, want := isRoles(roles), `role "a" must be a dict, got bool`; got != want {
			t.Fatalf("isRoles = %q, want %q", got, want)
		}
	}
}

// Every known type has an arity entry, and every arity entry a decoder.
func TestArityTableComplete(t *testing.T) {
	for code := range 128 {
		mt := MessageType(code)
		if _, ok := arity[mt]; ok != mt.Known() {
			t.Errorf("%s: arity entry %v, known %v", mt, ok, mt.Known())
		}
	}
}
