package client_test

// Hostile-input tests: the router is untrusted. Whatever it sends, the
// client must not panic, hang or leak; input that breaks the protocol ends
// the session with ABORT wamp.error.protocol_violation, and input that a
// correct router may send in a race (an EVENT after UNSUBSCRIBE, an
// INVOCATION after UNREGISTER) is tolerated.
//
// Tests named TestHostileRegression… pin bugs these tests once found.

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/memconn"
	"github.com/wampgo/wampgo/internal/scripted"
	"github.com/wampgo/wampgo/mailbox"
	"github.com/wampgo/wampgo/protocol"
)

// joinRaw joins a client to a scripted router over a pipe that encodes
// every message with cd, as a network would, so the router can also inject
// raw frames with raw.SendRaw. stop closes both sides and waits for the
// client's end. It works inside a synctest bubble.
func joinRaw(t *testing.T, cd codec.Codec, opts ...client.Option) (c *client.Client, r *scripted.Router, raw *memconn.Conn, stop func()) {
	t.Helper()
	return joinRawWith(t, cd, scripted.Roles(), opts...)
}

// joinRawWith is joinRaw with the router roles given.
func joinRawWith(t *testing.T, cd codec.Codec, roles protocol.Dict, opts ...client.Option) (c *client.Client, r *scripted.Router, raw *memconn.Conn, stop func()) {
	t.Helper()
	ct, rt := memconn.PipeCodec(cd)
	r = scripted.New(t, rt)
	type res struct {
		c   *client.Client
		err error
	}
	done := make(chan res, 1)
	go func() {
		c, err := client.Connect(context.Background(), ct, "realm1", opts...)
		done <- res{c, err}
	}()
	r.Welcome(testSession, roles)
	got := <-done
	if got.err != nil {
		t.Fatalf("Connect: %v", got.err)
	}
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		rt.Close()
		got.c.Close(ctx)
		<-got.c.Done()
	}
	return got.c, r, rt.(*memconn.Conn), stop
}

// joinedRaw is joinRaw with JSON, closed at the end of the test.
func joinedRaw(t *testing.T, opts ...client.Option) (*client.Client, *scripted.Router, *memconn.Conn) {
	t.Helper()
	c, r, raw, stop := joinRaw(t, codec.JSON(), opts...)
	t.Cleanup(stop)
	return c, r, raw
}

// expectViolationAbort checks how a session the router broke ends: the
// client sends ABORT wamp.error.protocol_violation with a message, sends
// nothing after it, closes the connection, and its end reason matches
// ErrProtocolViolation.
func expectViolationAbort(t *testing.T, c *client.Client, r *scripted.Router) {
	t.Helper()
	a := scripted.Expect[*protocol.Abort](r)
	text, _ := a.Details["message"].(string)
	scripted.Equal(t, "ABORT", a, &protocol.Abort{Reason: "wamp.error.protocol_violation", Details: protocol.Dict{"message": text}})
	if text == "" {
		t.Fatal("ABORT without a message")
	}
	if rest := r.WaitClosed(); len(rest) != 0 {
		t.Fatalf("sent after ABORT: %s", scripted.Describe(rest[0]))
	}
	if err := c.Wait(ctxT(t)); !errors.Is(err, client.ErrProtocolViolation) {
		t.Fatalf("Wait = %v, want a protocol violation", err)
	}
}

// expectClosedByViolation checks the error of an operation that was
// pending when the session ended for a protocol violation.
func expectClosedByViolation(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, client.ErrClosed) || !errors.Is(err, client.ErrProtocolViolation) {
		t.Fatalf("%s: %v, want ErrClosed wrapping a protocol violation", what, err)
	}
}

// quiet fails the test if the client sent anything. Call it inside a
// synctest bubble: synctest.Wait lets the client finish what it was doing.
func quiet(t *testing.T, r *scripted.Router) {
	t.Helper()
	synctest.Wait()
	select {
	case m, ok := <-r.Transport().Receive():
		if ok {
			t.Fatalf("client sent %s", scripted.Describe(m))
		}
		t.Fatalf("connection ended: %v", r.Transport().Err())
	default:
	}
}

// hostileSubscribe subscribes h to topic and answers SUBSCRIBED with id.
func hostileSubscribe(t *testing.T, c *client.Client, r *scripted.Router, topic string, id protocol.ID, h client.EventHandler, opts ...client.SubscribeOption) *client.Subscription {
	t.Helper()
	type res struct {
		sub *client.Subscription
		err error
	}
	done := make(chan res, 1)
	go func() {
		sub, err := c.Subscribe(ctxT(t), topic, h, opts...)
		done <- res{sub, err}
	}()
	m := scripted.Expect[*protocol.Subscribe](r)
	r.Send(&protocol.Subscribed{Request: m.Request, Subscription: id})
	got := <-done
	if got.err != nil {
		t.Fatalf("Subscribe: %v", got.err)
	}
	return got.sub
}

// hostileRegister registers h for proc and answers REGISTERED with id.
func hostileRegister(t *testing.T, c *client.Client, r *scripted.Router, proc string, id protocol.ID, h client.Handler, opts ...client.RegisterOption) *client.Registration {
	t.Helper()
	type res struct {
		reg *client.Registration
		err error
	}
	done := make(chan res, 1)
	go func() {
		reg, err := c.Register(ctxT(t), proc, h, opts...)
		done <- res{reg, err}
	}()
	m := scripted.Expect[*protocol.Register](r)
	r.Send(&protocol.Registered{Request: m.Request, Registration: id})
	got := <-done
	if got.err != nil {
		t.Fatalf("Register: %v", got.err)
	}
	return got.reg
}

// pendingCall starts a call and returns it with its request id.
func pendingCall(t *testing.T, c *client.Client, r *scripted.Router, opts ...client.CallOption) (*client.Call, protocol.ID) {
	t.Helper()
	call := c.Call(ctxT(t), "com.pending", nil, nil, opts...)
	return call, scripted.Expect[*protocol.Call](r).Request
}

func nopEvent(context.Context, *client.Event) {}

func nopHandler(context.Context, *client.Invocation) (client.Result, error) {
	return client.Result{}, nil
}

// Frames that do not decode: the client answers ABORT protocol_violation,
// ends the session, and fails what was pending.
func TestHostileFramesAbort(t *testing.T) {
	deep := "[36,1,2,{},[" + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "]]"
	small := codec.NewJSON(codec.Limits{MaxMessageSize: 4 << 10})
	for _, tc := range []struct {
		name  string
		cd    codec.Codec // nil: codec.JSON()
		frame string
	}{
		{"oversized", small, `[36,1,2,{},["` + strings.Repeat("x", 5<<10) + `"]]`},
		{"garbage", nil, "\x00\x01\xfe\xff garbage"},
		{"empty frame", nil, ""},
		{"truncated", nil, `[50,1,{}`},
		{"trailing data", nil, `[50,1,{}] [50,1,{}]`},
		{"not a list: object", nil, `{"type":50}`},
		{"not a list: number", nil, `42`},
		{"not a list: string", nil, `"RESULT"`},
		{"not a list: null", nil, `null`},
		{"empty list", nil, `[]`},
		{"unknown type", nil, `[999,1,{}]`},
		{"type zero", nil, `[0]`},
		{"type as string", nil, `["50",1,{}]`},
		{"too few elements", nil, `[36,1,2]`},
		{"too many elements", nil, `[50,1,{},[],{},"extra"]`},
		{"request id as string", nil, `[50,"1",{}]`},
		{"request id negative", nil, `[50,-1,{}]`},
		{"request id zero", nil, `[50,0,{}]`},
		{"request id above 2^53", nil, `[50,9007199254740993,{}]`},
		{"request id fractional", nil, `[50,1.5,{}]`},
		{"details as list", nil, `[50,1,[]]`},
		{"args as dict", nil, `[50,1,{},{}]`},
		{"kwargs as list", nil, `[50,1,{},[],[]]`},
		{"deeply nested", nil, deep},
		{"invalid UTF-8 in string", nil, "[36,1,2,{},[\"\xff\xfe\"]]"},
		{"invalid UTF-8 in key", nil, "[36,1,2,{\"\xc3\x28\":1}]"},
		{"lone surrogate", nil, `[36,1,2,{},["\ud800"]]`},
		{"invalid escape", nil, `[36,1,2,{},["\u00zz"]]`},
		{"duplicate key", nil, `[36,1,2,{"a":1,"a":2}]`},
		{"NaN", nil, `[36,1,2,{},[NaN]]`},
		{"number out of range", nil, `[36,1,2,{},[1e400]]`},
		{"invalid error URI", nil, `[8,48,1,{},"not a uri!!"]`},
		{"WELCOME without roles", nil, `[2,1,{}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cd := tc.cd
			if cd == nil {
				cd = codec.JSON()
			}
			c, r, raw, stop := joinRaw(t, cd)
			defer stop()
			call, _ := pendingCall(t, c, r)
			if err := raw.SendRaw(ctxT(t), []byte(tc.frame)); err != nil {
				t.Fatal(err)
			}
			expectViolationAbort(t, c, r)
			_, err := await(t, call)
			expectClosedByViolation(t, "pending call", err)
			// The session stays ended: new operations fail at once.
			_, err = await(t, c.Call(ctxT(t), "after", nil, nil))
			expectClosedByViolation(t, "call after the end", err)
		})
	}
}

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
			r.Send(&protocol.Welcome{Session: testSession, Details: protocol.Dict{"roles": scripted.Roles()}})
			return nil
		}},
		{"CHALLENGE after WELCOME", func(t *testing.T, c *client.Client, r *scripted.Router) func() error {
			r.Send(&protocol.Challenge{AuthMethod: "ticket", Extra: protocol.Dict{}})
			return nil
		}},
		{"second INVOCATION with a running request id", func(t *testing.T, c *client.Client, r *scripted.Router) func() error {
			hold := make(chan struct{})
			t.Cleanup(func() { close(hold) })
			hostileRegister(t, c, r, "p", 3, func(ctx context.Context, _ *client.Invocation) (client.Result, error) {
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
			c, r, _ := joinedRaw(t)
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
	c, r, _ := joinedRaw(t)
	reg := hostileRegister(t, c, r, "p", 11, nopHandler)
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
				c, r, _, stop := joinRaw(t, codec.JSON())
				defer stop()
				sub := hostileSubscribe(t, c, r, "t", 9, nopEvent)
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
// memory stays bounded by ProgressBuffer, the excess is counted and
// reported, and the final result is never lost.
func TestHostileProgressFloodIsBounded(t *testing.T) {
	const buffer, flood = 8, 10000
	var reported sync.WaitGroup
	reported.Add(flood - buffer)
	c, r, _ := joinedRaw(t, client.WithErrorHandler(func(error) { reported.Done() }))
	call, req := pendingCall(t, c, r, client.ReceiveProgress(), client.ProgressBuffer(buffer))
	if got := cap(call.Results()); got != buffer+1 {
		t.Fatalf("cap(Results()) = %d, want %d", got, buffer+1)
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
	c, r, _ := joinedRaw(t, client.WithErrorHandler(func(err error) {
		var sc *client.SlowConsumerError
		if errors.As(err, &sc) {
			slow <- sc
		}
	}))
	started, release := make(chan struct{}), make(chan struct{})
	got := make(chan protocol.ID, flood)
	sub := hostileSubscribe(t, c, r, "flood", 1, func(ctx context.Context, ev *client.Event) {
		if ev.Publication == 1 {
			close(started)
			select {
			case <-release:
			case <-ctx.Done(): // the test failed and is closing the client
			}
		}
		got <- ev.Publication
	}, client.MailboxLimits(mailbox.Limits{MaxMessages: limit}))
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

// A router that sends garbage instead of WELCOME: Connect fails with a
// protocol violation and closes the connection.
func TestHostileGarbageInsteadOfWelcome(t *testing.T) {
	ct, rt := memconn.PipeCodec(codec.JSON())
	r := scripted.New(t, rt)
	done := make(chan error, 1)
	go func() {
		_, err := client.Connect(ctxT(t), ct, "realm1")
		done <- err
	}()
	scripted.Expect[*protocol.Hello](r)
	if err := rt.(*memconn.Conn).SendRaw(ctxT(t), []byte(`[2,"x",{}]`)); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, client.ErrProtocolViolation) {
		t.Fatalf("Connect = %v, want a protocol violation", err)
	}
	r.WaitClosed()
}

// Regression: the spec answers a protocol violation with ABORT, and so does the
// session loop for an undecodable frame (loop.go, run: the !ok branch);
// join (join.go, the !ok branch of its select) returns without sending one.
func TestHostileRegressionGarbageInsteadOfWelcomeNotAborted(t *testing.T) {
	ct, rt := memconn.PipeCodec(codec.JSON())
	r := scripted.New(t, rt)
	done := make(chan error, 1)
	go func() {
		_, err := client.Connect(ctxT(t), ct, "realm1")
		done <- err
	}()
	scripted.Expect[*protocol.Hello](r)
	rt.(*memconn.Conn).SendRaw(ctxT(t), []byte(`garbage`))
	<-done
	rest := r.WaitClosed()
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
		c, r, _, stop := joinRaw(t, codec.JSON())
		defer stop()
		sub := hostileSubscribe(t, c, r, "blk", 1, func(ctx context.Context, _ *client.Event) { <-ctx.Done() },
			client.OnOverflow(client.Block), client.MailboxLimits(mailbox.Limits{MaxMessages: 1}))
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
	c, r, _ := joinedRaw(t)
	unstick := make(chan struct{}) // lets the handler go after the test has failed
	defer close(unstick)
	started := make(chan struct{})
	hostileRegister(t, c, r, "sum", 1, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
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
		c, r, _, stop := joinRaw(t, codec.JSON())
		// A live subscription, so that reap has to wait for a handler.
		hostileSubscribe(t, c, r, "live", 1, func(ctx context.Context, _ *client.Event) { <-ctx.Done() })
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
		stop()
	}
}

// Regression: a REGISTERED that reuses the id of a registration the client holds
// is a protocol violation; the client only fails that Register call
// (register_loop.go handleRegister: "is already one of ours") and goes on,
// while the router believes the second procedure is registered: its
// INVOCATIONs then run the first procedure's handler. Every other router
// violation aborts the session.
func TestHostileRegressionDuplicateRegistrationIDNotAborted(t *testing.T) {
	c, r, _ := joinedRaw(t)
	hostileRegister(t, c, r, "first", 7, nopHandler)
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
	c, r, _ := joinedRaw(t)
	hostileSubscribe(t, c, r, "com.a", 5, nopEvent)
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
	c, r, _ := joinedRaw(t)
	got := make(chan time.Duration, 1)
	hostileRegister(t, c, r, "p", 1, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
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
		c, r, _, stop := joinRaw(t, codec.JSON())
		defer stop()
		closed := make(chan error, 1)
		hostileRegister(t, c, r, "shutdown", 1, func(ctx context.Context, _ *client.Invocation) (client.Result, error) {
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
