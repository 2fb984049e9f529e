package client

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/wampgo/wampgo/actor"
)

// ErrDraining matches the error of Subscribe and Register once Drain has
// begun.
var ErrDraining = errors.New("wampgo: client is draining")

// Drain ends the client gracefully: it stops taking new work, lets the work
// already taken finish, then closes the session.
//
//  1. Subscribe and Register fail from now on with ErrDraining; Call and
//     Publish still work (handlers finishing their work may need them).
//  2. Every subscription and registration is removed (UNSUBSCRIBE,
//     UNREGISTER): the router sends no more events or invocations.
//  3. Events already queued for a handler are handled, and invocations
//     already received run to completion and are answered; their handlers'
//     contexts stay alive meanwhile.
//  4. The session is closed with GOODBYE (as Close does).
//
// The whole is bounded by ctx: if it ends first, the work still queued is
// dropped, the session is closed at once (bounded by WithCloseTimeout) and
// Drain returns ctx's error. Otherwise it returns nil, or the first error
// of a removal the router refused, or Close's error.
//
// Drain waits for the handlers, so a handler must not call it on its own
// goroutine: it is refused with an error matching ErrInvalidArgument; start
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
		mb.Close()
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
}

// endDraining ends a subscription's or registration's mailbox while the
// client drains: it takes no more work but handles what it holds, with
// the handlers' contexts left alive. It reports false when the client is
// not draining: the caller then ends the mailbox at once.
func (c *Client) endDraining(mb drainable) bool {
	if !c.watch.draining.Load() {
		return false
	}
	mb.CloseWhenDrained()
	return true
}

// cmdDrain asks the loop to remove every subscription and registration.
type cmdDrain struct {
	reply actor.Reply[drainReply]
}

func (*cmdDrain) isCommand() {}

// drainReply lists the mailboxes to wait for, and the first error of a
// removal.
type drainReply struct {
	mailboxes []drainable
	err       error
}

// handleDrain removes every subscription and registration (their mailboxes
// drain, as Client.draining is set) and replies once the router has
// answered every removal.
func (s *loopState) handleDrain(c *cmdDrain) {
	var r drainReply
	subs, regs := slices.Clone(s.localSubs), slices.Clone(s.localRegs)
	waiting := len(subs) + len(regs) + 1
	answered := func(err error) {
		if err != nil && r.err == nil {
			r.err = err
		}
		if waiting--; waiting == 0 {
			c.reply <- r
		}
	}
	for _, sub := range subs {
		r.mailboxes = append(r.mailboxes, sub.mb)
		s.removeSub(sub, answered)
	}
	for _, reg := range regs {
		r.mailboxes = append(r.mailboxes, reg.mb)
		s.removeReg(reg, answered)
	}
	answered(nil)
}
