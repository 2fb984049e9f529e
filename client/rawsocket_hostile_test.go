package client_test

import (
	"context"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
)

// rawSender injects a frame that the router side does not encode.
type rawSender interface {
	SendRaw(ctx context.Context, payload []byte) error
}

// hostileJoin joins a client to a scripted router over one transport, the
// frames encoded with cd; both are closed when the test ends.
type hostileJoin func(t *testing.T, cd codec.Codec) (*client.Client, *scripted.Router, rawSender)

// forEachHostileTransport runs f over the in-memory pipe (memconn) and over
// RawSocket on an in-memory stream, each in a subtest.
func forEachHostileTransport(t *testing.T, f func(t *testing.T, join hostileJoin)) {
	t.Run("memconn", func(t *testing.T) {
		f(t, func(t *testing.T, cd codec.Codec) (*client.Client, *scripted.Router, rawSender) {
			c, j := clienttest.JoinedWith(t, clienttest.Setup{Codec: cd})
			return c, j.Router, j.Raw
		})
	})
	t.Run("rawsocket", func(t *testing.T) {
		f(t, func(t *testing.T, cd codec.Codec) (*client.Client, *scripted.Router, rawSender) {
			c, r, raw := joinRawSocket(t, cd, 0)
			return c, r, raw
		})
	})
}

// joinRawSocket joins a client to a scripted router over RawSocket on
// net.Pipe, with codec cd on both sides and the client announcing
// readLimit (0: the default); both are closed when the test ends. The
// router side is a *rawsocket.Conn, for SendRaw and SendBytes.
func joinRawSocket(t *testing.T, cd codec.Codec, readLimit int64, opts ...client.Option) (*client.Client, *scripted.Router, *rawsocket.Conn) {
	t.Helper()
	tr := clienttest.Transport{RawSocket: cd, ReadLimit: readLimit}
	c, j := clienttest.JoinedWith(t, clienttest.Setup{Transport: tr}, opts...)
	raw, ok := j.Router.Transport().(*rawsocket.Conn)
	if !ok {
		t.Fatalf("the router's end is a %T, not a *rawsocket.Conn", j.Router.Transport())
	}
	return c, j.Router, raw
}

// RawSocket frames that break the transport protocol: the client answers
// ABORT protocol_violation, ends the session and fails what was pending, as
// for an undecodable message.
func TestRawSocketHostileFramesAbort(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   []byte
	}{
		{"reserved bits in the prefix", []byte{0x40, 0, 0, 1, 'x'}},
		{"reserved frame type 5", []byte{0x05, 0, 0, 0}},
		{"length bit 25 with a length", []byte{0x08, 0, 0, 1}},
		{"message over the client's 1 KiB limit, not WAMP", messageFrame(`{"a":"` + strings.Repeat("x", 1100) + `"}`)},
		{"PING over the client's limit", []byte{0x01, 0, 4, 1}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, r, raw := joinRawSocket(t, codec.JSON(), 1024)
			call, _ := pendingCall(t, c, r)
			if err := raw.SendBytes(ctxT(t), tc.in); err != nil {
				t.Fatal(err)
			}
			expectViolationAbort(t, c, r)
			_, err := await(t, call)
			expectClosedByViolation(t, "pending call", err)
		})
	}
}

// A router's PING (any payload the router itself accepts back) is
// answered by the transport and costs the session nothing; so does an
// unsolicited PONG.
func TestRawSocketRouterPingIsHarmless(t *testing.T) {
	c, r, raw := joinRawSocket(t, codec.MsgPack(), 0)
	call, req := pendingCall(t, c, r)
	for _, b := range [][]byte{{0x01, 0, 0, 3, 'a', 'b', 'c'}, {0x02, 0, 0, 1, 'z'}, {0x01, 0, 0, 0}} {
		if err := raw.SendBytes(ctxT(t), b); err != nil {
			t.Fatal(err)
		}
	}
	r.Send(&protocol.Result{Request: req, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"ok"}}})
	res, err := await(t, call)
	if err != nil || res.Args[0] != "ok" {
		t.Fatalf("call: %+v %v", res, err)
	}
}

// messageFrame is a RawSocket message frame carrying payload.
func messageFrame(payload string) []byte {
	n := len(payload)
	return append([]byte{0, byte(n >> 16), byte(n >> 8), byte(n)}, payload...)
}
