package client_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// Well-formed messages that no correct router sends in this state.
func TestHostileOutOfStateMessagesAbort(t *testing.T) {
	for _, tc := range []struct {
		name string
		// script drives the router; it returns what it left pending.
		script func(t *testing.T, c *client.Client, r *scripted.Router) (pending func() error)
	}{
		{"second RESULT for a completed call", func(t *testing.T, c *client.Client, r *scripted.Router) func() error {
			call, req := pendingCall(t, c, r)
			r.Send(&protocol.Result{Request: req, Details: protocol.Dict{}})
			if _, err := await(t, call); err != nil {
				t.Fatal(err)
			}
			r.Send(&protocol.Result{Request: req, Details: protocol.Dict{}})
			return nil
		}},
		{"progressive RESULT after the final one", func(t *testing.T, c *client.Client, r *scripted.Router) func() error {
			call, req := pendingCall(t, c, r, client.ReceiveProgress())
			r.Send(&protocol.Result{Request: req, Details: protocol.Dict{}})
			if _, err := await(t, call); err != nil {
				t.Fatal(err)
			}
			r.Send(&protocol.Result{Request: req, Details: protocol.Dict{"progress": true}})
			return nil
		}},
		{"ERROR after RESULT", func(t *testing.T, c *client.Client, r *scripted.Router) func() error {
			call, req := pendingCall(t, c, r)
			r.Send(&protocol.Result{Request: req, Details: protocol.Dict{}})
			if _, err := await(t, call); err != nil {
				t.Fatal(err)
			}
			r.Send(&protocol.Error{RequestType: protocol.TypeCall, Request: req, Details: protocol.Dict{}, Error: "com.late"})
			return nil
		}},
		{"RESULT before its CALL", func(t *testing.T, c *client.Client, r *scripted.Router) func() error {
			// The pending call is request 1; 2 is the next one the client
			// will use.
			r.Send(&protocol.Result{Request: 2, Details: protocol.Dict{}})
			return nil
		}},
		{"RESULT for a request that is not a CALL", func(t *testing.T, c *client.Client, r *scripted.Router) func() error {
			done := make(chan error, 1)
			go func() {
				_, err := c.Subscribe(ctxT(t), "t", nopEvent)
				done <- err
			}()
			m := scripted.Expect[*protocol.Subscribe](r)
			r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
			return func() error { return <-done }
		}},
		{"second REGISTERED", func(t *testing.T, c *client.Client, r *scripted.Router) func() error {
			done := make(chan error, 1)
			go func() {
				_, err := c.Register(ctxT(t), "p", nopHandler)
				done <- err
			}()
			m := scripted.Expect[*protocol.Register](r)
			r.Send(&protocol.Registered{Request: m.Request, Registration: 7})
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			r.Send(&protocol.Registered{Request: m.Request, Registration: 8})
			return nil
		}},
		{"SUBSCRIBED for a request never made", func(t *testing.T, c *client.Client, r *scripted.Router) func() error {
			r.Send(&protocol.Subscribed{Request: 77, Subscription: 1})
			return nil
		}},
		{"REGISTERED answering a SUBSCRIBE", func(t *testing.T, c *client.Client, r *scripted.Router) func() error {
			done := make(chan error, 1)
			go func() {
				_, err := c.Subscribe(ctxT(t), "t", nopEvent)
				done <- err
			}()
			m := scripted.Expect[*protocol.Subscribe](r)
			r.Send(&protocol.Registered{Request: m.Request, Registration: 1})
			return func() error { return <-done }
		}},
		{"PUBLISHED for an unacknowledged PUBLISH", func(t *testing.T, c *client.Client, r *scripted.Router) func() error {
			if _, err := c.Publish(ctxT(t), "t", nil, nil); err != nil {
				t.Fatal(err)
			}
			m := scripted.Expect[*protocol.Publish](r)
			r.Send(&protocol.Published{Request: m.Request, Publication: 1})
			return nil
		}},
		{"ERROR for an INVOCATION request type", func(t *testing.T, c *client.Client, r *scripted.Router) func() error {
			r.Send(&protocol.Error{RequestType: protocol.TypeInvocation, Request: 1, Details: protocol.Dict{}, Error: "com.x"})
			return nil
		}},
		{"WELCOME twice", func(t *testing.T, c *client.Client, r *scripted.Router) func() error {
			r.Send(&protocol.Welcome{Session: clienttest.Session, Details: protocol.Dict{"roles": scripted.Roles()}})
			return nil
		}},
		{"CHALLENGE after WELCOME", func(t *testing.T, c *client.Client, r *scripted.Router) func() error {
			r.Send(&protocol.Challenge{AuthMethod: "ticket", Extra: protocol.Dict{}})
			return nil
		}},
		{"second INVOCATION with a running request id", func(t *testing.T, c *client.Client, r *scripted.Router) func() error {
			hold := make(chan struct{})
			t.Cleanup(func() { close(hold) })
			clienttest.Register(t, c, r, "p", 3, func(ctx context.Context, _ *client.Invocation) (client.Result, error) {
				select {
				case <-hold:
				case <-ctx.Done():
				}
				return client.Result{}, nil
			})
			r.Send(&protocol.Invocation{Request: 5, Registration: 3, Details: protocol.Dict{}})
			r.Send(&protocol.Invocation{Request: 5, Registration: 3, Details: protocol.Dict{}})
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, j := clienttest.JoinedWith(t, wire)
			r := j.Router
			call, _ := pendingCall(t, c, r)
			pending := tc.script(t, c, r)
			expectViolationAbort(t, c, r)
			_, err := await(t, call)
			expectClosedByViolation(t, "pending call", err)
			if pending != nil {
				expectClosedByViolation(t, "pending request", pending())
			}
		})
	}
}

// An INVOCATION for a registration the client does not hold (one it never
// had, or one it just withdrew) is answered with ERROR
// no_such_registration; the session goes on.
func TestHostileInvocationForUnknownRegistration(t *testing.T) {
	c, j := clienttest.JoinedWith(t, wire)
	r := j.Router
	reg, _ := clienttest.Register(t, c, r, "p", 11, nopHandler)
	done := make(chan error, 1)
	go func() { done <- reg.Unregister(ctxT(t)) }()
	u := scripted.Expect[*protocol.Unregister](r)
	call, req := pendingCall(t, c, r)
	for _, inv := range []*protocol.Invocation{
		{Request: 6, Registration: 404, Details: protocol.Dict{}},
		{Request: 7, Registration: 11, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"racing"}}},
	} {
		r.Send(inv)
		e := scripted.Expect[*protocol.Error](r)
		scripted.Equal(t, "ERROR", e, &protocol.Error{RequestType: protocol.TypeInvocation, Request: inv.Request,
			Details: protocol.Dict{}, Error: "wamp.error.no_such_registration"})
	}
	r.Send(&protocol.Unregistered{Request: u.Request})
	if err := <-done; err != nil {
		t.Fatalf("Unregister: %v", err)
	}
	r.Send(&protocol.Result{Request: req, Details: protocol.Dict{}})
	if _, err := await(t, call); err != nil {
		t.Fatalf("call after the stray invocations: %v", err)
	}
	if err := c.Err(); err != nil {
		t.Fatalf("session ended: %v", err)
	}
}

// Messages a correct router may send in a race are ignored: nothing is
// sent back and the session goes on.
func TestHostileIgnoredMessages(t *testing.T) {
	for _, tc := range []struct {
		name string
		msg  protocol.Message
	}{
		{"EVENT for an unknown subscription", &protocol.Event{Subscription: 404, Publication: 1, Details: protocol.Dict{}}},
		{"EVENT for a removed subscription", &protocol.Event{Subscription: 9, Publication: 1, Details: protocol.Dict{}}},
		{"INTERRUPT for an unknown invocation", &protocol.Interrupt{Request: 404, Options: protocol.Dict{"mode": "kill"}}},
		{"revocation of an unknown subscription", &protocol.Unsubscribed{Request: 0, Details: protocol.Dict{"subscription": int64(404), "reason": "x.y"}}},
		{"revocation of an unknown registration", &protocol.Unregistered{Request: 0, Details: protocol.Dict{"registration": int64(404), "reason": "x.y"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, j := clienttest.JoinedWith(t, wire)
				r := j.Router
				defer j.Stop()
				sub, _ := clienttest.Subscribe(t, c, r, "t", 9, nopEvent)
				done := make(chan error, 1)
				go func() { done <- sub.Unsubscribe(context.Background()) }()
				u := scripted.Expect[*protocol.Unsubscribe](r)
				r.Send(&protocol.Unsubscribed{Request: u.Request})
				if err := <-done; err != nil {
					t.Fatal(err)
				}
				r.Send(tc.msg)
				quiet(t, r)
				if err := c.Err(); err != nil {
					t.Fatalf("session ended: %v", err)
				}
				// The session still works.
				call, req := pendingCall(t, c, r)
				r.Send(&protocol.Result{Request: req, Details: protocol.Dict{}})
				if _, err := await(t, call); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}

// A flood of progressive results to a caller that does not read them:
// memory stays bounded by ProgressBuffer (policy Drop), the one Results
// holds included, the excess is counted and reported, and the final
// result is never lost.
func TestHostileProgressFloodIsBounded(t *testing.T) {
	const buffer, flood = 8, 10000
	var reported sync.WaitGroup
	reported.Add(flood - buffer)
	c, j := clienttest.JoinedWith(t, wire, client.WithErrorHandler(func(error) { reported.Done() }))
	r := j.Router
	call, req := pendingCall(t, c, r, client.ReceiveProgress(), client.ProgressBuffer(buffer), client.OnProgressOverflow(client.Drop))
	if got := cap(call.Results()); got != 1 {
		t.Fatalf("cap(Results()) = %d, want 1 (the rest wait in the call's queue)", got)
	}
	for i := range flood {
		r.Send(&protocol.Result{Request: req, Details: protocol.Dict{"progress": true}, Payload: protocol.Payload{Args: protocol.List{int64(i)}}})
	}
	r.Send(&protocol.Result{Request: req, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"final"}}})
	<-call.Done()
	if got := call.Dropped(); got != flood-buffer {
		t.Fatalf("Dropped = %d, want %d", got, flood-buffer)
	}
	reported.Wait()
	var got []any
	for res := range call.Results() {
		got = append(got, res.Args[0])
	}
	want := []any{}
	for i := range buffer {
		want = append(want, int64(i))
	}
	scripted.Equal(t, "results", got, append(want, "final"))
}

// A flood of events to a handler that is stuck: the reader never waits,
// the excess is dropped, counted and reported, and exactly what fitted in
// the mailbox is delivered, in order.
func TestHostileEventFloodToSlowHandler(t *testing.T) {
	const limit, flood = 4, 1000
	slow := make(chan *client.SlowConsumerError, flood)
	c, j := clienttest.JoinedWith(t, wire, client.WithErrorHandler(func(err error) {
		var sc *client.SlowConsumerError
		if errors.As(err, &sc) {
			slow <- sc
		}
	}))
	r := j.Router
	started, release := make(chan struct{}), make(chan struct{})
	got := make(chan protocol.ID, flood)
	sub, _ := clienttest.Subscribe(t, c, r, "flood", 1, func(ctx context.Context, ev *client.Event) {
		if ev.Publication == 1 {
			close(started)
			select {
			case <-release:
			case <-ctx.Done(): // the test failed and is closing the client
			}
		}
		got <- ev.Publication
	}, client.MailboxLimits(client.Limits{MaxMessages: limit}))
	call, req := pendingCall(t, c, r)
	r.Send(&protocol.Event{Subscription: 1, Publication: 1, Details: protocol.Dict{}})
	<-started
	for i := 2; i <= flood; i++ {
		r.Send(&protocol.Event{Subscription: 1, Publication: protocol.ID(i), Details: protocol.Dict{}})
	}
	// The RESULT comes after every event on the wire: once the call is
	// done, the reader has dealt with all of them.
	r.Send(&protocol.Result{Request: req, Details: protocol.Dict{}})
	if _, err := await(t, call); err != nil {
		t.Fatal(err)
	}
	const dropped = flood - 1 - limit
	if sub.Dropped() != dropped {
		t.Fatalf("Dropped = %d, want %d", sub.Dropped(), dropped)
	}
	// Reports reach the error handler on its own goroutine, in order.
	var last *client.SlowConsumerError
	for range dropped {
		last = <-slow
	}
	if last.Dropped != dropped || last.Publication != flood || last.Subscription != 1 || last.Topic != "flood" {
		t.Fatalf("last report %+v", last)
	}
	close(release)
	for want := protocol.ID(1); want <= limit+1; want++ {
		if p := <-got; p != want {
			t.Fatalf("delivered publication %d, want %d", p, want)
		}
	}
	done := make(chan error, 1)
	go func() { done <- sub.Unsubscribe(ctxT(t)) }()
	u := scripted.Expect[*protocol.Unsubscribe](r)
	r.Send(&protocol.Unsubscribed{Request: u.Request})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	<-sub.Done()
	if len(got) != 0 {
		t.Fatalf("%d more events delivered", len(got))
	}
}
