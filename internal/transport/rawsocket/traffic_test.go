package rawsocket_test

import (
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/connstate"
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
)

// Traffic counts the encoded messages each side writes and reads, and
// nothing else: not the frame prefixes, not the handshake, not the
// keepalive PINGs and PONGs of an hour, not a message refused for its
// length.
func TestTrafficCountsMessagePayloadsOnly(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cd := codec.JSON()
		var ct, st connstate.Traffic
		c, s := pair(t,
			&rawsocket.Options{Codecs: []codec.Codec{cd}, PingInterval: time.Second, Traffic: &ct},
			&rawsocket.ServerOptions{ReadLimit: 512, PingInterval: 3 * time.Second, Traffic: &st})
		time.Sleep(time.Hour)

		encode := func(m protocol.Message) []byte {
			b, err := cd.Encode(m)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		pub := &protocol.Publish{Request: 1, Options: protocol.Dict{}, Topic: "com.t", Payload: protocol.Payload{Args: protocol.List{"hello"}}}
		big := &protocol.Publish{Request: 2, Options: protocol.Dict{}, Topic: "com.t", Payload: protocol.Payload{Args: protocol.List{strings.Repeat("x", 600)}}}
		call := encode(&protocol.Call{Request: 3, Options: protocol.Dict{}, Procedure: "com.p"})
		ack := &protocol.Published{Request: 1, Publication: 99}

		if err := c.Send(ctxT(t), pub); err != nil {
			t.Fatal(err)
		}
		if err := c.Send(ctxT(t), big); !errors.Is(err, rawsocket.ErrMessageTooLarge) {
			t.Fatalf("a message over the peer's limit: %v", err)
		}
		if err := c.SendEncoded(ctxT(t), [][]byte{call}); err != nil {
			t.Fatal(err)
		}
		recv(t, s)
		recv(t, s)
		if err := s.Send(ctxT(t), ack); err != nil {
			t.Fatal(err)
		}
		recv(t, c)

		out := uint64(len(encode(pub)) + len(call))
		in := uint64(len(encode(ack)))
		for _, k := range []struct {
			name      string
			got, want uint64
		}{
			{"client BytesOut", ct.BytesOut.Load(), out},
			{"client BytesIn", ct.BytesIn.Load(), in},
			{"server BytesIn", st.BytesIn.Load(), out},
			{"server BytesOut", st.BytesOut.Load(), in},
		} {
			if k.got != k.want {
				t.Errorf("%s = %d, want %d", k.name, k.got, k.want)
			}
		}
		if c.Err() != nil || s.Err() != nil {
			t.Fatalf("ended: %v, %v", c.Err(), s.Err())
		}
	})
}
