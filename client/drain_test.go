package client_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

func TestDrainFinishesTakenWorkThenSaysGoodbye(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		release := make(chan struct{})
		var handled atomic.Int32
		var ctxEnded atomic.Bool
		clienttest.Subscribe(t, c, r, "com.t", 20, func(ctx context.Context, ev *client.Event) {
			<-release
			if ctx.Err() != nil {
				ctxEnded.Store(true)
			}
			handled.Add(1)
		})
		clienttest.Register(t, c, r, "com.p", 30, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
			<-release
			if ctx.Err() != nil {
				ctxEnded.Store(true)
			}
			return client.Result{Args: protocol.List{"done"}}, nil
		})
		r.Send(&protocol.Event{Subscription: 20, Publication: 1, Details: protocol.Dict{}})
		r.Send(&protocol.Event{Subscription: 20, Publication: 2, Details: protocol.Dict{}})
		r.Send(&protocol.Invocation{Request: 5, Registration: 30, Details: protocol.Dict{}})
		synctest.Wait()

		drained := make(chan error, 1)
		go func() { drained <- c.Drain(context.Background()) }()
		u := scripted.Expect[*protocol.Unsubscribe](r)
		ur := scripted.Expect[*protocol.Unregister](r)
		if u.Subscription != 20 || ur.Registration != 30 {
			t.Fatalf("removed %d and %d, want 20 and 30", u.Subscription, ur.Registration)
		}
		// What the router sent before it took the removals in is still
		// handled.
		r.Send(&protocol.Event{Subscription: 20, Publication: 3, Details: protocol.Dict{}})
		r.Send(&protocol.Invocation{Request: 6, Registration: 30, Details: protocol.Dict{}})
		r.Send(&protocol.Unsubscribed{Request: u.Request, Details: protocol.Dict{}})
		r.Send(&protocol.Unregistered{Request: ur.Request, Details: protocol.Dict{}})
		// After them, nothing is.
		r.Send(&protocol.Event{Subscription: 20, Publication: 4, Details: protocol.Dict{}})
		r.Send(&protocol.Invocation{Request: 7, Registration: 30, Details: protocol.Dict{}})
		if e := scripted.Expect[*protocol.Error](r); e.Request != 7 || e.Error != "wamp.error.no_such_registration" {
			t.Fatalf("answer to a late invocation: %s", scripted.Describe(e))
		}
		if _, err := c.Subscribe(context.Background(), "com.other", func(context.Context, *client.Event) {}); !errors.Is(err, client.ErrDraining) {
			t.Fatalf("Subscribe while draining = %v, want ErrDraining", err)
		}
		if _, err := c.Register(context.Background(), "com.other", func(context.Context, *client.Invocation) (client.Result, error) {
			return client.Result{}, nil
		}); !errors.Is(err, client.ErrDraining) {
			t.Fatalf("Register while draining = %v, want ErrDraining", err)
		}
		synctest.Wait()
		select {
		case err := <-drained:
			t.Fatalf("Drain returned %v while handlers still work", err)
		default:
		}

		close(release)
		for _, want := range []protocol.ID{5, 6} {
			if y := scripted.Expect[*protocol.Yield](r); y.Request != want {
				t.Fatalf("YIELD for %d, want %d", y.Request, want)
			}
		}
		scripted.Expect[*protocol.Goodbye](r)
		r.Send(&protocol.Goodbye{Reason: "wamp.close.goodbye_and_out", Details: protocol.Dict{}})
		if err := <-drained; err != nil {
			t.Fatalf("Drain: %v", err)
		}
		if n := handled.Load(); n != 3 {
			t.Fatalf("%d events handled, want 3", n)
		}
		if ctxEnded.Load() {
			t.Fatal("a handler's context ended while the client drained")
		}
		if c.State() != client.StateClosed {
			t.Fatalf("State after Drain = %v", c.State())
		}
	})
}

func TestDrainBoundedByContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t, client.WithCloseTimeout(time.Second))
		var handled atomic.Int32
		clienttest.Subscribe(t, c, r, "com.t", 20, func(ctx context.Context, ev *client.Event) {
			<-ctx.Done() // stuck until the session ends
			handled.Add(1)
		})
		r.Send(&protocol.Event{Subscription: 20, Publication: 1, Details: protocol.Dict{}})
		r.Send(&protocol.Event{Subscription: 20, Publication: 2, Details: protocol.Dict{}})
		synctest.Wait()

		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		start := time.Now()
		drained := make(chan error, 1)
		go func() { drained <- c.Drain(ctx) }()
		u := scripted.Expect[*protocol.Unsubscribe](r)
		r.Send(&protocol.Unsubscribed{Request: u.Request, Details: protocol.Dict{}})
		scripted.Expect[*protocol.Goodbye](r) // after 3s: the router never answers
		err := <-drained
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("Drain = %v, want the deadline", err)
		}
		if d := time.Since(start); d != 4*time.Second {
			t.Fatalf("Drain took %v, want 3s of drain plus the 1s close timeout", d)
		}
		<-c.Done()
		if n := handled.Load(); n != 1 {
			t.Fatalf("%d events handled, want 1 (the queued one is dropped)", n)
		}
	})
}

func TestDrainFromHandlerRefused(t *testing.T) {
	c, r := clienttest.Joined(t)
	errs := make(chan error, 1)
	clienttest.Subscribe(t, c, r, "com.t", 20, func(ctx context.Context, ev *client.Event) { errs <- c.Drain(ctx) })
	r.Send(&protocol.Event{Subscription: 20, Publication: 1, Details: protocol.Dict{}})
	if err := <-errs; !errors.Is(err, client.ErrInvalidArgument) {
		t.Fatalf("Drain from a handler = %v, want ErrInvalidArgument", err)
	}
}

func TestDrainWithNothingToDrain(t *testing.T) {
	c, r := clienttest.Joined(t)
	go func() {
		scripted.Expect[*protocol.Goodbye](r)
		r.Send(&protocol.Goodbye{Reason: "wamp.close.goodbye_and_out", Details: protocol.Dict{}})
	}()
	if err := c.Drain(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if err := c.Drain(ctxT(t)); err != nil {
		t.Fatalf("second Drain: %v", err)
	}
}
