package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wampgo/wampgo/actor"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// handleCall starts a call: assigns its request id, sends CALL, and arms
// its cancellation and timeout.
func (s *loopState) handleCall(c *cmdCall) {
	call := c.call
	if call.completed {
		return // canceled while held for a reconnect
	}
	if s.closing {
		s.completeCall(call, Result{Err: closedError(errors.New("session is closing"))})
		return
	}
	if err := c.ctx.Err(); err != nil {
		s.completeCall(call, Result{Err: canceledError(context.Cause(c.ctx))})
		return
	}
	call.req = s.nextID()
	c.msg.Request = call.req
	if err := s.write(c.msg); err != nil {
		if s.c.cfg.reconnect != nil && !callerFault(err) {
			// The connection is dying under us: hold the call for the
			// next session, as if it had been made while reconnecting.
			call.req = 0
			s.deferred = append(s.deferred, c)
			s.watchCall(c)
			return
		}
		s.unsent(call.req, err)
		s.completeCall(call, Result{Err: s.sendError(err)})
		return
	}
	s.calls[call.req] = call
	s.watchCall(c)
	if d := call.cfg.timeout; d > 0 {
		loop := s.c.loop
		call.timer = time.AfterFunc(d, func() {
			loop.Send(context.Background(), &cmdCancelCall{call: call, timeout: true})
		})
	}
}

// watchCall arms the call's cancellation by its context (once).
func (s *loopState) watchCall(c *cmdCall) {
	if c.call.stopCancel != nil || c.ctx.Done() == nil {
		return // armed already, or a context that never ends
	}
	loop, call, ctx := s.c.loop, c.call, c.ctx
	call.stopCancel = context.AfterFunc(ctx, func() {
		loop.Send(context.Background(), &cmdCancelCall{call: call, cause: context.Cause(ctx)})
	})
}

// callerFault reports whether a send failed because of the message itself
// (invalid, or a payload the serializer cannot represent), not the
// connection.
func callerFault(err error) bool {
	var ve *protocol.ValidationError
	var ee *codec.EncodeError
	return errors.As(err, &ve) || errors.As(err, &ee)
}

// sendError is the error of a request whose message could not be written.
func (s *loopState) sendError(err error) error {
	switch {
	case callerFault(err):
		return payloadError(err) // the caller's own invalid message
	case errors.Is(err, ErrSessionLost):
		return err // a reconnecting client
	case s.c.cfg.reconnect != nil:
		return sessionLost(err)
	}
	return closedError(err)
}

func (s *loopState) handleResult(m *protocol.Result) error {
	call, ok := s.calls[m.Request]
	if !ok {
		return violation(protocol.TypeResult, "Request", fmt.Sprintf("%d answers no pending CALL", m.Request))
	}
	progress, _ := m.Details["progress"].(bool)
	res := Result{Args: m.Args, Kwargs: m.Kwargs, Details: m.Details, Progress: progress}
	if progress {
		switch {
		case !call.cfg.receiveProgress:
			// Unasked for (some routers forward them anyway): not ours to keep.
			s.c.cfg.logger.Debug("wampgo: unrequested progressive result ignored", "procedure", call.procedure)
		case !call.completed:
			s.deliverProgress(call, res)
		}
		return nil
	}
	delete(s.calls, m.Request)
	s.completeCall(call, res)
	return nil
}

func (s *loopState) handleCallError(m *protocol.Error) error {
	call, ok := s.calls[m.Request]
	if !ok {
		return violation(protocol.TypeError, "Request", fmt.Sprintf("%d answers no pending CALL", m.Request))
	}
	delete(s.calls, m.Request)
	s.completeCall(call, Result{Details: m.Details, Err: errorFromMessage(m)})
	return nil
}

// deliverProgress queues a progressive result without blocking, keeping
// the last slot of the channel for the final result.
func (s *loopState) deliverProgress(call *Call, res Result) {
	if len(call.results) < cap(call.results)-1 {
		call.results <- res
		return
	}
	n := call.dropped.Add(1)
	s.c.cfg.logger.Warn("wampgo: progressive result dropped: reader too slow",
		"procedure", call.procedure, "request", call.req, "dropped", n)
	s.c.reportError(fmt.Errorf("wampgo: progressive result of %q dropped (%d so far): Results not read fast enough", call.procedure, n))
}

// completeCall stores the final result and releases the call's timer and
// context watcher. It is a no-op for a call already completed.
func (s *loopState) completeCall(call *Call, res Result) {
	if call.completed {
		return
	}
	call.completed = true
	s.c.stats().callEnded(res.Err)
	if call.stopCancel != nil {
		call.stopCancel()
	}
	if call.timer != nil {
		call.timer.Stop()
	}
	res.Progress = false
	call.final = res
	call.results <- res // the reserved slot
	close(call.done)
	close(call.results) // after done: a closed Results implies Done
}

// handleCancelCall reacts to the end of a call's context or to its local
// timeout.
func (s *loopState) handleCancelCall(c *cmdCancelCall) {
	call := c.call
	if call.completed {
		return
	}
	if call.req == 0 {
		// Held while reconnecting: never sent, so nothing to cancel remotely.
		s.completeCall(call, Result{Err: canceledError(c.cause)})
		return
	}
	if s.calls[call.req] != call {
		return
	}
	mode := call.cfg.cancelMode
	var err error
	if c.timeout {
		mode = CancelKillNoWait
		err = fmt.Errorf("%w: call to %q exceeded %v", ErrTimeout, call.procedure, call.cfg.timeout)
	} else {
		err = canceledError(c.cause)
	}
	canCancel := s.sess.HasFeature("dealer", "call_canceling")
	if canCancel {
		if werr := s.write(&protocol.Cancel{Request: call.req, Options: protocol.Dict{"mode": string(mode)}}); werr != nil {
			canCancel = false
		}
	}
	if canCancel && mode == CancelKill {
		return // the router's ERROR completes the call
	}
	// Complete now; keep the entry so the router's late answer is
	// recognised and discarded.
	call.abandoned = true
	s.completeCall(call, Result{Err: err})
}

// handleCallInput sends one more chunk of a progressive-invocation call.
func (s *loopState) handleCallInput(c *cmdCallInput) {
	call := c.call
	switch {
	case !call.cfg.progressiveInputs:
		c.reply <- errors.New("wampgo: call was not started with ProgressiveInputs")
		return
	case call.completed || s.calls[call.req] != call:
		c.reply <- errors.New("wampgo: call has completed")
		return
	case call.inputDone:
		c.reply <- errors.New("wampgo: final input already sent")
		return
	}
	opts := protocol.Dict{}
	if !c.final {
		opts["progress"] = true
	}
	err := s.write(&protocol.Call{Request: call.req, Options: opts, Procedure: call.procedure, Payload: c.msg})
	if err == nil && c.final {
		call.inputDone = true
	}
	if err != nil {
		err = s.sendError(err)
	}
	c.reply <- err
}

// canceledError is the final error of a call canceled by its context.
func canceledError(cause error) error {
	if cause == nil {
		return ErrCanceled
	}
	return fmt.Errorf("%w: %w", ErrCanceled, cause)
}

// mapSendErr turns the actor's stop error into the client's closed error.
func (c *Client) mapSendErr(err error) error {
	if errors.Is(err, actor.ErrStopped) {
		return closedError(c.endReason())
	}
	return err
}
