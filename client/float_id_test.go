package client_test

import (
	"context"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
)

// A JavaScript router on MessagePack (msgpackr, cbor-x) writes ids of 2^32
// and more as floats: the session reads them as the ids they are, and the
// event reaches its handler with its publisher.
func TestFloatIDsFromAJavaScriptRouter(t *testing.T) {
	c, j := clienttest.JoinedWith(t, clienttest.Setup{Codec: codec.MsgPack()})
	events := make(chan *client.Event, 1)
	clienttest.Subscribe(t, c, j.Router, "com.t", 5512315355, func(_ context.Context, ev *client.Event) { events <- ev })
	frame, err := msgpack.Marshal([]any{36, 5512315355.0, 4429313566.0, map[string]any{"publisher": 7177077077.0}, []any{"x"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Raw.SendRaw(ctxT(t), frame); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-events:
		if ev.Publication != 4429313566 || ev.Publisher != 7177077077 || ev.Args[0] != "x" {
			t.Fatalf("event %+v", ev)
		}
	case <-c.Done():
		t.Fatalf("session ended: %v", c.Err())
	}
}
