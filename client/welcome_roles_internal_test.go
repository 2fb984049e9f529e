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
