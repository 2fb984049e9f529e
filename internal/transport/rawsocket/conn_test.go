package rawsocket_test

import (
	"bytes"
	"errors"
	"io"
	"net"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
)

var jsonOnly = &rawsocket.Options{Codecs: []codec.Codec{codec.JSON()}}

// Hostile frames from the peer: each ends the read side with a typed error
// matching protocol.ErrProtocolViolation, the messages before it are
// delivered, and Send still works (for the session's ABORT) until Close.
func TestHostileFramesEndReadSide(t *testing.T) {
	good := frame(0, []byte(`[36,1,2,{}]`))
	for _, tc := range []struct {
		name string
		in   []byte
		want []error
	}{
		{"reserved bits", []byte{0x40, 0, 0, 1, 'x'}, []error{rawsocket.ErrBadFrame}},
		{"reserved type 3", []byte{0x03, 0, 0, 1, 'x'}, []error{rawsocket.ErrBadFrame}},
		{"reserved type 7", []byte{0x07, 0, 0, 0}, []error{rawsocket.ErrBadFrame}},
		{"bit 25 with a length", []byte{0x08, 0, 0, 9}, []error{rawsocket.ErrBadFrame}},
		{"over our 1 KiB limit, not WAMP", frame(0, []byte(`{"a":"`+strings.Repeat("x", 1100)+`"}`)), []error{rawsocket.ErrMessageTooLarge, codec.ErrHeadUnreadable}},
		{"over our 1 KiB limit, unknown type", frame(0, []byte(`[99,"`+strings.Repeat("x", 1100)+`"]`)), []error{rawsocket.ErrMessageTooLarge, codec.ErrHeadUnreadable}},
		{"PING over the limit", []byte{0x01, 0, 4, 1}, []error{rawsocket.ErrMessageTooLarge}},
		{"PING the peer could not take back", frame(1, bytes.Repeat([]byte("p"), 600)), []error{rawsocket.ErrBadFrame}},
		{"garbage message", frame(0, []byte("\x00\xff garbage")), nil},
		{"empty message", frame(0, nil), nil},
		{"not WAMP", frame(0, []byte(`{"a":1}`)), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, peer := rawPeer(t, &rawsocket.Options{Codecs: []codec.Codec{codec.JSON()}, ReadLimit: 1024}, 0 /* the peer takes 512 B */)
			got := drainPeer(peer)
			go func() {
				peer.Write(good)
				peer.Write(tc.in)
			}()
			if m, ok := recv(t, c).(*protocol.Event); !ok || m.Publication != 2 {
				t.Fatalf("first message %+v", m)
			}
			err := waitEnd(t, c)
			mustIs(t, "end reason", err, append(tc.want, protocol.ErrProtocolViolation)...)
			if _, ok := <-c.Receive(); ok {
				t.Fatal("Receive still open")
			}
			abort := &protocol.Abort{Details: protocol.Dict{}, Reason: "wamp.error.protocol_violation"}
			if err := c.Send(ctxT(t), abort); err != nil {
				t.Fatalf("Send after the violation: %v", err)
			}
			if err := c.Close(); err != nil {
				t.Fatalf("Close: %v", err)
			}
			peer.Close()
			want := frame(0, []byte(`[3,{},"wamp.error.protocol_violation"]`))
			if out := got(); !bytes.Contains(out, want) {
				t.Fatalf("peer got % x, want the ABORT frame", out)
			}
		})
	}
}

// Every PING is answered at once with a PONG echoing its payload; an
// unsolicited PONG is ignored.
func TestPingIsAnsweredWithPong(t *testing.T) {
	c, peer := rawPeer(t, jsonOnly, 15)
	go func() {
		peer.Write(frame(2, []byte("unsolicited")))
		peer.Write(frame(1, []byte("hello")))
		peer.Write(frame(1, nil))
		peer.Write(frame(0, []byte(`[36,1,2,{}]`)))
	}()
	want := append(frame(2, []byte("hello")), frame(2, nil)...)
	buf := make([]byte, len(want))
	if _, err := io.ReadFull(peer, buf); err != nil || !bytes.Equal(buf, want) {
		t.Fatalf("got % x, %v; want % x", buf, err, want)
	}
	recv(t, c)
}

// The writer batches: frames queued while a write is in flight go out
// together in one write call, in order.
func TestWriterBatches(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cn, sn := net.Pipe()
		gate := &gatedConn{Conn: cn, open: make(chan struct{})}
		c, s := pairOn(t, gate, sn, &rawsocket.Options{Codecs: []codec.Codec{codec.JSON()}, SendQueue: 64}, nil)
		gate.arm()
		publish := func(i int) {
			if err := c.Send(ctxT(t), &protocol.Publish{Request: protocol.ID(i), Options: protocol.Dict{}, Topic: "com.t"}); err != nil {
				t.Error(err)
			}
		}
		publish(1) // the writer takes it and blocks in the write
		synctest.Wait()
		for i := 2; i <= 40; i++ {
			publish(i)
		}
		close(gate.open)
		for i := 1; i <= 40; i++ {
			if got := recv(t, s).(*protocol.Publish); got.Request != protocol.ID(i) {
				t.Fatalf("message %d has request %d", i, got.Request)
			}
		}
		if n := gate.writes(); n != 2 {
			t.Fatalf("%d write calls for 40 messages, want 2 (one, then the batch)", n)
		}
		// A lone message is written at once, in one call.
		publish(41)
		recv(t, s)
		if n := gate.writes(); n != 3 {
			t.Fatalf("%d write calls", n)
		}
	})
}

// gatedConn counts writes after arm; the first one waits for open.
type gatedConn struct {
	net.Conn
	open chan struct{}

	mu    sync.Mutex
	armed bool
	n     int
}

func (g *gatedConn) arm() {
	g.mu.Lock()
	g.armed = true
	g.mu.Unlock()
}

func (g *gatedConn) writes() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.n
}

func (g *gatedConn) Write(p []byte) (int, error) {
	g.mu.Lock()
	armed := g.armed
	if armed {
		g.n++
	}
	g.mu.Unlock()
	if armed {
		<-g.open
	}
	return g.Conn.Write(p)
}

// Close is idempotent, flushes what was queued, and is bounded by
// CloseTimeout when the peer reads nothing.
func TestCloseFlushesAndIsBounded(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, peer := rawPeer(t, &rawsocket.Options{Codecs: []codec.Codec{codec.JSON()}, CloseTimeout: 2 * time.Second}, 15)
		if err := c.Send(ctxT(t), &protocol.Goodbye{Details: protocol.Dict{}, Reason: "wamp.close.normal"}); err != nil {
			t.Fatal(err)
		}
		// Nobody reads the peer's end: the writer is stuck.
		start := time.Now()
		err := c.Close()
		if d := time.Since(start); d != 2*time.Second || err == nil {
			t.Fatalf("Close after %v: %v", d, err)
		}
		if err2 := c.Close(); err2 != err {
			t.Fatalf("second Close %v", err2)
		}
		mustIs(t, "Err", c.Err(), protocol.ErrTransportClosed)
		mustIs(t, "Send after Close", c.Send(ctxT(t), &protocol.Goodbye{Details: protocol.Dict{}, Reason: "x"}), protocol.ErrTransportClosed)
		peer.Close()
	})
	synctest.Test(t, func(t *testing.T) {
		c, peer := rawPeer(t, jsonOnly, 15)
		got := drainPeer(peer)
		for range 3 {
			if err := c.Send(ctxT(t), &protocol.Goodbye{Details: protocol.Dict{}, Reason: "wamp.close.normal"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
		if out := got(); bytes.Count(out, []byte("wamp.close.normal")) != 3 {
			t.Fatalf("peer got %q", out)
		}
	})
}

// The peer closing the stream ends the connection with ErrPeerClosed after
// the messages before it; a stream cut within a frame is not a clean end.
func TestPeerEnds(t *testing.T) {
	c, peer := rawPeer(t, jsonOnly, 15)
	go func() {
		peer.Write(frame(0, []byte(`[36,1,2,{}]`)))
		peer.Close()
	}()
	recv(t, c)
	err := waitEnd(t, c)
	mustIs(t, "end", err, rawsocket.ErrPeerClosed)
	mustIs(t, "Send", c.Send(ctxT(t), &protocol.Goodbye{Details: protocol.Dict{}, Reason: "x"}), rawsocket.ErrPeerClosed)

	c, peer = rawPeer(t, jsonOnly, 15)
	go func() {
		peer.Write([]byte{0, 0, 0, 10, '['})
		peer.Close()
	}()
	err = waitEnd(t, c)
	if errors.Is(err, rawsocket.ErrPeerClosed) || !errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, protocol.ErrProtocolViolation) {
		t.Fatalf("cut frame: %v", err)
	}
}

// Send refuses an unencodable message without ending the connection.
func TestSendUnencodable(t *testing.T) {
	c, s := pair(t, jsonOnly, nil)
	bad := &protocol.Publish{Request: 1, Options: protocol.Dict{}, Topic: "com.t", Payload: protocol.Payload{Args: protocol.List{make(chan int)}}}
	if err := c.Send(ctxT(t), bad); err == nil || !strings.Contains(err.Error(), "rawsocket: send") {
		t.Fatalf("Send: %v", err)
	}
	if err := c.Send(ctxT(t), &protocol.Publish{Request: 2, Options: protocol.Dict{}, Topic: "com.t"}); err != nil {
		t.Fatal(err)
	}
	recv(t, s)
}
