package wsconn_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// TestPingTimeoutLoopback: a peer that vanishes without a close frame (it
// keeps the TCP connection but never reads, so never answers a ping) is
// detected over a real socket.
func TestPingTimeoutLoopback(t *testing.T) {
	url := rawServer(t, &websocket.AcceptOptions{Subprotocols: []string{"wamp.2.json"}},
		func(ctx context.Context, c *websocket.Conn) { <-ctx.Done() })
	client := dial(t, url, &wsconn.Options{PingInterval: 50 * time.Millisecond, PongTimeout: 100 * time.Millisecond})
	if err := waitEnd(t, client); !errors.Is(err, wsconn.ErrPingTimeout) {
		t.Fatalf("Err = %v, want ErrPingTimeout", err)
	}
	if err := client.Send(context.Background(), sampleMessages()[0]); !errors.Is(err, wsconn.ErrPingTimeout) {
		t.Fatalf("Send after the timeout = %v, want ErrPingTimeout", err)
	}
}

// pipeServer returns a handler that accepts with coder/websocket over the
// pipe transport and hands the connection to the test.
func pipeServer(opts *websocket.AcceptOptions, conns chan<- *websocket.Conn) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := websocket.Accept(w, r, opts)
		if err != nil {
			panic(err)
		}
		conns <- c
	}
}

// TestPingTimeout: with fake time, a peer that neither reads nor answers
// is declared dead exactly PingInterval + PongTimeout after the start,
// even though the ping's write itself is stuck (net.Pipe has no buffer).
func TestPingTimeout(t *testing.T) {
	bothClients(t, func(t *testing.T, pipeDial pipeDialFunc) {
		conns := make(chan *websocket.Conn, 1)
		start := time.Now()
		client := pipeDial(t, pipeServer(&websocket.AcceptOptions{Subprotocols: []string{"wamp.2.json"}}, conns),
			&wsconn.Options{PingInterval: time.Second, PongTimeout: 3 * time.Second})
		server := <-conns
		<-client.Done()
		if got := time.Since(start); got != 4*time.Second {
			t.Errorf("ended after %v, want 4s", got)
		}
		if err := client.Err(); !errors.Is(err, wsconn.ErrPingTimeout) {
			t.Errorf("Err = %v, want ErrPingTimeout", err)
		}
		if err := client.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		server.CloseNow()
	})
}

// TestKeepalive: a responsive peer is pinged every PingInterval and the
// connection stays up.
func TestKeepalive(t *testing.T) {
	bothClients(t, func(t *testing.T, pipeDial pipeDialFunc) {
		var pings atomic.Int64
		conns := make(chan *websocket.Conn, 1)
		client := pipeDial(t, pipeServer(&websocket.AcceptOptions{
			Subprotocols:   []string{"wamp.2.json"},
			OnPingReceived: func(context.Context, []byte) bool { pings.Add(1); return true },
		}, conns), &wsconn.Options{PingInterval: time.Second, PongTimeout: time.Second})
		server := <-conns
		var wg sync.WaitGroup
		wg.Go(func() {
			for {
				if _, _, err := server.Read(context.Background()); err != nil {
					return
				}
			}
		})

		time.Sleep(10*time.Second + time.Second/2)
		if n := pings.Load(); n != 10 {
			t.Errorf("%d pings in 10.5s, want 10", n)
		}
		if err := client.Err(); err != nil {
			t.Errorf("Err = %v, want nil", err)
		}
		if err := client.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		wg.Wait()
	})
}

// TestKeepaliveSlowConsumer: a pong stuck behind messages that the session
// has not taken yet does not count as a dead peer.
func TestKeepaliveSlowConsumer(t *testing.T) {
	bothClients(t, func(t *testing.T, pipeDial pipeDialFunc) {
		conns := make(chan *websocket.Conn, 1)
		client := pipeDial(t, pipeServer(&websocket.AcceptOptions{Subprotocols: []string{"wamp.2.json"}}, conns),
			&wsconn.Options{Codecs: []codec.Codec{codec.JSON()}, PingInterval: time.Second, PongTimeout: time.Second})
		server := <-conns
		var wg sync.WaitGroup
		wg.Go(func() {
			for {
				if _, _, err := server.Read(context.Background()); err != nil {
					return
				}
			}
		})
		msgs := sampleMessages()
		wg.Go(func() {
			for _, m := range msgs {
				b, _ := codec.JSON().Encode(m)
				if err := server.Write(context.Background(), websocket.MessageText, b); err != nil {
					return
				}
			}
		})

		// The session is busy for 4 PongTimeouts: nothing reads Receive,
		// so the reader cannot read the pong. (Not longer: the server,
		// coder/websocket over an unbuffered pipe, gives up on a pong it
		// cannot write within 5s.)
		time.Sleep(4 * time.Second)
		if err := client.Err(); err != nil {
			t.Fatalf("Err = %v after a slow consumer, want nil", err)
		}
		for _, m := range msgs {
			got, ok := <-client.Receive()
			if !ok {
				t.Fatalf("Receive closed: %v", client.Err())
			}
			equalMessages(t, got, m)
		}
		time.Sleep(time.Minute)
		if err := client.Err(); err != nil {
			t.Fatalf("Err = %v, want nil", err)
		}
		if err := client.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		wg.Wait()
	})
}

// TestKeepaliveStopsAfterViolation: after a protocol violation the reader
// no longer reads pongs, so keepalive stops instead of declaring a
// timeout; the ABORT still goes out.
func TestKeepaliveStopsAfterViolation(t *testing.T) {
	bothClients(t, func(t *testing.T, pipeDial pipeDialFunc) {
		conns := make(chan *websocket.Conn, 1)
		client := pipeDial(t, pipeServer(&websocket.AcceptOptions{Subprotocols: []string{"wamp.2.json"}}, conns),
			&wsconn.Options{Codecs: []codec.Codec{codec.JSON()}, PingInterval: time.Second, PongTimeout: time.Second})
		server := <-conns
		frames := make(chan []byte, 4)
		var wg sync.WaitGroup
		wg.Go(func() {
			defer close(frames)
			for {
				_, b, err := server.Read(context.Background())
				if err != nil {
					return
				}
				frames <- b
			}
		})
		time.Sleep(time.Second / 2)
		wg.Go(func() { server.Write(context.Background(), websocket.MessageText, []byte("nonsense")) })
		<-client.Done()
		if !errors.Is(client.Err(), protocol.ErrProtocolViolation) {
			t.Fatalf("Err = %v", client.Err())
		}
		time.Sleep(time.Minute)
		abort := &protocol.Abort{Details: protocol.Dict{}, Reason: "wamp.error.protocol_violation"}
		if err := client.Send(context.Background(), abort); err != nil {
			t.Fatalf("Send(ABORT) after a violation and a minute: %v", err)
		}
		if err := client.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
		if !errors.Is(client.Err(), protocol.ErrProtocolViolation) {
			t.Fatalf("Err = %v", client.Err())
		}
		b := <-frames
		m, err := codec.JSON().Decode(b)
		if err != nil {
			t.Fatal(err)
		}
		equalMessages(t, m, abort)
		wg.Wait()
	})
}
