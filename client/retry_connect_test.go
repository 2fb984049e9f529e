package client_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// A client whose router is down at first keeps dialling and joins once it
// is up; over every transport.
func TestRetryOnFailedConnect(t *testing.T) { forEachReconnectTransport(t, testRetryOnFailedConnect) }

func testRetryOnFailedConnect(t *testing.T, tr clienttest.Transport) {
	synctest.Test(t, func(t *testing.T) {
		d := newReconnectDialer(t, tr)
		d.SetFail(errors.New("connection refused"))
		states := make(chan client.StateChange, 64)
		var logs lockedBuffer
		c, err := client.Dial(context.Background(), "mem://a", "realm1", client.WithReconnect(client.Reconnect{
			Dial: d.Dial, RetryOnFailedConnect: true, MinDelay: time.Second, MaxDelay: time.Second,
			OnStateChange: func(sc client.StateChange) { states <- sc },
		}), client.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
		if err != nil {
			t.Fatalf("Dial with the router down: %v", err)
		}
		t.Cleanup(func() { clienttest.Close(t, c) })
		if s := c.State(); s != client.StateConnecting {
			t.Fatalf("State = %v, want connecting", s)
		}
		// Work asked for now waits for the session.
		subscribed := make(chan error, 1)
		go func() {
			_, err := c.Subscribe(context.Background(), "com.t", nopEvent)
			subscribed <- err
		}()
		short, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := c.WaitJoined(short); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("WaitJoined with the router down = %v", err)
		}
		if s := c.State(); s != client.StateConnecting {
			t.Fatalf("State while retrying = %v, want connecting", s)
		}
		// Dial's own attempt, then one every 0.5s to 1s (backoff with jitter).
		if n := d.Dials(); n < 6 || n > 11 {
			t.Fatalf("%d dials in 5s with a 1s backoff", n)
		}
		// No session was lost: the first change is the first retry, whose
		// Err is Dial's failure.
		first := <-states
		if first.State != client.StateRetrying || !errors.Is(first.Err, client.ErrNotConnected) {
			t.Fatalf("first state change %+v, want retrying with ErrNotConnected", first)
		}
		// A call held meanwhile that ends for want of a session says why.
		callCtx, cancelCall := context.WithTimeout(context.Background(), time.Second)
		defer cancelCall()
		_, err = c.Call(callCtx, "com.p", nil, nil).Await(context.Background())
		if !errors.Is(err, client.ErrCanceled) || !errors.Is(err, context.DeadlineExceeded) ||
			!strings.Contains(err.Error(), "connection refused") {
			t.Fatalf("held call = %v, want it canceled by its deadline, naming the dial failure", err)
		}
		awaitCtx, cancelAwait := context.WithTimeout(context.Background(), time.Second)
		defer cancelAwait()
		heldCtx, cancelHeld := context.WithCancel(context.Background())
		if _, err := c.Call(heldCtx, "com.p", nil, nil).Await(awaitCtx); !errors.Is(err, context.DeadlineExceeded) ||
			!strings.Contains(err.Error(), "connection refused") {
			t.Fatalf("Await ended by ctx = %v, want the dial failure named", err)
		}
		cancelHeld() // never sent

		d.SetFail(nil)
		r := d.Next(t)
		r.Welcome(9, scripted.Roles())
		if err := c.WaitJoined(context.Background()); err != nil {
			t.Fatal(err)
		}
		m := scripted.Expect[*protocol.Subscribe](r)
		r.Send(&protocol.Subscribed{Request: m.Request, Subscription: 1})
		if err := <-subscribed; err != nil {
			t.Fatalf("Subscribe made before the first join: %v", err)
		}
		if c.Session().ID != 9 || c.Serializer() != tr.Serializer() || c.Stats().Reconnects != 0 {
			t.Fatalf("after the first join: %v, reconnects %d", c, c.Stats().Reconnects)
		}
		for sc := range states {
			if sc.State == client.StateLeft {
				t.Fatalf("left reported for a session that never existed: %+v", sc)
			}
			if sc.State == client.StateJoined {
				if sc.Session != 9 || sc.URL != "mem://a" {
					t.Fatalf("joined = %+v", sc)
				}
				break
			}
		}
		if l := logs.String(); strings.Contains(l, "session lost") || strings.Contains(l, "rejoined") || !strings.Contains(l, "wampgo: joined") {
			t.Fatalf("log of a first join made in the background:\n%s", l)
		}
	})
}

func TestFailedConnectWithoutRetry(t *testing.T) {
	d := clienttest.NewDialer(t)
	d.SetFail(errors.New("connection refused"))
	_, err := client.Dial(context.Background(), "mem://a", "realm1", client.WithReconnect(client.Reconnect{Dial: d.Dial}))
	if err == nil || err.Error() != "connection refused" {
		t.Fatalf("Dial = %v, want the dial error", err)
	}
}

// An ABORT that retrying cannot fix ends Dial; over every transport.
func TestRetryOnFailedConnectStopsOnPermanentFailure(t *testing.T) {
	forEachReconnectTransport(t, testRetryOnFailedConnectStopsOnPermanentFailure)
}

func testRetryOnFailedConnectStopsOnPermanentFailure(t *testing.T, tr clienttest.Transport) {
	d := newReconnectDialer(t, tr)
	out := make(chan error, 1)
	go func() {
		_, err := client.Dial(context.Background(), "mem://a", "realm1", client.WithReconnect(client.Reconnect{
			Dial: d.Dial, RetryOnFailedConnect: true,
		}))
		out <- err
	}()
	r := d.Next(t)
	scripted.Expect[*protocol.Hello](r)
	r.Send(&protocol.Abort{Reason: "wamp.error.no_such_realm", Details: protocol.Dict{}})
	var ae *client.AbortError
	if err := <-out; !errors.As(err, &ae) || ae.Reason != "wamp.error.no_such_realm" {
		t.Fatalf("Dial = %v, want the ABORT", err)
	}
}

func TestRetryOnFailedConnectGivesUp(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := clienttest.NewDialer(t)
		d.SetFail(errors.New("connection refused"))
		c, err := client.Dial(context.Background(), "mem://a", "realm1", client.WithReconnect(client.Reconnect{
			Dial: d.Dial, RetryOnFailedConnect: true, MaxAttempts: 3,
		}))
		if err != nil {
			t.Fatal(err)
		}
		<-c.Done()
		if err := c.Err(); !errors.Is(err, client.ErrGaveUp) {
			t.Fatalf("Err = %v, want ErrGaveUp", err)
		}
		if s := c.State(); s != client.StateGaveUp {
			t.Fatalf("State = %v", s)
		}
		if n := d.Dials(); n != 4 {
			t.Fatalf("%d dials, want 1 + 3 attempts", n)
		}
	})
}

// A client whose Dial joins at once reports the router's URL with its
// first StateJoined, as with every later one.
func TestFirstJoinedStateHasURL(t *testing.T) {
	r := wamptest.NewTestRouter(t)
	url := r.ListenWebSocket().URL()
	states := make(chan client.StateChange, 4)
	c, err := client.Dial(ctxT(t), url, "realm1", client.WithReconnect(client.Reconnect{
		OnStateChange: func(sc client.StateChange) { states <- sc },
	}))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctxT(t))
	sc := <-states
	if sc.State != client.StateJoined || sc.URL != url || sc.Session != c.Session().ID {
		t.Fatalf("first state change %+v, want joined at %s", sc, url)
	}
}
