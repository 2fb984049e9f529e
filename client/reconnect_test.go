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
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
)

// forEachReconnectTransport runs f over every transport of
// clienttest.Transports (the in-memory pipe, RawSocket), each in a subtest.
func forEachReconnectTransport(t *testing.T, f func(t *testing.T, tr clienttest.Transport)) {
	for _, tr := range clienttest.Transports() {
		t.Run(tr.Name(), func(t *testing.T) { f(t, tr) })
	}
}

// reconnectDialer is a clienttest.Dialer over one transport whose Next
// checks that the router's end is of that transport.
type reconnectDialer struct {
	*clienttest.Dialer
	tr clienttest.Transport
}

// newReconnectDialer returns a Dialer over tr (inside a synctest bubble,
// call it in the bubble).
func newReconnectDialer(t *testing.T, tr clienttest.Transport) reconnectDialer {
	return reconnectDialer{clienttest.NewDialerOver(t, tr), tr}
}

// Next is clienttest.Dialer.Next, failing the test unless the connection
// is over the dialer's transport.
func (d reconnectDialer) Next(t *testing.T) *scripted.Router {
	t.Helper()
	r := d.Dialer.Next(t)
	expectTransport(t, d.tr, r)
	return r
}

// expectTransport fails the test unless r's end of the connection is of
// transport tr: a *rawsocket.Conn exactly when tr is RawSocket.
func expectTransport(t *testing.T, tr clienttest.Transport, r *scripted.Router) {
	t.Helper()
	if _, raw := r.Transport().(*rawsocket.Conn); raw != (tr.RawSocket != nil) {
		t.Fatalf("over %s, the router's end is a %T", tr.Name(), r.Transport())
	}
}

// reconnecting joins a reconnecting client over a first connection of d's
// transport and returns it with that connection's scripted router; later
// connections come from d.
func reconnecting(t *testing.T, d reconnectDialer, r client.Reconnect, opts ...client.Option) (*client.Client, *scripted.Router) {
	t.Helper()
	r.URLs = []string{"mem://a", "mem://b"}
	r.Dial = d.Dial
	if r.MinDelay == 0 {
		r.MinDelay = time.Millisecond
		r.MaxDelay = 4 * time.Millisecond
	}
	j := clienttest.StartWith(t, clienttest.Setup{Transport: d.tr}, append(opts, client.WithReconnect(r))...)
	c, _ := j.Welcome()
	expectTransport(t, d.tr, j.Router)
	if got, want := c.Serializer(), d.tr.Serializer(); got != want {
		t.Fatalf("serializer %s, want %s", got, want)
	}
	return c, j.Router
}

func TestReconnectRestoresRegistrationsAndSubscriptions(t *testing.T) {
	forEachReconnectTransport(t, testReconnectRestoresRegistrationsAndSubscriptions)
}

func testReconnectRestoresRegistrationsAndSubscriptions(t *testing.T, tr clienttest.Transport) {
	d := newReconnectDialer(t, tr)
	states := make(chan client.StateChange, 32)
	c, r1 := reconnecting(t, d, client.Reconnect{OnStateChange: func(sc client.StateChange) { states <- sc }})
	if sc := <-states; sc.State != client.StateJoined || sc.Session != clienttest.Session {
		t.Fatalf("first state %+v", sc)
	}
	events := make(chan string, 4)
	sub, sm := clienttest.Subscribe(t, c, r1, "com.t", 100, func(_ context.Context, ev *client.Event) { events <- ev.Args[0].(string) }, client.Match(client.MatchPrefix))
	reg, rm := clienttest.Register(t, c, r1, "com.p", 200, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		return client.Result{Args: protocol.List{"pong"}}, nil
	}, client.DiscloseCaller())
	inflight := c.Call(ctxT(t), "com.remote", nil, nil)
	scripted.Expect[*protocol.Call](r1)

	r1.Transport().Close() // the connection dies

	if _, err := await(t, inflight); !errors.Is(err, client.ErrSessionLost) {
		t.Fatalf("in-flight call: %v", err)
	}
	r2 := d.Next(t)
	r2.Welcome(2, scripted.Roles())
	// Same topic, procedure and options as before.
	s2 := scripted.Expect[*protocol.Subscribe](r2)
	if s2.Request != 1 {
		t.Fatalf("first request id of the new session = %d, want 1", s2.Request)
	}
	scripted.Equal(t, "re-SUBSCRIBE", []any{s2.Topic, s2.Options}, []any{sm.Topic, sm.Options})
	r2.Send(&protocol.Subscribed{Request: s2.Request, Subscription: 101})
	g2 := scripted.Expect[*protocol.Register](r2)
	scripted.Equal(t, "re-REGISTER", []any{g2.Procedure, g2.Options}, []any{rm.Procedure, rm.Options})
	r2.Send(&protocol.Registered{Request: g2.Request, Registration: 201})

	for _, want := range []client.State{client.StateLeft, client.StateRetrying, client.StateRestoring, client.StateJoined} {
		if sc := <-states; sc.State != want {
			t.Fatalf("state %v, want %v (%+v)", sc.State, want, sc)
		}
	}
	if c.Session().ID != 2 {
		t.Fatalf("session %d after rejoin", c.Session().ID)
	}
	// The same handlers answer under the new ids.
	r2.Send(&protocol.Event{Subscription: 101, Publication: 5, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"after"}}})
	if got := <-events; got != "after" {
		t.Fatalf("event %q", got)
	}
	r2.Send(&protocol.Invocation{Request: 1, Registration: 201, Details: protocol.Dict{}})
	if y := scripted.Expect[*protocol.Yield](r2); y.Args[0] != "pong" {
		t.Fatalf("YIELD %+v", y)
	}
	if sub.ID() != 101 || reg.ID() != 201 {
		t.Fatalf("ids after restore: sub %d reg %d", sub.ID(), reg.ID())
	}
	scripted.Equal(t, "SubscriptionIDs", c.SubscriptionIDs("com.t"), []protocol.ID{101})
	scripted.Equal(t, "RegistrationIDs", c.RegistrationIDs("com.p"), []protocol.ID{201})
	scripted.Equal(t, "URLs dialled", d.URLs(), []string{"mem://a"})
}

func TestCallsWaitWhileReconnecting(t *testing.T) {
	forEachReconnectTransport(t, testCallsWaitWhileReconnecting)
}

func testCallsWaitWhileReconnecting(t *testing.T, tr clienttest.Transport) {
	synctest.Test(t, func(t *testing.T) {
		d := newReconnectDialer(t, tr)
		d.SetFail(errors.New("router down"))
		c, r1 := reconnecting(t, d, client.Reconnect{MinDelay: time.Second, MaxDelay: time.Second})
		r1.Transport().Close()
		// Let the loop notice the loss: a call made before would go out on
		// the dying connection and fail with it (ErrSessionLost), not wait.
		synctest.Wait()
		long, cancelLong := context.WithTimeout(context.Background(), time.Minute)
		defer cancelLong()
		call := c.Call(long, "later", nil, nil)
		time.Sleep(10 * time.Second) // fake time: several failed attempts
		synctest.Wait()
		select {
		case <-call.Done():
			_, err := call.Await(context.Background())
			t.Fatalf("call ended while reconnecting instead of waiting: %v", err)
		default:
		}
		d.SetFail(nil)
		r2 := d.Next(t)
		r2.Welcome(2, scripted.Roles())
		m := scripted.Expect[*protocol.Call](r2)
		r2.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
		if _, err := await(t, call); err != nil {
			t.Fatal(err)
		}
		// A held call whose context ends completes at once and is never sent.
		r2.Transport().Close()
		synctest.Wait()
		ctx, cancel := context.WithCancel(context.Background())
		gone := c.Call(ctx, "gone", nil, nil)
		cancel()
		if _, err := await(t, gone); !errors.Is(err, client.ErrCanceled) {
			t.Fatalf("held call: %v", err)
		}
	})
}

func TestFailFastWhileReconnecting(t *testing.T) {
	forEachReconnectTransport(t, testFailFastWhileReconnecting)
}

func testFailFastWhileReconnecting(t *testing.T, tr clienttest.Transport) {
	d := newReconnectDialer(t, tr)
	d.SetFail(errors.New("router down"))
	states := make(chan client.StateChange, 32)
	c, r1 := reconnecting(t, d, client.Reconnect{
		WhileDisconnected: client.FailFast, MinDelay: time.Hour, MaxDelay: time.Hour,
		OnStateChange: func(sc client.StateChange) { states <- sc },
	})
	r1.Transport().Close()
	// Once the loop has noticed the loss (StateLeft is reported after),
	// work fails at once. Until then a PUBLISH may still go to the dying
	// connection: over RawSocket, whose Close flushes before it closes the
	// stream, that window is wide enough to be hit.
	waitState(t, states, client.StateLeft)
	if _, err := await(t, c.Call(ctxT(t), "p", nil, nil)); !errors.Is(err, client.ErrSessionLost) {
		t.Fatalf("Call: %v", err)
	}
	if _, err := c.Publish(ctxT(t), "t", nil, nil); !errors.Is(err, client.ErrSessionLost) {
		t.Fatalf("Publish: %v", err)
	}
}

func TestNoRetryAfterAuthAbort(t *testing.T) { forEachReconnectTransport(t, testNoRetryAfterAuthAbort) }

func testNoRetryAfterAuthAbort(t *testing.T, tr clienttest.Transport) {
	d := newReconnectDialer(t, tr)
	states := make(chan client.StateChange, 32)
	c, r1 := reconnecting(t, d, client.Reconnect{OnStateChange: func(sc client.StateChange) { states <- sc }})
	r1.Transport().Close()
	r2 := d.Next(t)
	scripted.Expect[*protocol.Hello](r2)
	r2.Send(&protocol.Abort{Reason: "wamp.error.not_authorized", Details: protocol.Dict{}})
	err := c.Wait(ctxT(t))
	var ae *client.AbortError
	if !errors.Is(err, client.ErrGaveUp) || !errors.As(err, &ae) || ae.Reason != "wamp.error.not_authorized" {
		t.Fatalf("Wait = %v", err)
	}
	var last client.StateChange
	for len(states) > 0 {
		last = <-states
	}
	if last.State != client.StateGaveUp {
		t.Fatalf("last state %+v", last)
	}
	if d.Untaken() != 0 {
		t.Fatal("redialled after a permanent failure")
	}
}

func TestRouterGoodbyeWithReconnectRejoins(t *testing.T) {
	forEachReconnectTransport(t, testRouterGoodbyeWithReconnectRejoins)
}

func testRouterGoodbyeWithReconnectRejoins(t *testing.T, tr clienttest.Transport) {
	d := newReconnectDialer(t, tr)
	states := make(chan client.StateChange, 32)
	c, r1 := reconnecting(t, d, client.Reconnect{OnStateChange: func(sc client.StateChange) { states <- sc }})
	r1.Send(&protocol.Goodbye{Reason: "wamp.close.system_shutdown", Details: protocol.Dict{}})
	if g := scripted.Expect[*protocol.Goodbye](r1); g.Reason != "wamp.close.goodbye_and_out" {
		t.Fatalf("GOODBYE reply %+v", g)
	}
	r2 := d.Next(t)
	r2.Welcome(7, scripted.Roles())
	ctx := ctxT(t)
	for joined := false; !joined; {
		select {
		case sc := <-states:
			joined = sc.State == client.StateJoined && sc.Session == 7
		case <-ctx.Done():
			t.Fatal("no StateJoined for session 7")
		}
	}
	if id := c.Session().ID; id != 7 {
		t.Fatalf("session %d after the rejoin, want 7", id)
	}
}

func TestCloseWhileReconnecting(t *testing.T) {
	forEachReconnectTransport(t, testCloseWhileReconnecting)
}

func testCloseWhileReconnecting(t *testing.T, tr clienttest.Transport) {
	d := newReconnectDialer(t, tr)
	d.SetFail(errors.New("router down"))
	states := make(chan client.StateChange, 32)
	c, r1 := reconnecting(t, d, client.Reconnect{
		MinDelay: time.Hour, MaxDelay: time.Hour,
		OnStateChange: func(sc client.StateChange) { states <- sc },
	})
	r1.Transport().Close()
	waitState(t, states, client.StateLeft) // the call below is held, not sent
	held := c.Call(ctxT(t), "p", nil, nil)
	if err := c.Close(ctxT(t)); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if _, err := await(t, held); !errors.Is(err, client.ErrClosed) {
		t.Fatalf("held call after Close: %v", err)
	}
}

// Backoff doubles from MinDelay up to MaxDelay, each delay jittered into
// [d/2, d]; URLs are tried in turn; MaxAttempts ends the retries.
func TestBackoffScheduleAndGiveUp(t *testing.T) {
	forEachReconnectTransport(t, testBackoffScheduleAndGiveUp)
}

func testBackoffScheduleAndGiveUp(t *testing.T, tr clienttest.Transport) {
	synctest.Test(t, func(t *testing.T) {
		d := newReconnectDialer(t, tr)
		var mu sync.Mutex
		var retries []client.StateChange
		var final client.StateChange
		r := client.Reconnect{
			URLs: []string{"mem://a", "mem://b", "mem://c"}, Dial: d.Dial,
			MinDelay: 100 * time.Millisecond, MaxDelay: time.Second, MaxAttempts: 6,
			OnStateChange: func(sc client.StateChange) {
				mu.Lock()
				defer mu.Unlock()
				switch sc.State {
				case client.StateRetrying:
					retries = append(retries, sc)
				case client.StateGaveUp:
					final = sc
				}
			},
		}
		j := clienttest.StartWith(t, clienttest.Setup{Transport: tr}, client.WithReconnect(r))
		c, _ := j.Welcome()
		expectTransport(t, tr, j.Router)
		d.SetFail(errors.New("down"))
		start := time.Now()
		j.Router.Transport().Close()
		<-c.Done()
		elapsed := time.Since(start)
		synctest.Wait()
		mu.Lock()
		defer mu.Unlock()
		if len(retries) != 6 {
			t.Fatalf("%d retries, want 6", len(retries))
		}
		var total time.Duration
		for i, sc := range retries {
			full := min(100*time.Millisecond<<i, time.Second)
			if sc.Attempt != i+1 || sc.Delay < full/2 || sc.Delay > full {
				t.Fatalf("retry %d: %+v, want delay in [%v, %v]", i, sc, full/2, full)
			}
			if want := r.URLs[i%3]; sc.URL != want {
				t.Fatalf("retry %d URL %s, want %s", i, sc.URL, want)
			}
			total += sc.Delay
		}
		if elapsed != total {
			t.Fatalf("gave up after %v, want the sum of delays %v", elapsed, total)
		}
		if final.State != client.StateGaveUp || !errors.Is(c.Err(), client.ErrGaveUp) {
			t.Fatalf("final %+v, Err %v", final, c.Err())
		}
	})
}
