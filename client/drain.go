package client

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/wampgo/wampgo/actor"
	"github.com/wampgo/wampgo/protocol"
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

// handleDrain sends UNSUBSCRIBE and UNREGISTER for everything, and
// replies once the router has answered every one. Until its answer, a
// subscription still gets the events and a registration the invocations
// that the router sent before it took the removal in; then the local
// objects are retired, and their mailboxes drain (Client.draining is set).
// Without a session (reconnecting), they are retired at once.
func (s *loopState) handleDrain(c *cmdDrain) {
	var r drainReply
	for _, sub := range s.localSubs {
		if sub.mb != nil {
			r.mailboxes = append(r.mailboxes, sub.mb)
		}
	}
	for _, reg := range s.localRegs {
		if reg.mb != nil {
			r.mailboxes = append(r.mailboxes, reg.mb)
		}
	}
	waiting := 1
	answered := func(err error) {
		if err != nil && r.err == nil {
			r.err = err
		}
		if waiting--; waiting == 0 {
			c.reply <- r
		}
	}
	for _, e := range s.subs {
		waiting++
		s.removeAfterReply(&protocol.Unsubscribe{Subscription: e.id}, func() { s.dropSubEntry(e, nil) }, answered)
	}
	for _, reg := range slices.Clone(s.localRegs) {
		if id := reg.ID(); id != 0 && s.regs[id] == reg {
			waiting++
			s.removeAfterReply(&protocol.Unregister{Registration: id}, func() { s.dropReg(reg, errDrained) }, answered)
		}
	}
	// Whatever has no router id (held while reconnecting) goes now.
	for _, sub := range slices.Clone(s.localSubs) {
		if _, ok := s.subs[sub.ID()]; !ok {
			s.retireSub(sub)
		}
	}
	for _, reg := range slices.Clone(s.localRegs) {
		if reg.ID() == 0 || s.regs[reg.ID()] != reg {
			s.dropReg(reg, errDrained)
		}
	}
	answered(nil)
}

// errDrained ends what Drain removed.
var errDrained = errors.New("wampgo: drained")

// removeAfterReply sends an UNSUBSCRIBE or UNREGISTER (msg, without its
// request id) and runs retire once the router has answered (or the
// session has ended), then done with the router's error.
func (s *loopState) removeAfterReply(msg protocol.Message, retire func(), done func(error)) {
	req := s.nextID()
	switch m := msg.(type) {
	case *protocol.Unsubscribe:
		m.Request = req
	case *protocol.Unregister:
		m.Request = req
	}
	s.request(req, msg, func(_ protocol.Message, err error) {
		retire()
		done(err)
	})
}
