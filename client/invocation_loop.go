package client

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// handleInvocation starts an invocation, or feeds a further input chunk to
// one with progressive invocations.
func (s *loopState) handleInvocation(m *protocol.Invocation) error {
	if inv, ok := s.invocations[m.Request]; ok {
		return s.feedInput(inv, m)
	}
	reg := s.regs[m.Registration]
	if reg == nil || reg.removed {
		// An invocation racing our UNREGISTER.
		s.write(&protocol.Error{RequestType: protocol.TypeInvocation, Request: m.Request,
			Details: protocol.Dict{}, Error: uriNoSuchRegistration})
		return nil
	}
	inv := newInvocation(s.c, reg, m)
	ctx, cancel := context.WithCancelCause(reg.ctx)
	inv.ctx, inv.cancel = ctx, cancel
	if inv.Timeout > 0 {
		tctx, stop := context.WithTimeoutCause(ctx, inv.Timeout, ErrTimeout)
		inv.ctx = tctx
		inv.cancel = func(cause error) { stop(); cancel(cause) }
	}
	if progress, _ := m.Details["progress"].(bool); progress {
		s.startInputs(inv, reg)
	}
	if !reg.mb.TryPut(inv, messageSize(m.Details, m.Payload)) {
		// Policy Fail, always: the caller is told at once.
		s.endInvocationInputs(inv)
		inv.cancel(errQueueFull)
		s.c.cfg.logger.Warn("wampgo: invocation refused: queue full", "procedure", reg.procedure, "request", m.Request)
		s.write(&protocol.Error{RequestType: protocol.TypeInvocation, Request: m.Request,
			Details: protocol.Dict{}, Error: uriUnavailable,
			Payload: protocol.Payload{Args: protocol.List{"callee overloaded: queue full"}}})
		return nil
	}
	s.invocations[m.Request] = inv
	s.c.stats().queued()
	return nil
}

func (s *loopState) handleInterrupt(m *protocol.Interrupt) {
	inv, ok := s.invocations[m.Request]
	if !ok {
		return // already answered
	}
	mode, _ := m.Options["mode"].(string)
	if mode == "" {
		mode = string(CancelKill)
	}
	inv.interrupted = CancelMode(mode)
	inv.cancel(interruptCause(m, inv.interrupted))
	if inv.interrupted == CancelKillNoWait {
		// The dealer ignores any answer now.
		s.dropInvocation(inv)
	}
}

// handleYield sends a handler's progressive or final outcome.
func (s *loopState) handleYield(c *cmdYield) {
	inv := c.inv
	if s.invocations[inv.req] != inv {
		if c.reply != nil {
			c.reply <- errors.New("wampgo: invocation has ended")
		}
		return
	}
	var msg protocol.Message = inv.yield(c.progress)
	if c.err != nil {
		msg = inv.errorMessage(c.err.URI)
	}
	if err := s.admit("Yield", msg, c.payload); err != nil {
		// Encoded for the connection before a reconnect, it does not fit
		// the new one.
		if c.progress {
			c.reply <- err
		} else {
			s.finishInvocation(inv, err)
		}
		return
	}
	err := s.send(msg, c.payload.payload)
	if c.progress {
		c.reply <- err
		return
	}
	if err != nil {
		s.c.reportError(fmt.Errorf("wampgo: answering %q: %w", inv.Procedure, err))
	}
	s.dropInvocation(inv)
}

// finishInvocation answers an invocation with an ERROR built from err, a
// loop-made error with a small payload (the writer encodes it).
func (s *loopState) finishInvocation(inv *Invocation, err error) {
	e := handlerError(inv, err)
	werr := s.write(&protocol.Error{RequestType: protocol.TypeInvocation, Request: inv.req,
		Details: protocol.Dict{}, Error: e.URI, Payload: protocol.Payload{Args: e.Args, Kwargs: e.Kwargs}})
	if werr != nil {
		s.c.reportError(fmt.Errorf("wampgo: sending ERROR for %q: %w", inv.Procedure, werr))
	}
	s.dropInvocation(inv)
}

func (s *loopState) dropInvocation(inv *Invocation) { s.endInvocation(inv, context.Canceled) }

// endInvocation forgets an invocation, ends its handler's context with
// cause and closes its input stream, so a handler ranging over Inputs
// returns.
func (s *loopState) endInvocation(inv *Invocation, cause error) {
	delete(s.invocations, inv.req)
	s.unparkInput(inv)
	inv.cancel(cause)
	s.endInvocationInputs(inv)
}

// handlerError maps what a handler returned to the ERROR sent for it.
func handlerError(inv *Invocation, err error) *Error {
	var we *Error
	switch {
	case errors.As(err, &we):
		return we
	case errors.Is(context.Cause(inv.ctx), ErrInterrupted) && errors.Is(err, context.Canceled):
		return &Error{URI: uriCanceled}
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, ErrTimeout):
		return &Error{URI: uriTimeout}
	default:
		return &Error{URI: URIRuntimeError, Args: protocol.List{err.Error()}}
	}
}

func newInvocation(c *Client, reg *Registration, m *protocol.Invocation) *Invocation {
	inv := &Invocation{
		Procedure:    reg.procedure,
		Registration: m.Registration,
		Args:         passthruArgs(m.Payload),
		Kwargs:       m.Kwargs,
		Details:      m.Details,
		c:            c,
		req:          m.Request,
	}
	if p, ok := m.Details["procedure"].(string); ok && p != "" {
		inv.Procedure = p
	}
	inv.Caller, _ = idFromDetails(m.Details, "caller")
	inv.CallerAuthID, _ = m.Details["caller_authid"].(string)
	inv.CallerAuthRole, _ = m.Details["caller_authrole"].(string)
	inv.ReceiveProgress, _ = m.Details["receive_progress"].(bool)
	// A timeout too large for a time.Duration (about 292 years) is clamped.
	if ms, ok := m.Details["timeout"].(int64); ok && ms > 0 {
		inv.Timeout = time.Duration(math.MaxInt64)
		if ms <= math.MaxInt64/int64(time.Millisecond) {
			inv.Timeout = time.Duration(ms) * time.Millisecond
		}
	}
	return inv
}
