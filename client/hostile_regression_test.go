package client_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// Regression: the spec answers a protocol violation with ABORT, and so does the
// session loop for an undecodable frame (loop.go, run: the !ok branch);
// join (join.go, the !ok branch of its select) returns without sending one.
func TestHostileRegressionGarbageInsteadOfWelcomeNotAborted(t *testing.T) {
	j := clienttest.StartWith(t, wire)
	scripted.Expect[*protocol.Hello](j.Router)
	j.Raw.SendRaw(ctxT(t), []byte(`garbage`))
	j.Wait()
	rest := j.Router.WaitClosed()
	if len(rest) != 1 || rest[0].Type() != protocol.TypeAbort || rest[0].(*protocol.Abort).Reason != "wamp.error.protocol_violation" {
		t.Fatalf("after garbage during join the client sent %v, want ABORT protocol_violation", rest)
	}
}

// Regression: an event parked under the Block policy (the loop stops reading) is
// never delivered elsewhere nor dropped when its subscription is removed:
// removeSub / dropSubEntry close the mailbox, which never signals Space
// again, so the loop waits on Space forever and reads nothing more from
// the router. The UNSUBSCRIBED that would complete the Unsubscribe is
// never read; neither is any other reply. Fix: when a subscription is
// removed while s.parked.sub is it, resume the parked event at once
// (subscribe_loop.go: removeSub, dropSubEntry; loop.go: run).
func TestHostileRegressionParkedEventBlocksAfterUnsubscribe(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, j := clienttest.JoinedWith(t, wire)
		r := j.Router
		defer j.Stop()
		sub, _ := clienttest.Subscribe(t, c, r, "blk", 1, func(ctx context.Context, _ *client.Event) { <-ctx.Done() },
			client.OnOverflow(client.Block), client.MailboxLimits(client.Limits{MaxMessages: 1}))
		call, req := pendingCall(t, c, r)
		// 1 is being handled, 2 waits in the mailbox, 3 is parked.
		for i := 1; i <= 3; i++ {
			r.Send(&protocol.Event{Subscription: 1, Publication: protocol.ID(i), Details: protocol.Dict{}})
		}
		synctest.Wait()
		done := make(chan error, 1)
		go func() { done <- sub.Unsubscribe(context.Background()) }()
		u := scripted.Expect[*protocol.Unsubscribe](r)
		r.Send(&protocol.Unsubscribed{Request: u.Request})
		r.Send(&protocol.Result{Request: req, Details: protocol.Dict{}})
		synctest.Wait()
		select {
		case err := <-done:
			if err != nil {
				t.Fatalf("Unsubscribe = %v", err)
			}
		default:
			t.Fatal("Unsubscribe still waiting for UNSUBSCRIBED, which was sent: the reader is wedged")
		}
		if _, err := call.Await(context.Background()); err != nil {
			t.Fatalf("call = %v", err)
		}
	})
}

// Regression: Invocation.Inputs is documented to be "closed after the final chunk
// or when the invocation ends", but the session's end does not close it:
// loop.go shutdown only cancels each invocation (inv.cancel) where
// dropInvocation would also close inv.inputs. A handler ranging over
// Inputs, as TestProgressiveInvocationInputs's does, then never returns,
// so Done never closes and Close hangs until its context ends.
func TestHostileRegressionSessionEndLeavesInputsOpen(t *testing.T) {
	c, j := clienttest.JoinedWith(t, wire)
	r := j.Router
	unstick := make(chan struct{}) // lets the handler go after the test has failed
	defer close(unstick)
	started := make(chan struct{})
	clienttest.Register(t, c, r, "sum", 1, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		close(started)
		for {
			select {
			case _, ok := <-inv.Inputs():
				if !ok {
					return client.Result{}, nil
				}
			case <-unstick:
				return client.Result{}, nil
			}
		}
	})
	r.Send(&protocol.Invocation{Request: 6, Registration: 1, Details: protocol.Dict{"progress": true}})
	<-started
	r.Send(&protocol.Abort{Reason: "wamp.close.system_shutdown", Details: protocol.Dict{}})
	select {
	case <-c.Done():
	case <-time.After(2 * time.Second):
		t.Fatal("Done not closed: the handler still waits on Inputs after the session ended")
	}
}

// Regression: Subscribe and Register start the mailbox goroutines and count them
// in Client.handlers (ids.go trackMailbox: handlers.Add) before asking the
// loop, with no check that the session is still running. Called while the
// session ends, the Add races reap's handlers.Wait (client.go): a misuse of
// sync.WaitGroup that the race detector reports, that can panic ("WaitGroup
// is reused before previous Wait has returned"), and that lets goroutines
// of the client outlive Done. Run with -race.
func TestHostileRegressionSubscribeRacingSessionEnd(t *testing.T) {
	for range 20 {
		c, j := clienttest.JoinedWith(t, wire)
		r := j.Router
		// A live subscription, so that reap has to wait for a handler.
		clienttest.Subscribe(t, c, r, "live", 1, func(ctx context.Context, _ *client.Event) { <-ctx.Done() })
		r.Send(&protocol.Event{Subscription: 1, Publication: 1, Details: protocol.Dict{}})
		var wg sync.WaitGroup
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					_, err := c.Subscribe(context.Background(), "t", nopEvent)
					if errors.Is(err, client.ErrClosed) {
						return
					}
				}
			}()
		}
		// Answer every SUBSCRIBE with an error until the connection ends,
		// and end it meanwhile.
		go func() {
			for i := 0; ; i++ {
				m, ok := <-r.Transport().Receive()
				if !ok {
					return
				}
				if s, ok := m.(*protocol.Subscribe); ok {
					r.Transport().Send(context.Background(), &protocol.Error{RequestType: protocol.TypeSubscribe,
						Request: s.Request, Details: protocol.Dict{}, Error: "wamp.error.not_authorized"})
				}
				if i == 20 {
					r.Transport().Send(context.Background(), &protocol.Abort{Reason: "wamp.close.system_shutdown", Details: protocol.Dict{}})
				}
			}
		}()
		wg.Wait()
		j.Stop()
	}
}

// Regression: a REGISTERED that reuses the id of a registration the client holds
// is a protocol violation; the client only fails that Register call
// (register_loop.go handleRegister: "is already one of ours") and goes on,
// while the router believes the second procedure is registered: its
// INVOCATIONs then run the first procedure's handler. Every other router
// violation aborts the session.
func TestHostileRegressionDuplicateRegistrationIDNotAborted(t *testing.T) {
	c, j := clienttest.JoinedWith(t, wire)
	r := j.Router
	clienttest.Register(t, c, r, "first", 7, nopHandler)
	done := make(chan error, 1)
	go func() {
		_, err := c.Register(ctxT(t), "second", nopHandler)
		done <- err
	}()
	m := scripted.Expect[*protocol.Register](r)
	r.Send(&protocol.Registered{Request: m.Request, Registration: 7})
	expectViolationAbort(t, c, r)
	expectClosedByViolation(t, "second Register", <-done)
}

// Regression: a SUBSCRIBED that gives a SUBSCRIBE for topic B the id of the
// client's subscription to topic A is a protocol violation (a broker
// shares an id only between identical subscriptions); the client files the
// new handler under A's entry (subscribe_loop.go handleSubscribe: e :=
// s.subs[id] without checking e.topic), so B's handler receives A's events
// reported as topic A, and Unsubscribe(ctx, "B") finds nothing.
func TestHostileRegressionSubscriptionIDReusedForAnotherTopic(t *testing.T) {
	c, j := clienttest.JoinedWith(t, wire)
	r := j.Router
	clienttest.Subscribe(t, c, r, "com.a", 5, nopEvent)
	done := make(chan error, 1)
	go func() {
		_, err := c.Subscribe(ctxT(t), "com.b", nopEvent)
		done <- err
	}()
	m := scripted.Expect[*protocol.Subscribe](r)
	r.Send(&protocol.Subscribed{Request: m.Request, Subscription: 5})
	expectViolationAbort(t, c, r)
	expectClosedByViolation(t, "second Subscribe", <-done)
}

// Regression: INVOCATION.Details.timeout is converted with
// time.Duration(ms) * time.Millisecond (invocation_loop.go newInvocation),
// which overflows for ms > 2^63/10^6 (about 292 years): 18446744073710 ms
// wraps to 448384ns, and the handler's context ends at once with
// wamp.error.timeout. Clamp, or treat such values as no timeout.
func TestHostileRegressionInvocationTimeoutOverflow(t *testing.T) {
	c, j := clienttest.JoinedWith(t, wire)
	r := j.Router
	got := make(chan time.Duration, 1)
	clienttest.Register(t, c, r, "p", 1, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		got <- inv.Timeout
		return client.Result{}, nil
	})
	const ms = 18446744073710 // about 584 years; a valid id-sized integer
	r.Send(&protocol.Invocation{Request: 2, Registration: 1, Details: protocol.Dict{"timeout": int64(ms)}})
	scripted.Expect[*protocol.Yield](r)
	if d := <-got; d < 24*time.Hour {
		t.Fatalf("Invocation.Timeout = %v for %d ms", d, ms)
	}
}

// Regression (contract): handlers "may use the client freely" (Handler's doc), but
// Close waits until every handler has returned (reap: handlers.Wait), the
// calling one included, so Close from a handler always runs out its
// context, and with context.Background() never returns.
func TestHostileRegressionCloseFromHandler(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, j := clienttest.JoinedWith(t, wire)
		r := j.Router
		defer j.Stop()
		closed := make(chan error, 1)
		clienttest.Register(t, c, r, "shutdown", 1, func(ctx context.Context, _ *client.Invocation) (client.Result, error) {
			// Close's documented contract: from a handler, pass the
			// handler's context (or one derived from it).
			cctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			closed <- c.Close(cctx)
			return client.Result{}, nil
		})
		r.Send(&protocol.Invocation{Request: 2, Registration: 1, Details: protocol.Dict{}})
		scripted.Expect[*protocol.Goodbye](r)
		r.Send(&protocol.Goodbye{Reason: "wamp.close.goodbye_and_out", Details: protocol.Dict{}})
		start := time.Now()
		err := <-closed
		if err != nil {
			t.Fatalf("Close from a handler = %v after %v", err, time.Since(start))
		}
	})
}
