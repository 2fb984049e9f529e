package wamptest_test

// These tests use the kit as a user of wampgo would: only the public API
// of client and client/wamptest, several of them inside a testing/synctest
// bubble, where time-driven behavior runs on the bubble's fake clock.

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

// echo registers com.example.echo on c.
func echo(t *testing.T, c *client.Client) {
	t.Helper()
	if _, err := c.Register(t.Context(), "com.example.echo", func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		return client.Result{Args: inv.Args}, nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestKitInsideSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := wamptest.NewTestRouter(t)
		callee, caller := r.Client(t, "realm1"), r.Client(t, "realm1")
		echo(t, callee)
		res, err := caller.Call(t.Context(), "com.example.echo", protocol.List{"hi"}, nil).Await(t.Context())
		if err != nil || res.Args[0] != "hi" {
			t.Fatalf("echo = %v, %v", res.Args, err)
		}

		// A stalled callee never answers: the call's timeout, enforced by
		// the router, passes on the fake clock in no real time.
		if err := r.Stall(callee.Session().ID); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, err = caller.Call(t.Context(), "com.example.echo", nil, nil, client.Timeout(30*time.Second)).Await(t.Context())
		if !errors.Is(err, client.ErrTimeout) {
			t.Fatalf("call to a stalled callee: %v, want ErrTimeout", err)
		}
		if waited := time.Since(start); waited < 30*time.Second {
			t.Errorf("timed out after %v, want 30s", waited)
		}
		if err := r.Resume(callee.Session().ID); err != nil {
			t.Fatal(err)
		}
		if _, err := caller.Call(t.Context(), "com.example.echo", nil, nil).Await(t.Context()); err != nil {
			t.Fatalf("call after Resume: %v", err)
		}
	})
}

func TestKitReconnectInsideSynctest(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := wamptest.NewTestRouter(t)
		states := make(chan client.StateChange, 16)
		svc := r.Client(t, "realm1", client.WithReconnect(client.Reconnect{
			URLs:          []string{"mem://router"},
			Dial:          r.Dial,
			MinDelay:      time.Second,
			OnStateChange: func(sc client.StateChange) { states <- sc },
		}))
		echo(t, svc)
		caller := r.Client(t, "realm1")
		next := func(want client.State) client.StateChange {
			t.Helper()
			for {
				select {
				case sc := <-states:
					if sc.State == want {
						return sc
					}
				case <-time.After(time.Hour):
					t.Fatalf("no %v state within an hour", want)
				}
			}
		}
		next(client.StateJoined)

		// A dropped connection: the client rejoins, its registration
		// restored.
		first := svc.Session().ID
		if err := r.Drop(first); err != nil {
			t.Fatal(err)
		}
		if sc := next(client.StateJoined); sc.Session == first {
			t.Fatal("rejoined with the old session id")
		}
		if _, err := caller.Call(t.Context(), "com.example.echo", nil, nil).Await(t.Context()); err != nil {
			t.Fatalf("call after the callee rejoined: %v", err)
		}

		// A router restart: both clients lose their session; the
		// reconnecting one comes back once the router is up again.
		r.Stop()
		if err := caller.Wait(t.Context()); err == nil {
			t.Fatal("caller's session survived Stop")
		}
		next(client.StateLeft)
		if _, err := r.Dial(t.Context(), "mem://router"); !errors.Is(err, wamptest.ErrStopped) {
			t.Errorf("Dial while stopped: %v, want ErrStopped", err)
		}
		if _, err := r.Connect(t.Context(), "realm1"); err == nil {
			t.Error("joined a stopped router over a pipe")
		}
		retry := next(client.StateRetrying)
		synctest.Wait()
		if retry.Delay <= 0 {
			t.Errorf("retry delay %v", retry.Delay)
		}
		r.Start()
		next(client.StateJoined)
		caller = r.Client(t, "realm1")
		if _, err := caller.Call(t.Context(), "com.example.echo", nil, nil).Await(t.Context()); err != nil {
			t.Fatalf("call after the restart: %v", err)
		}
	})
}

func TestKitKillAndAbort(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := wamptest.NewTestRouter(t)
		killed, aborted := r.Client(t, "realm1"), r.Client(t, "realm1")
		if err := r.Kill(killed.Session().ID, "com.example.maintenance", "back soon"); err != nil {
			t.Fatal(err)
		}
		var gerr *client.GoodbyeError
		if err := killed.Wait(t.Context()); !errors.As(err, &gerr) || gerr.Reason != "com.example.maintenance" {
			t.Errorf("killed client ended with %v", err)
		}
		if err := r.Abort(aborted.Session().ID, "com.example.banned", "go away"); err != nil {
			t.Fatal(err)
		}
		var aerr *client.AbortError
		if err := aborted.Wait(t.Context()); !errors.As(err, &aerr) || aerr.Reason != "com.example.banned" || aerr.Message() != "go away" {
			t.Errorf("aborted client ended with %v", err)
		}
		if err := r.Kill(aborted.Session().ID, "", ""); !errors.Is(err, wamptest.ErrNoSession) {
			t.Errorf("Kill of a gone session: %v, want ErrNoSession", err)
		}
		if ids := r.Sessions("realm1"); len(ids) != 0 {
			t.Errorf("sessions left: %v", ids)
		}
	})
}

func TestKitMessageLog(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := wamptest.NewTestRouter(t)
		callee, caller := r.Client(t, "realm1"), r.Client(t, "realm1")
		echo(t, callee)
		if _, err := caller.Call(t.Context(), "com.example.echo", protocol.List{"x"}, nil, client.DiscloseMe()).Await(t.Context()); err != nil {
			t.Fatal(err)
		}
		log := r.Log(caller.Session().ID)
		calls := log.Sent(protocol.TypeCall)
		if len(calls) != 1 || calls[0].(*protocol.Call).Options["disclose_me"] != true {
			t.Errorf("CALLs sent: %v, want one with disclose_me", calls)
		}
		if hellos := log.Sent(protocol.TypeHello); len(hellos) != 1 {
			t.Errorf("HELLOs sent: %v", hellos)
		}
		invs := r.Log(callee.Session().ID).Received(protocol.TypeInvocation)
		if len(invs) != 1 || invs[0].(*protocol.Invocation).Details["caller"] != int64(caller.Session().ID) {
			t.Errorf("INVOCATIONs received: %v, want one naming the caller", invs)
		}
		recs := log.Records()
		if recs[0].Dir != wamptest.FromClient || recs[1].Msg.Type() != protocol.TypeWelcome {
			t.Errorf("log starts %v, %v", recs[0], recs[1])
		}
		// Await waits for a message still to come: the GOODBYE of a
		// session that is closing.
		go caller.Close(context.Background())
		rec, err := log.Await(t.Context(), func(rec wamptest.Record) bool {
			return rec.Dir == wamptest.ToClient && rec.Msg.Type() == protocol.TypeGoodbye
		})
		if err != nil || rec.Msg.(*protocol.Goodbye).Reason != protocol.URICloseGoodbyeAndOut {
			t.Errorf("Await GOODBYE: %v, %v", rec, err)
		}
		if r.Log(12345) != nil {
			t.Error("a log for a session that never was")
		}
		quiet := wamptest.NewTestRouter(t, wamptest.WithoutMessageLog())
		if c := quiet.Client(t, "realm1"); quiet.Log(c.Session().ID) != nil {
			t.Error("a log WithoutMessageLog")
		}
	})
}

func TestKitWebSocket(t *testing.T) {
	r := wamptest.NewTestRouter(t)
	l := r.ListenWebSocket()
	callee, err := client.Dial(t.Context(), l.URL(), "realm1")
	if err != nil {
		t.Fatal(err)
	}
	defer callee.Close(context.Background())
	echo(t, callee)
	caller := r.Client(t, "realm1") // WebSocket and pipe sessions share the realm
	if _, err := caller.Call(t.Context(), "com.example.echo", nil, nil).Await(t.Context()); err != nil {
		t.Fatal(err)
	}
	r.Stop()
	if err := callee.Wait(t.Context()); err == nil {
		t.Error("WebSocket session survived Stop")
	}
	resp, err := http.Get("http" + strings.TrimPrefix(l.URL(), "ws"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("stopped router answered %d", resp.StatusCode)
	}
	if _, err := client.Dial(t.Context(), l.URL(), "realm1"); err == nil {
		t.Error("joined a stopped router")
	}
	r.Start()
	c, err := client.Dial(t.Context(), l.URL(), "realm1")
	if err != nil {
		t.Fatal(err)
	}
	c.Close(t.Context())
}
