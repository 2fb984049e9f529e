package rawsocket_test

import (
	"bytes"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
)

func keepaliveOpts(interval, timeout time.Duration) *rawsocket.Options {
	return &rawsocket.Options{Codecs: []codec.Codec{codec.JSON()}, PingInterval: interval, PongTimeout: timeout}
}

// A peer that answers keeps the connection up for as long as it lasts; both
// sides may ping.
func TestKeepaliveAnsweredStaysUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, s := pair(t, keepaliveOpts(time.Second, time.Second),
			&rawsocket.ServerOptions{PingInterval: 3 * time.Second})
		time.Sleep(time.Hour)
		if c.Err() != nil || s.Err() != nil {
			t.Fatalf("ended: %v, %v", c.Err(), s.Err())
		}
		if err := s.Send(ctxT(t), &protocol.Event{Subscription: 1, Publication: 2, Details: protocol.Dict{}}); err != nil {
			t.Fatal(err)
		}
		recv(t, c)
	})
}

// A peer that reads but never answers ends the connection with
// ErrPingTimeout PingInterval + PongTimeout after the last sign of life;
// the PINGs carry 8-byte payloads.
func TestKeepaliveSilentPeerTimesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, peer := rawPeer(t, keepaliveOpts(2*time.Second, 3*time.Second), 15)
		got := drainPeer(peer)
		start := time.Now()
		<-c.Done()
		if d := time.Since(start); d != 5*time.Second {
			t.Fatalf("ended after %v, want 5s", d)
		}
		mustIs(t, "end", c.Err(), rawsocket.ErrPingTimeout)
		c.Close()
		peer.Close()
		if out := got(); !bytes.Equal(out, []byte{1, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1}) {
			t.Fatalf("peer got % x, want one PING #1", out)
		}
	})
}

// Data from the peer counts as a sign of life: a peer that keeps sending
// without answering PINGs is not timed out while it does.
func TestKeepaliveDataCountsAsLife(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, peer := rawPeer(t, keepaliveOpts(time.Second, 2*time.Second), 15)
		drainPeer(peer)
		for range 10 {
			time.Sleep(1500 * time.Millisecond)
			peer.Write(frame(0, []byte(`[36,1,2,{}]`)))
			recv(t, c)
		}
		if c.Err() != nil {
			t.Fatalf("ended: %v", c.Err())
		}
		time.Sleep(10 * time.Second)
		mustIs(t, "after the peer fell silent", c.Err(), rawsocket.ErrPingTimeout)
	})
}

// The PONG cannot arrive while the reader waits for a slow consumer to take
// a message: that time does not count against the peer.
func TestKeepaliveSlowConsumerIsNotATimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, s := pair(t, keepaliveOpts(time.Second, time.Second), nil)
		for i := range 3 {
			go s.Send(ctxT(t), &protocol.Event{Subscription: 1, Publication: protocol.ID(i + 1), Details: protocol.Dict{}})
		}
		time.Sleep(time.Minute) // nobody takes the messages
		if c.Err() != nil {
			t.Fatalf("ended: %v", c.Err())
		}
		for range 3 {
			recv(t, c)
		}
		time.Sleep(time.Minute)
		if c.Err() != nil {
			t.Fatalf("ended: %v", c.Err())
		}
	})
}
