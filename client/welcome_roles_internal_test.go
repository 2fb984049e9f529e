package client

import (
	"reflect"
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

// Sessions whose WELCOMEs announce equal roles hold one roles dict; other
// roles are kept as received.
func TestWelcomeRolesAreShared(t *testing.T) {
	roles := func(feature bool) protocol.Dict {
		return protocol.Dict{"dealer": protocol.Dict{"features": protocol.Dict{"call_canceling": feature}}}
	}
	a := sessionFromWelcome("r", &protocol.Welcome{Session: 1, Details: protocol.Dict{"authid": "a", "roles": roles(true)}})
	b := sessionFromWelcome("r", &protocol.Welcome{Session: 2, Details: protocol.Dict{"authid": "b", "roles": roles(true)}})
	ra, rb := a.Details["roles"].(protocol.Dict), b.Details["roles"].(protocol.Dict)
	if reflect.ValueOf(ra).UnsafePointer() != reflect.ValueOf(rb).UnsafePointer() {
		t.Fatal("equal roles are not shared")
	}
	if b.AuthID != "b" || !b.HasFeature("dealer", "call_canceling") {
		t.Fatalf("session b: %+v", b)
	}
	c := sessionFromWelcome("r", &protocol.Welcome{Session: 3, Details: protocol.Dict{"roles": roles(false)}})
	if c.HasFeature("dealer", "call_canceling") {
		t.Fatal("other roles were replaced by the shared ones")
	}
}

// equalValues agrees with reflect.DeepEqual on decoded values.
func TestEqualValuesIsDeepEqual(t *testing.T) {
	type other struct{ X int }
	values := []any{
		nil, "a", "b", true, false, int64(1), int64(2), uint64(1), float64(1), 1,
		protocol.Dict{}, protocol.Dict(nil), protocol.List{}, protocol.List(nil),
		protocol.Dict{"a": int64(1)}, protocol.Dict{"a": uint64(1)}, protocol.Dict{"b": int64(1)},
		protocol.Dict{"a": int64(1), "b": nil}, protocol.Dict{"a": protocol.List{"x", true}},
		protocol.Dict{"a": protocol.List{"x", false}}, protocol.List{int64(1), "x"},
		protocol.List{int64(1)}, protocol.List{protocol.Dict{"k": "v"}}, protocol.List{nil},
		other{1}, other{2}, []byte("x"),
	}
	for _, a := range values {
		for _, b := range values {
			if got, want := equalValues(a, b), reflect.DeepEqual(a, b); got != want {
				t.Errorf("equalValues(%#v, %#v) = %v, reflect.DeepEqual says %v", a, b, got, want)
			}
		}
		// A copy is equal.
		if d, ok := a.(protocol.Dict); ok && d != nil {
			c := protocol.Dict{}
			for k, v := range d {
				c[k] = v
			}
			if !equalValues(d, c) {
				t.Errorf("equalValues(%#v, its copy) = false", d)
			}
		}
	}
}
