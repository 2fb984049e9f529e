package wsconn_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

func bigPublish(n int) *protocol.Publish {
	return &protocol.Publish{Request: 1, Options: protocol.Dict{}, Topic: "t",
		Payload: protocol.Payload{Args: protocol.List{strings.Repeat("x", n)}}}
}

// TestCloseDuringWriteStuckPeer: Close while a large message is being
// written to a peer that does not read returns after CloseTimeout, with
// the goroutines gone (goleak checks at the end) and no race.
func TestCloseDuringWriteStuckPeer(t *testing.T) {
	url := rawServer(t, &websocket.AcceptOptions{Subprotocols: []string{"wamp.2.json"}},
		func(ctx context.Context, c *websocket.Conn) { <-ctx.Done() })
	for _, lean := range []bool{true, false} {
		opts := &wsconn.Options{CloseTimeout: 100 * time.Millisecond}
		if lean {
			opts.NetDial = smallBufferDial
		} else {
			opts.HTTPClient = smallBuffers(t)
		}
		closeDuringWrite(t, dial(t, url, opts))
	}
}

func closeDuringWrite(t *testing.T, client *wsconn.Conn) {
	send(t, client, bigPublish(1<<20))
	closed := make(chan error, 1)
	go func() { closed <- client.Close() }()
	select {
	case err := <-closed:
		if err == nil {
			t.Fatal("Close = nil, want an error saying it was cut short")
		}
		t.Log(err)
	case <-time.After(bound):
		t.Fatal("Close hung")
	}
	if err := waitEnd(t, client); !errors.Is(err, protocol.ErrTransportClosed) {
		t.Fatalf("Err = %v, want ErrTransportClosed", err)
	}
}

// TestCloseDuringWrite: with fake time over an unbuffered pipe, Close in
// the middle of a write to a stuck peer takes exactly CloseTimeout.
func TestCloseDuringWrite(t *testing.T) {
	bothClients(t, func(t *testing.T, pipeDial pipeDialFunc) {
		conns := make(chan *websocket.Conn, 1)
		client := pipeDial(t, pipeServer(&websocket.AcceptOptions{Subprotocols: []string{"wamp.2.json"}}, conns),
			&wsconn.Options{Codecs: []codec.Codec{codec.JSON()}})
		server := <-conns
		send(t, client, bigPublish(1<<20))
		synctest.Wait() // the writer is blocked in the write
		start := time.Now()
		if err := client.Close(); err == nil {
			t.Error("Close = nil, want an error saying it was cut short")
		}
		if got := time.Since(start); got != wsconn.DefaultCloseTimeout {
			t.Errorf("Close took %v, want %v", got, wsconn.DefaultCloseTimeout)
		}
		server.CloseNow()
	})
}

// TestCloseFlushes: Close writes what Send accepted, even a large message
// in the middle of being written, before the close frame.
func TestCloseFlushes(t *testing.T) {
	srv := newAcceptServer(t, nil)
	client := dial(t, srv.url, &wsconn.Options{CloseTimeout: bound})
	server := srv.next(t)
	msgs := []protocol.Message{bigPublish(4 << 20), sampleMessages()[1], sampleMessages()[3]}
	for _, m := range msgs {
		send(t, client, m)
	}
	// The server's reader answers the close frame only once the test
	// took the messages before it, so Close runs beside the reading.
	closed := make(chan error, 1)
	go func() { closed <- client.Close() }()
	for _, m := range msgs {
		equalMessages(t, recv(t, server), m)
	}
	if err := <-closed; err != nil {
		t.Fatalf("Close: %v", err)
	}
	var ce *wsconn.CloseError
	if err := waitEnd(t, server); !errors.As(err, &ce) || ce.Code != websocket.StatusNormalClosure {
		t.Fatalf("server Err = %v, want close 1000", err)
	}
}

// TestConcurrentSend: many goroutines sending at once lose nothing, and
// each one's messages arrive in its order.
func TestConcurrentSend(t *testing.T) {
	const senders, each = 32, 200
	for _, cd := range codec.Default() {
		t.Run(cd.Name(), func(t *testing.T) {
			srv := newAcceptServer(t, nil)
			client := dial(t, srv.url, &wsconn.Options{Codecs: []codec.Codec{cd}, SendQueue: 4})
			server := srv.next(t)
			var wg sync.WaitGroup
			for g := range senders {
				wg.Go(func() {
					for i := range each {
						m := &protocol.Publish{Request: protocol.ID(g*each + i + 1), Options: protocol.Dict{},
							Topic: fmt.Sprintf("sender.%d", g)}
						if err := client.Send(context.Background(), m); err != nil {
							t.Errorf("Send: %v", err)
							return
						}
					}
				})
			}
			next := make([]int, senders) // next expected index per sender
			for range senders * each {
				p, ok := recv(t, server).(*protocol.Publish)
				if !ok {
					t.Fatal("not a PUBLISH")
				}
				g, i := int(p.Request-1)/each, int(p.Request-1)%each
				if p.Topic != fmt.Sprintf("sender.%d", g) || i != next[g] {
					t.Fatalf("sender %d: got message %d (%s), want %d", g, i, p.Topic, next[g])
				}
				next[g]++
			}
			wg.Wait()
		})
	}
}

// TestConcurrentSendAndClose: Sends racing with Close either succeed or
// report ErrTransportClosed; nothing hangs or races.
func TestConcurrentSendAndClose(t *testing.T) {
	srv := newAcceptServer(t, nil)
	client := dial(t, srv.url, nil)
	server := srv.next(t)
	var wg sync.WaitGroup
	wg.Go(func() {
		for range server.Receive() {
		}
	})
	for range 8 {
		wg.Go(func() {
			for {
				err := client.Send(context.Background(), sampleMessages()[1])
				if err != nil {
					if !errors.Is(err, protocol.ErrTransportClosed) {
						t.Errorf("Send = %v, want nil or ErrTransportClosed", err)
					}
					return
				}
			}
		})
	}
	time.Sleep(10 * time.Millisecond) // let the senders get going; not an assertion
	if err := client.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	wg.Wait()
}
