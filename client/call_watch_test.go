package client_test

import (
	"context"
	"errors"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// Calls made with one context share its watch: its end cancels every call
// still pending, in its own cancel mode, and no other call.
func TestCallsSharingAContextAreCanceledTogether(t *testing.T) {
	c, r := clienttest.Joined(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	answered := c.Call(ctx, "a", nil, nil)
	ma := scripted.Expect[*protocol.Call](r)
	skip := c.Call(ctx, "b", nil, nil, client.WithCancelMode(client.CancelSkip))
	mb := scripted.Expect[*protocol.Call](r)
	kill := c.Call(ctx, "c", nil, nil) // CancelKill: waits for the router
	mc := scripted.Expect[*protocol.Call](r)
	other := c.Call(ctxT(t), "d", nil, nil)
	md := scripted.Expect[*protocol.Call](r)

	r.Send(&protocol.Result{Request: ma.Request, Details: protocol.Dict{}})
	if _, err := await(t, answered); err != nil {
		t.Fatalf("answered call: %v", err)
	}
	cancel()
	modes := map[protocol.ID]string{}
	for range 2 {
		cm := scripted.Expect[*protocol.Cancel](r)
		modes[cm.Request], _ = cm.Options["mode"].(string)
	}
	if modes[mb.Request] != "skip" || modes[mc.Request] != "kill" || len(modes) != 2 {
		t.Fatalf("CANCELs by request: %v (want %d: skip, %d: kill)", modes, mb.Request, mc.Request)
	}
	if _, err := await(t, skip); !errors.Is(err, client.ErrCanceled) || !errors.Is(err, context.Canceled) {
		t.Fatalf("skip: err = %v", err)
	}
	select {
	case <-kill.Done():
		t.Fatal("kill mode completed before the router answered")
	default:
	}
	r.Send(&protocol.Error{RequestType: protocol.TypeCall, Request: mc.Request, Details: protocol.Dict{}, Error: "wamp.error.canceled"})
	if _, err := await(t, kill); !errors.Is(err, client.ErrCanceled) {
		t.Fatalf("kill: err = %v", err)
	}
	select {
	case <-other.Done():
		t.Fatal("a call with another context was canceled")
	default:
	}
	r.Send(&protocol.Result{Request: md.Request, Details: protocol.Dict{}})
	if _, err := await(t, other); err != nil {
		t.Fatalf("other: %v", err)
	}
	// A call made with the ended context ends at once.
	if _, err := await(t, c.Call(ctx, "e", nil, nil)); !errors.Is(err, client.ErrCanceled) {
		t.Fatalf("call with an ended context: err = %v", err)
	}
}

// Calls made one after another with one context each watch it while they
// are pending (the loop re-arms a stopped watch): the context's end
// cancels the one pending then.
func TestSequentialCallsWatchTheirContext(t *testing.T) {
	c, r := clienttest.Joined(t)
	for round := range 3 {
		ctx, cancel := context.WithCancel(context.Background())
		for range 3 {
			call := c.Call(ctx, "p", nil, nil)
			m := scripted.Expect[*protocol.Call](r)
			r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
			if _, err := await(t, call); err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
		}
		pending := c.Call(ctx, "p", nil, nil, client.WithCancelMode(client.CancelKillNoWait))
		m := scripted.Expect[*protocol.Call](r)
		cancel()
		if cm := scripted.Expect[*protocol.Cancel](r); cm.Request != m.Request {
			t.Fatalf("round %d: CANCEL of %d, want %d", round, cm.Request, m.Request)
		}
		if _, err := await(t, pending); !errors.Is(err, client.ErrCanceled) {
			t.Fatalf("round %d: err = %v", round, err)
		}
	}
}
