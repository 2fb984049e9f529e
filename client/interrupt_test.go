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

// causeOf registers a handler that waits for its context to end and
// reports context.Cause, returning the handler's ctx.Err().
func causeOf(t *testing.T, c *client.Client, r *scripted.Router) <-chan error {
	t.Helper()
	causes := make(chan error, 4)
	clienttest.Register(t, c, r, "com.slow", 10, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		<-ctx.Done()
		causes <- context.Cause(ctx)
		return client.Result{}, ctx.Err()
	})
	return causes
}

func TestInterruptCauseTellsTimeoutFromCancel(t *testing.T) {
	c, r := clienttest.Joined(t)
	causes := causeOf(t, c, r)

	// The dealer's timeout, in kill mode: the handler's answer is passed on.
	r.Send(&protocol.Invocation{Request: 1, Registration: 10, Details: protocol.Dict{}})
	r.Send(&protocol.Interrupt{Request: 1, Options: protocol.Dict{"mode": "kill", "reason": "wamp.error.timeout"}})
	cause := <-causes
	var ie *client.InterruptError
	if !errors.As(cause, &ie) || ie.Mode != client.CancelKill || ie.Reason != "wamp.error.timeout" || !ie.Timeout() {
		t.Fatalf("cause = %#v, want an *InterruptError for the timeout", cause)
	}
	if !errors.Is(cause, client.ErrInterrupted) || !errors.Is(cause, client.ErrTimeout) || errors.Is(cause, client.ErrCanceled) {
		t.Fatalf("cause %v matches the wrong sentinels", cause)
	}
	if !errors.Is(cause, context.Canceled) {
		t.Fatalf("cause %v does not match context.Canceled", cause)
	}
	e := scripted.Expect[*protocol.Error](r)
	if e.Request != 1 || e.Error != "wamp.error.canceled" {
		t.Fatalf("answer to the interrupted call: %s", scripted.Describe(e))
	}

	// A caller's cancel, in killnowait mode, without a reason: nothing is
	// sent back.
	r.Send(&protocol.Invocation{Request: 2, Registration: 10, Details: protocol.Dict{}})
	r.Send(&protocol.Interrupt{Request: 2, Options: protocol.Dict{"mode": "killnowait"}})
	cause = <-causes
	if !errors.As(cause, &ie) || ie.Mode != client.CancelKillNoWait || ie.Timeout() || !errors.Is(cause, client.ErrCanceled) {
		t.Fatalf("cause = %#v, want a caller's cancel", cause)
	}
	if want := "wampgo: call interrupted by the router (mode killnowait)"; cause.Error() != want {
		t.Fatalf("message %q, want %q", cause.Error(), want)
	}
}

func TestForwardedTimeoutIsNotAnInterrupt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		causes := causeOf(t, c, r)
		start := time.Now()
		r.Send(&protocol.Invocation{Request: 1, Registration: 10, Details: protocol.Dict{"timeout": int64(1500)}})
		cause := <-causes
		if errors.Is(cause, client.ErrInterrupted) || !errors.Is(cause, client.ErrTimeout) {
			t.Fatalf("cause = %v, want the forwarded timeout", cause)
		}
		if d := time.Since(start); d != 1500*time.Millisecond {
			t.Fatalf("the handler's context ended after %v, want 1.5s", d)
		}
		if e := scripted.Expect[*protocol.Error](r); e.Error != "wamp.error.timeout" {
			t.Fatalf("answer: %s", scripted.Describe(e))
		}
	})
}
