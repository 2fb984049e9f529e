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

// checkCancelErr fails unless err matches both ErrCanceled and the
// context's own error.
func checkCancelErr(t *testing.T, err, ctxErr error) {
	t.Helper()
	if !errors.Is(err, client.ErrCanceled) || !errors.Is(err, ctxErr) {
		t.Fatalf("err = %v: want it to match ErrCanceled and %v", err, ctxErr)
	}
}

// A call whose context ends is one error whatever the path: Call in kill
// mode (the router's ERROR completes it), Call in the other modes, and
// CallTyped; each matches ErrCanceled and the context's error.
func TestCanceledCallMatchesContextError(t *testing.T) {
	t.Run("Call/kill/deadline", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, r := clienttest.Joined(t)
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			call := c.Call(ctx, "slow", nil, nil)
			m := scripted.Expect[*protocol.Call](r)
			scripted.Expect[*protocol.Cancel](r)
			r.Send(&protocol.Error{RequestType: protocol.TypeCall, Request: m.Request, Details: protocol.Dict{}, Error: "wamp.error.canceled"})
			<-call.Done()
			_, err := call.Await(context.Background())
			checkCancelErr(t, err, context.DeadlineExceeded)
			var we *client.Error
			if !errors.As(err, &we) || we.URI != "wamp.error.canceled" {
				t.Fatalf("the router's ERROR is not reachable with errors.As: %v", err)
			}
		})
	})
	t.Run("Call/kill/cancel", func(t *testing.T) {
		c, r := clienttest.Joined(t)
		ctx, cancel := context.WithCancel(context.Background())
		call := c.Call(ctx, "slow", nil, nil)
		m := scripted.Expect[*protocol.Call](r)
		cancel()
		scripted.Expect[*protocol.Cancel](r)
		r.Send(&protocol.Error{RequestType: protocol.TypeCall, Request: m.Request, Details: protocol.Dict{}, Error: "wamp.error.canceled"})
		_, err := await(t, call)
		checkCancelErr(t, err, context.Canceled)
	})
	t.Run("Call/killnowait/deadline", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, r := clienttest.Joined(t)
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			call := c.Call(ctx, "slow", nil, nil, client.WithCancelMode(client.CancelKillNoWait))
			scripted.Expect[*protocol.Call](r)
			scripted.Expect[*protocol.Cancel](r)
			_, err := call.Await(context.Background())
			checkCancelErr(t, err, context.DeadlineExceeded)
		})
	})
	t.Run("CallTyped/deadline", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			c, r := clienttest.Joined(t)
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			defer cancel()
			errc := make(chan error, 1)
			go func() {
				_, err := client.CallTyped[int](ctx, c, "slow", 1)
				errc <- err
			}()
			scripted.Expect[*protocol.Call](r)
			scripted.Expect[*protocol.Cancel](r)
			// The router never answers the kill: CallTyped still returns
			// when ctx ends, with an error that says why.
			checkCancelErr(t, <-errc, context.DeadlineExceeded)
		})
	})
	t.Run("CallTyped/cancel/answered", func(t *testing.T) {
		c, r := clienttest.Joined(t)
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		go func() {
			_, err := client.CallTyped[int](ctx, c, "slow", 1)
			errc <- err
		}()
		m := scripted.Expect[*protocol.Call](r)
		cancel()
		scripted.Expect[*protocol.Cancel](r)
		r.Send(&protocol.Error{RequestType: protocol.TypeCall, Request: m.Request, Details: protocol.Dict{}, Error: "wamp.error.canceled"})
		checkCancelErr(t, <-errc, context.Canceled)
	})
}
