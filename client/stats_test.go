package client_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/internal/clienttest"
	"github.com/wampgo/wampgo/internal/scripted"
	"github.com/wampgo/wampgo/mailbox"
	"github.com/wampgo/wampgo/protocol"
)

func TestStatsCountsTraffic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		clienttest.Register(t, c, r, "com.p", 10, func(_ context.Context, inv *client.Invocation) (client.Result, error) {
			if len(inv.Args) > 0 {
				return client.Result{}, errors.New("no args, please")
			}
			return client.Result{}, nil
		})
		clienttest.Subscribe(t, c, r, "com.t", 20, func(context.Context, *client.Event) {})

		// Two invocations: one succeeds, one fails.
		r.Send(&protocol.Invocation{Request: 1, Registration: 10, Details: protocol.Dict{}})
		scripted.Expect[*protocol.Yield](r)
		r.Send(&protocol.Invocation{Request: 2, Registration: 10, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"x"}}})
		scripted.Expect[*protocol.Error](r)
		// Three events.
		for i := range 3 {
			r.Send(&protocol.Event{Subscription: 20, Publication: protocol.ID(i + 1), Details: protocol.Dict{}})
		}
		// A call with one progressive and one final result, a call that
		// fails, and one refused before sending.
		ok := c.Call(ctxT(t), "com.remote", nil, nil, client.ReceiveProgress())
		m := scripted.Expect[*protocol.Call](r)
		r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{"progress": true}})
		r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
		if _, err := ok.Await(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		bad := c.Call(ctxT(t), "com.remote", nil, nil)
		m = scripted.Expect[*protocol.Call](r)
		r.Send(&protocol.Error{RequestType: protocol.TypeCall, Request: m.Request, Details: protocol.Dict{}, Error: "com.err"})
		if _, err := bad.Await(ctxT(t)); err == nil {
			t.Fatal("the ERROR did not fail the call")
		}
		if _, err := c.Call(ctxT(t), "com.remote", nil, nil, client.Timeout(-1)).Await(ctxT(t)); err == nil {
			t.Fatal("a negative timeout was accepted")
		}
		// One publication.
		if _, err := c.Publish(ctxT(t), "com.t", nil, nil); err != nil {
			t.Fatal(err)
		}
		scripted.Expect[*protocol.Publish](r)
		synctest.Wait()

		got := c.Stats()
		want := client.Stats{
			CallsStarted: 3, CallsSucceeded: 1, CallsFailed: 2, Results: 2,
			Invocations: 2, InvocationsFailed: 1,
			EventsReceived: 3, EventsDelivered: 3,
			Publications: 1,
			// In: REGISTERED, SUBSCRIBED, 2 INVOCATION, 3 EVENT, 2 RESULT, ERROR.
			MessagesIn: 10,
			// Out: REGISTER, SUBSCRIBE, YIELD, ERROR, 2 CALL, PUBLISH.
			MessagesOut: 7,
			PeakPending: got.PeakPending,
		}
		if got != want {
			t.Fatalf("Stats:\n got  %+v\n want %+v", got, want)
		}
		if got.PeakPending < 1 || got.PeakPending > 3 {
			t.Fatalf("PeakPending = %d, want 1..3", got.PeakPending)
		}
	})
}

func TestStatsPendingAndDropped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		release := make(chan struct{})
		clienttest.Subscribe(t, c, r, "com.t", 20, func(ctx context.Context, ev *client.Event) {
			select {
			case <-release:
			case <-ctx.Done():
			}
		}, client.MailboxLimits(mailbox.Limits{MaxMessages: 1}))
		r.Send(&protocol.Event{Subscription: 20, Publication: 1, Details: protocol.Dict{}})
		synctest.Wait() // the handler holds the first event
		r.Send(&protocol.Event{Subscription: 20, Publication: 2, Details: protocol.Dict{}})
		r.Send(&protocol.Event{Subscription: 20, Publication: 3, Details: protocol.Dict{}})
		synctest.Wait()
		s := c.Stats()
		if s.Pending != 2 || s.PeakPending != 2 || s.EventsDropped != 1 || s.EventsReceived != 3 || s.EventsDelivered != 0 {
			t.Fatalf("with a stuck handler: %+v", s)
		}
		close(release)
		synctest.Wait()
		s = c.Stats()
		if s.Pending != 0 || s.PeakPending != 2 || s.EventsDelivered != 2 {
			t.Fatalf("after release: %+v", s)
		}
	})
}

func TestStatsPendingForgetsDiscardedWork(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		clienttest.Subscribe(t, c, r, "com.t", 20, func(ctx context.Context, ev *client.Event) { <-ctx.Done() })
		for i := range 4 {
			r.Send(&protocol.Event{Subscription: 20, Publication: protocol.ID(i + 1), Details: protocol.Dict{}})
		}
		synctest.Wait()
		if p := c.Stats().Pending; p != 4 {
			t.Fatalf("Pending = %d, want 4", p)
		}
		// The session ends: the queued events are thrown away.
		r.Transport().Close()
		<-c.Done()
		if p := c.Stats().Pending; p != 0 {
			t.Fatalf("Pending after the end = %d, want 0", p)
		}
	})
}

func TestStatsCountsBytesOfDialledConnections(t *testing.T) {
	router := wamptest.NewRouter()
	defer router.Close()
	srv := httptest.NewServer(router.Handler())
	defer srv.Close()
	c, err := client.Dial(ctxT(t), "ws"+strings.TrimPrefix(srv.URL, "http"), "realm1")
	if err != nil {
		t.Fatal(err)
	}
	defer clienttest.Close(t, c)
	before := c.Stats()
	if before.BytesIn == 0 || before.BytesOut == 0 {
		t.Fatalf("the opening handshake was not counted: %+v", before)
	}
	if _, err := c.Publish(ctxT(t), "com.t", protocol.List{"some bytes"}, nil, client.Acknowledge()); err != nil {
		t.Fatal(err)
	}
	after := c.Stats()
	if after.BytesOut <= before.BytesOut || after.BytesIn <= before.BytesIn || after.MessagesOut != 1 || after.MessagesIn != 1 {
		t.Fatalf("after one acknowledged PUBLISH: before %+v, after %+v", before, after)
	}
}
