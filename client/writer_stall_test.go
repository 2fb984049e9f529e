package client_test

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// TestStalledWriterKeepsTheSessionAlive: a router that stops reading what
// the client writes, while it goes on sending. The session's writer falls
// behind and new requests wait, but results, events and interrupts keep
// being delivered and a call's cancel is processed.
func TestStalledWriterKeepsTheSessionAlive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, j := clienttest.JoinedWith(t, clienttest.Setup{Codec: codec.JSON(), Roles: scripted.RolesWith(nil, nil)}, client.WithWriteQueue(16<<10))
		r, rt := j.Router, j.Raw
		bg := context.Background()

		events := make(chan string, 1)
		subscribed := make(chan error, 1)
		go func() {
			_, err := c.Subscribe(bg, "com.t", func(_ context.Context, ev *client.Event) { events <- ev.Args[0].(string) })
			subscribed <- err
		}()
		scripted.Expect[*protocol.Subscribe](r)
		r.Send(&protocol.Subscribed{Request: 1, Subscription: 10})
		if err := <-subscribed; err != nil {
			t.Fatal(err)
		}
		interrupted := make(chan error, 1)
		registered := make(chan error, 1)
		go func() {
			_, err := c.Register(bg, "com.p", func(ctx context.Context, _ *client.Invocation) (client.Result, error) {
				<-ctx.Done()
				interrupted <- context.Cause(ctx)
				return client.Result{}, ctx.Err()
			})
			registered <- err
		}()
		scripted.Expect[*protocol.Register](r)
		r.Send(&protocol.Registered{Request: 2, Registration: 20})
		if err := <-registered; err != nil {
			t.Fatal(err)
		}
		answered := c.Call(bg, "com.a", nil, nil)
		a := scripted.Expect[*protocol.Call](r)
		ctxB, cancelB := context.WithCancel(bg)
		canceled := c.Call(ctxB, "com.b", nil, nil)
		scripted.Expect[*protocol.Call](r)

		// The router stops reading; a publisher fills the connection and
		// the session's write queue, then waits.
		var published atomic.Int64
		stopPub := make(chan struct{})
		pubDone := make(chan error, 1)
		big := protocol.List{strings.Repeat("x", 1024)}
		go func() {
			for {
				select {
				case <-stopPub:
					pubDone <- nil
					return
				default:
				}
				if _, err := c.Publish(bg, "com.flood", big, nil); err != nil {
					pubDone <- err
					return
				}
				published.Add(1)
			}
		}()
		synctest.Wait() // the publisher is blocked: the session takes no new work
		stalledAt := published.Load()
		if stalledAt == 0 {
			t.Fatal("nothing published")
		}

		// What the router sends still arrives.
		r.Send(&protocol.Event{Subscription: 10, Publication: 1, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"ev"}}})
		if got := <-events; got != "ev" {
			t.Fatalf("event %q", got)
		}
		r.Send(&protocol.Result{Request: a.Request, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"ok"}}})
		if res, err := answered.Await(bg); err != nil || res.Args[0] != "ok" {
			t.Fatalf("call answered while stalled: %v, %v", res, err)
		}
		r.Send(&protocol.Invocation{Request: 1, Registration: 20, Details: protocol.Dict{}})
		synctest.Wait()
		r.Send(&protocol.Interrupt{Request: 1, Options: protocol.Dict{}})
		if cause := <-interrupted; cause == nil {
			t.Fatal("handler not interrupted")
		}
		// A canceled call completes (the router has no call canceling).
		cancelB()
		if _, err := canceled.Await(bg); !errors.Is(err, client.ErrCanceled) {
			t.Fatalf("canceled call: %v", err)
		}
		synctest.Wait()
		if published.Load() != stalledAt {
			t.Fatal("the session took new work while its writer was stalled")
		}

		// The router reads again: everything queued is written, in order.
		close(stopPub)
		sawError := false
		for !sawError {
			switch m := r.Next().(type) {
			case *protocol.Publish:
			case *protocol.Error:
				if m.Request != 1 || m.RequestType != protocol.TypeInvocation {
					t.Fatalf("ERROR %+v", m)
				}
				sawError = true
			default:
				t.Fatalf("unexpected %s", scripted.Describe(m))
			}
		}
		go func() {
			for range rt.Receive() {
			}
		}()
		if err := <-pubDone; err != nil {
			t.Fatal(err)
		}
		rt.Close()
		c.Close(bg)
	})
}
