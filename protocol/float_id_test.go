package protocol_test

import (
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

// JavaScript peers' MessagePack and CBOR libraries write whole numbers of
// 2^32 and more as floats: in an ID's place (a field or an id-valued
// option) such a float is the ID; any other float is refused.
func TestWholeNumberFloatIsAnID(t *testing.T) {
	const big = float64(1 << 53)
	msg, err := protocol.FromList(L{int64(36), 5512315355.0, big, D{"publisher": 4429313566.0}, L{1.5}})
	if err != nil {
		t.Fatal(err)
	}
	ev := msg.(*protocol.Event)
	if ev.Subscription != 5512315355 || ev.Publication != protocol.MaxID {
		t.Fatalf("ids %d %d", ev.Subscription, ev.Publication)
	}
	if id, ok := protocol.AsID(ev.Details["publisher"]); !ok || id != 4429313566 {
		t.Fatalf("publisher %v %v", id, ok)
	}
	if ev.Args[0] != 1.5 {
		t.Fatalf("a float in the payload is a float: %#v", ev.Args[0])
	}
	for _, bad := range []any{1.5, 0.0, -1.0, 2 * big} {
		if _, err := protocol.FromList(L{int64(36), bad, int64(1), D{}}); err == nil {
			t.Errorf("subscription id %v accepted", bad)
		}
		if id, ok := protocol.AsID(bad); ok {
			t.Errorf("AsID(%v) = %d", bad, id)
		}
	}
}
