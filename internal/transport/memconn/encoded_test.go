package memconn_test

import (
	"context"
	"errors"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/memconn"
	"github.com/wampgo/wampgo/protocol"
)

// SendEncoded delivers encoded frames as messages, in order, on both kinds
// of pair; an undecodable frame ends the peer's read side.
func TestSendEncoded(t *testing.T) {
	ctx := context.Background()
	for name, mk := range pairs() {
		t.Run(name, func(t *testing.T) {
			a, b := mk()
			defer a.Close()
			cd, _ := codec.ByName(a.Serializer())
			var frames [][]byte
			for i := range 3 {
				f, err := cd.Encode(&protocol.Publish{Request: protocol.ID(i + 1), Options: protocol.Dict{}, Topic: "com.t"})
				if err != nil {
					t.Fatal(err)
				}
				frames = append(frames, f)
			}
			if err := a.SendEncoded(ctx, frames); err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				if m := (<-b.Receive()).(*protocol.Publish); m.Request != protocol.ID(i+1) {
					t.Fatalf("message %d: %+v", i, m)
				}
			}
			if err := a.SendEncoded(ctx, [][]byte{[]byte("\x00not a message")}); err != nil {
				t.Fatal(err)
			}
			<-b.Done()
			if !errors.Is(b.Err(), protocol.ErrProtocolViolation) {
				t.Fatalf("peer Err = %v", b.Err())
			}
		})
	}
	a, _ := memconn.Pipe("no-such-codec")
	if err := a.SendEncoded(ctx, [][]byte{{1}}); err == nil {
		t.Fatal("SendEncoded without a codec succeeded")
	}
}
