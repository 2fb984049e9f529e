package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wampgo/wampgo/actor"
	"github.com/wampgo/wampgo/protocol"
)

// handleCall starts a call: assigns its request id, queues CALL, and arms
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
	if err := s.admit("Call", c.msg, c.payload); err != nil {
		s.completeCall(call, Result{Err: err})
		return
	}
	call.req = s.nextID()
	c.msg.Request = call.req
	if err := s.send(c.msg, c.payload.payload); err != nil {
		s.completeCall(call, Result{Err: err})
		return
	}
	s.calls[call.req] = call
	s.calleeCallSent(c)
	s.watchCall(c)
	if d := call.cfg.timeout; d > 0 && call.timer == nil {
		cl := s.c
		call.timer = time.AfterFunc(d, func() {
			cl.control(&cmdCancelCall{call: call, timeout: true})
		})
	}
}

func (s *loopState) handleResult(m *protocol.Result) error {
	call, ok := s.calls[m.Request]
	if !ok {
		if p, _ := m.Details["progress"].(bool); s.tombs.late(m.Request, !p, time.Now()) {
			return nil // the answer to a call completed locally: discarded
		}
		return violation(protocol.TypeResult, "Request", fmt.Sprintf("%d answers no pending CALL", m.Request))
	}
	call.calleeAnswered()
	progress, _ := m.Details["progress"].(bool)
	res := Result{Args: m.Args, Kwargs: m.Kwargs, Details: m.Details, Progress: progress}
	if !s.c.unpackResult(&res, m.Payload) {
		return nil // a progressive result whose passthru payload is unreadable: reported
	}
	if progress {
		switch {
		case !call.cfg.receiveProgress:
			// Unasked for (some routers forward them anyway): not ours to keep.
			s.c.cfg.logger.Debug("wampgo: unrequested progressive result ignored", "procedure", call.procedure)
		case !call.completed && call.ctxCause == nil: // not given up (kill mode)
			s.deliverProgress(call, res, messageSize(m.Details, m.Payload))
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
		if s.tombs.late(m.Request, true, time.Now()) {
			return nil // the answer to a call completed locally: discarded
		}
		return violation(protocol.TypeError, "Request", fmt.Sprintf("%d answers no pending CALL", m.Request))
	}
	delete(s.calls, m.Request)
	if s.retryForCallee(call, m) {
		return nil
	}
	err := s.c.callError(m)
	if call.ctxCause != nil && m.Error == uriCanceled {
		// The answer to our CANCEL: it matches the context's error too.
		err = fmt.Errorf("%w: %w", err, call.ctxCause)
	}
	s.completeCall(call, Result{Details: m.Details, Err: err})
	return nil
}

// deliverProgress queues a progressive result in the call's queue without
// blocking. When the queue is full, the call's overflow policy decides:
// park it and stop reading (Block), or drop it (Drop).
func (s *loopState) deliverProgress(call *Call, res Result, size int) {
	if call.pq == nil {
		call.pq = newProgressQueue(call)
	}
	if call.pq.push(res, size) {
		return
	}
	if call.cfg.progressOverflow == Block {
		s.parkedResult = &parkedResult{call: call, res: res, size: size}
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
	if p := s.parkedResult; p != nil && p.call == call {
		s.parkedResult = nil // read again: nobody waits for that result now
	}
	s.c.stats().callEnded(res.Err)
	s.unwatchCall(call)
	if call.timer != nil {
		call.timer.Stop()
	}
	res.Progress = false
	call.final = res
	if call.pq != nil && (errors.Is(res.Err, ErrCanceled) || errors.Is(res.Err, ErrTimeout)) {
		call.pq.discard() // the caller gave up: release the queue now
	}
	if call.pq != nil {
		close(call.done)
		call.pq.finish(res) // its feeder closes results after done
		call.fireAfterDone()
		return
	}
	call.results <- res // the reserved slot
	close(call.done)
	close(call.results) // after done: a closed Results implies Done
	call.fireAfterDone()
}

// parkedResult is a progressive result that found its call's Results and
// queue full (policy Block): the loop stops reading until the queue has
// room.
type parkedResult struct {
	call *Call
	res  Result
	size int
}

// resumeParkedResult retries the parked result after its queue signalled
// room.
func (s *loopState) resumeParkedResult() {
	p := s.parkedResult
	if p.call.completed || p.call.pq.push(p.res, p.size) {
		s.parkedResult = nil
	}
}

// handleCancelCall reacts to the end of a call's context or to its local
// timeout.
func (s *loopState) handleCancelCall(c *cmdCancelCall) {
	if c.watch != nil {
		s.handleContextEnded(c.watch, c.cause)
		return
	}
	call := c.call
	if call.completed {
		return
	}
	if call.req == 0 {
		// Held while reconnecting, or waiting for a callee
		// (WaitForCallee): not at the router, so nothing to cancel remotely.
		s.stopWaiting(call)
		err := canceledError(c.cause)
		if c.timeout {
			err = fmt.Errorf("%w: call to %q exceeded %v", ErrTimeout, call.procedure, call.cfg.timeout)
		}
		// Held for want of a session: say why there is none.
		s.completeCall(call, Result{Err: s.c.whileNotConnected(err)})
		return
	}
	if s.calls[call.req] != call {
		return
	}
	if c.unanswered {
		s.abandonCall(call, canceledError(c.cause))
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
		// The router's ERROR completes the call; one that never comes
		// must not hold it for ever (a hostile or broken router): after
		// killAnswerWait it completes as in killnowait. The call's own
		// Timeout, if any, has nothing left to do.
		call.ctxCause = c.cause
		if call.timer != nil {
			call.timer.Stop()
		}
		// The caller gave up on the progressive results: drop those
		// queued, and a parked one, so that the session reads on (the
		// router's answer must get through).
		if p := s.parkedResult; p != nil && p.call == call {
			s.parkedResult = nil
		}
		if call.pq != nil {
			call.pq.discard()
		}
		cl, cause := s.c, c.cause
		call.timer = time.AfterFunc(killAnswerWait, func() {
			cl.control(&cmdCancelCall{call: call, cause: cause, unanswered: true})
		})
		return
	}
	s.abandonCall(call, err)
}

// killAnswerWait bounds how long a call canceled in kill mode waits for the
// router's ERROR before it completes without it.
const killAnswerWait = 10 * time.Second

// abandonCall completes a call the router has not answered and releases
// it; a tombstone (call_tombstone.go) recognises the router's late answer,
// which is discarded.
func (s *loopState) abandonCall(call *Call, err error) {
	delete(s.calls, call.req)
	s.tombs.add(call.req, time.Now())
	s.completeCall(call, Result{Err: err})
}

// handleCallInput sends one more chunk of a progressive-invocation call.
func (s *loopState) handleCallInput(c *cmdCallInput) {
	call := c.call
	switch {
	case !call.cfg.progressiveInputs:
		c.reply <- errors.New("wampgo: call was not started with ProgressiveInputs")
		return
	case call.inputDone:
		c.reply <- errors.New("wampgo: final input already sent")
		return
	case call.wait != nil && !call.completed && call.req == 0:
		// Waiting for a callee: sent after the next CALL.
		s.keepInput(c)
		call.inputDone = c.final
		c.reply <- nil
		return
	case call.completed || s.calls[call.req] != call:
		c.reply <- errors.New("wampgo: call has completed")
		return
	}
	msg, op := call.inputChunk(call.req, c.final), "SendInput"
	if c.final {
		op = "FinishInput"
	}
	if err := s.admit(op, msg, c.payload); err != nil {
		c.reply <- err
		return
	}
	err := s.send(msg, c.payload.payload)
	if err == nil {
		s.keepInput(c)
		call.inputDone = c.final
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
