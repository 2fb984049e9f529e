package client

import (
	"context"
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/actor"
)

// Drain ends the client gracefully: it stops taking new work, lets the work
// already taken finish, then closes the session.
//
//  1. Subscribe and Register fail from now on with ErrDraining; Call and
//     Publish still work (handlers finishing their work may need them).
//  2. Every subscription and registration is removed (UNSUBSCRIBE,
//     UNREGISTER). Events and invocations the router sends until it
//     confirms are still taken; after that it sends no more.
//  3. Every event taken is handled, and every invocation taken runs to
//     completion and is answered; the handlers' contexts stay alive
//     meanwhile.
//  4. The session is closed with GOODBYE (as Close does).
//
// The whole is bounded by ctx: if it ends first, the work still queued is
// dropped, the session is closed at once (bounded by WithCloseTimeout) and
// Drain returns ctx's error. Otherwise it returns nil, or the first error
// of a removal the router refused, or Close's error.
//
// A Subscribe or Register that began before Drain may still complete; what
// it set up then lasts until the session ends. Drain waits for the
// handlers, so a handler must not call it on its own goroutine: it is refused with an error matching ErrInvalidArgument; start
// a new goroutine instead. Drain is safe to call concurrently with any
// other method; once the client has ended it returns what Close returns.
func (c *Client) Drain(ctx context.Context, opts ...CloseOption) error {
	if ctx.Value(handlerKey{}) == c {
		return &ArgumentError{Op: "Drain", Arg: "context", Reason: "called from a handler, which Drain would wait for; call it on a new goroutine"}
	}
	c.watch.draining.Store(true)
	r, err := actor.Ask(ctx, c.loop, func(r actor.Reply[drainReply]) command { return &cmdDrain{reply: r} })
	if err != nil {
		if errors.Is(err, actor.ErrStopped) {
			return c.Close(ctx, opts...)
		}
		return c.abandonDrain(ctx, nil, opts)
	}
	for _, mb := range r.mailboxes {
		select {
		case <-mb.Done():
		case <-ctx.Done():
			return c.abandonDrain(ctx, r.mailboxes, opts)
		}
	}
	if err := c.Close(ctx, opts...); err != nil {
		return err
	}
	return r.err
}

// abandonDrain ends a drain whose context ended: queued work is dropped and
// the session closed within the close timeout.
func (c *Client) abandonDrain(ctx context.Context, mbs []drainable, opts []CloseOption) error {
	for _, mb := range mbs {
		c.closeMailbox(mb)
	}
	closeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.cfg.closeTimeout)
	defer cancel()
	c.Close(closeCtx, opts...)
	return fmt.Errorf("wampgo: drain: %w", ctx.Err())
}

// checkDraining refuses op once Drain has begun.
func (c *Client) checkDraining(op string) error {
	if c.watch.draining.Load() {
		return fmt.Errorf("%w: %s refused", ErrDraining, op)
	}
	return nil
}

// drainable is a handler mailbox as Drain sees it.
type drainable interface {
	Done() <-chan struct{}
	Close()
	CloseWhenDrained()
	Discarded() uint64
}
