package client_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// dialReconnecting dials a reconnecting client through d and welcomes it.
func dialReconnecting(t *testing.T, d *clienttest.Dialer, r client.Reconnect, opts ...client.Option) (*client.Client, *scripted.Router) {
	t.Helper()
	r.Dial = d.Dial
	type res struct {
		c   *client.Client
		err error
	}
	out := make(chan res, 1)
	go func() {
		c, err := client.Dial(context.Background(), "mem://a", "realm1", append(opts, client.WithReconnect(r))...)
		out <- res{c, err}
	}()
	router := d.Next(t)
	router.Welcome(1, scripted.Roles())
	got := <-out
	if got.err != nil {
		t.Fatal(got.err)
	}
	t.Cleanup(func() { clienttest.Close(t, got.c) })
	return got.c, router
}

func TestStateFollowsReconnects(t *testing.T) {
	forEachReconnectTransport(t, func(t *testing.T, tr clienttest.Transport) {
		synctest.Test(t, func(t *testing.T) {
			d := newReconnectDialer(t, tr)
			c, r1 := dialReconnecting(t, d.Dialer, client.Reconnect{MinDelay: time.Second, MaxDelay: time.Second})
			if s := c.State(); s != client.StateJoined {
				t.Fatalf("State after Dial = %v, want joined", s)
			}
			if err := c.WaitJoined(ctxT(t)); err != nil {
				t.Fatalf("WaitJoined while joined: %v", err)
			}
			sub, _ := clienttest.Subscribe(t, c, r1, "com.t", 7, func(context.Context, *client.Event) {})

			d.SetFail(errors.New("router down"))
			r1.Transport().Close()
			synctest.Wait()
			if s := c.State(); s != client.StateRetrying && s != client.StateLeft {
				t.Fatalf("State after the connection died = %v, want left or retrying", s)
			}
			short, cancel := context.WithTimeout(context.Background(), 3*time.Second)
			defer cancel()
			if err := c.WaitJoined(short); !errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("WaitJoined while the router is down = %v, want the deadline", err)
			}

			waited := make(chan error, 1)
			go func() { waited <- c.WaitJoined(context.Background()) }()
			d.SetFail(nil)
			r2 := d.Next(t)
			r2.Welcome(2, scripted.Roles())
			// Joined means restored: WaitJoined must still wait for SUBSCRIBED.
			m := scripted.Expect[*protocol.Subscribe](r2)
			synctest.Wait()
			select {
			case err := <-waited:
				t.Fatalf("WaitJoined returned %v before the subscription was restored", err)
			default:
			}
			r2.Send(&protocol.Subscribed{Request: m.Request, Subscription: 8})
			if err := <-waited; err != nil {
				t.Fatalf("WaitJoined after the rejoin: %v", err)
			}
			if sub.ID() != 8 || c.State() != client.StateJoined || c.Session().ID != 2 {
				t.Fatalf("after rejoin: sub %d, state %v, session %d", sub.ID(), c.State(), c.Session().ID)
			}
			if n := c.Stats().Reconnects; n != 1 {
				t.Fatalf("Stats().Reconnects = %d, want 1", n)
			}

			go func() {
				scripted.Expect[*protocol.Goodbye](r2)
				r2.Send(&protocol.Goodbye{Reason: "wamp.close.goodbye_and_out", Details: protocol.Dict{}})
			}()
			if err := c.Close(ctxT(t)); err != nil {
				t.Fatal(err)
			}
			if s := c.State(); s != client.StateClosed {
				t.Fatalf("State after Close = %v, want closed", s)
			}
			if err := c.WaitJoined(ctxT(t)); !errors.Is(err, client.ErrClosed) {
				t.Fatalf("WaitJoined after Close = %v, want ErrClosed", err)
			}
		})
	})
}

func TestStateGaveUp(t *testing.T) {
	forEachReconnectTransport(t, func(t *testing.T, tr clienttest.Transport) {
		synctest.Test(t, func(t *testing.T) {
			d := newReconnectDialer(t, tr)
			c, r1 := dialReconnecting(t, d.Dialer, client.Reconnect{MinDelay: time.Second, MaxAttempts: 2})
			d.SetFail(errors.New("router down"))
			r1.Transport().Close()
			synctest.Wait()
			if err := c.WaitJoined(context.Background()); !errors.Is(err, client.ErrClosed) || !errors.Is(err, client.ErrGaveUp) {
				t.Fatalf("WaitJoined = %v, want ErrClosed wrapping ErrGaveUp", err)
			}
			if s := c.State(); s != client.StateGaveUp {
				t.Fatalf("State = %v, want gave-up", s)
			}
		})
	})
}

func TestStatePlainClient(t *testing.T) {
	c, r := clienttest.Joined(t)
	if c.State() != client.StateJoined || c.State().String() != "joined" {
		t.Fatalf("State = %v", c.State())
	}
	if got := c.Serializer(); got != "json" {
		t.Fatalf("Serializer = %q, want json", got)
	}
	r.Transport().Close()
	<-c.Done()
	if c.State() != client.StateClosed || c.State().String() != "closed" {
		t.Fatalf("State after the router left = %v", c.State())
	}
	if client.StateConnecting.String() != "connecting" {
		t.Fatal(client.StateConnecting.String())
	}
}
