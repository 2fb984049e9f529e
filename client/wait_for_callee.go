package client

import (
	"math/rand/v2"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// The ERROR URIs with which a dealer refuses a call that no callee has
// seen: a call answered so may be sent again safely (WaitForCallee).
const (
	uriNoSuchProcedure   = "wamp.error.no_such_procedure"
	uriNoAvailableCallee = "wamp.error.no_available_callee"
)

// The backoff of WaitForCallee: the first retry waits 25–50ms, each next
// one up to twice as long, at most calleeMaxDelay (each delay drawn
// uniformly from [d/2, d]).
const (
	calleeMinDelay = 50 * time.Millisecond
	calleeMaxDelay = time.Second
)

// WaitForCallee makes a call ride through a callee's absence (a restart, a
// reconnect): when the dealer answers ERROR wamp.error.no_such_procedure or
// wamp.error.no_available_callee, the call is sent again, with backoff
// (25–50ms at first, doubling, at most 1s, with jitter), until a callee
// answers or the call ends by its context or Timeout. A call without a
// deadline waits as long as the client lives. The Call and its future stay
// the same; each attempt is a new CALL with a new request id. Stats counts
// the retries (CallRetries).
//
// It is always safe, whatever the procedure does: those two answers mean
// that the dealer ran no callee for the call. Every other ERROR (a
// callee's error, wamp.error.canceled, wamp.error.timeout, …) completes the
// call as without this option, and a session lost while the CALL is at
// the router fails the call as usual (ErrSessionLost); a call waiting
// between attempts when the session is lost waits for the next one
// (Reconnect.WhileDisconnected).
//
// With ProgressiveInputs, the input chunks sent before a callee answered
// are kept (encoded) and sent again after each new CALL, in order; they
// are released at the first RESULT. The call's own encoded arguments are
// kept until it completes.
func WaitForCallee() CallOption {
	return callOptionFunc(func(c *callConfig) { c.waitForCallee = true })
}

// calleeWait is the state of a WaitForCallee call, owned by the session
// loop.
type calleeWait struct {
	cmd      *cmdCall        // the call's command, sent again on each retry
	inputs   []*cmdCallInput // input chunks sent before a callee answered
	answered bool            // a RESULT came: inputs are no longer kept
	retries  int             // retries so far
	timer    *time.Timer     // the pending retry; nil when none
}

// cmdCallRetry is posted by a WaitForCallee call's backoff timer.
type cmdCallRetry struct{ call *Call }

func (*cmdCallRetry) isCommand() {}

// calleeDelay returns the delay before retry n (1-based).
func calleeDelay(n int) time.Duration {
	d := calleeMinDelay
	for i := 1; i < n && d < calleeMaxDelay; i++ {
		d *= 2
	}
	d = min(d, calleeMaxDelay)
	half := d / 2
	return half + rand.N(d-half+1)
}

// retryForCallee takes an ERROR that answered call (already out of
// s.calls) and reports whether the call waits for a callee instead of
// failing: then it is sent again after a backoff.
func (s *loopState) retryForCallee(call *Call, m *protocol.Error) bool {
	w := call.wait
	if w == nil || w.cmd == nil || call.completed || w.answered {
		return false
	}
	if m.Error != uriNoSuchProcedure && m.Error != uriNoAvailableCallee {
		return false
	}
	w.retries++
	s.c.stats().callRetries.Add(1)
	delay := calleeDelay(w.retries)
	s.c.cfg.logger.Debug("wampgo: no callee yet; call waits", "procedure", call.procedure,
		"error", m.Error, "retry", w.retries, "delay", delay)
	call.req = 0 // not at the router: a cancel completes it locally
	cl := s.c
	w.timer = time.AfterFunc(delay, func() { cl.control(&cmdCallRetry{call: call}) })
	if s.waitingCalls == nil {
		s.waitingCalls = map[*Call]bool{}
	}
	s.waitingCalls[call] = true
	return true
}

// handleCallRetry sends a waiting call again (or holds it while the
// client reconnects).
func (s *loopState) handleCallRetry(c *cmdCallRetry) {
	call := c.call
	if !s.waitingCalls[call] {
		return // completed meanwhile
	}
	delete(s.waitingCalls, call)
	call.wait.timer = nil
	if call.completed {
		return
	}
	s.handleCommand(call.wait.cmd)
}

// calleeCallSent runs when a WaitForCallee call's CALL was queued: it
// remembers the command for a retry and replays the input chunks sent
// before.
func (s *loopState) calleeCallSent(c *cmdCall) {
	w := c.call.wait
	if w == nil {
		return
	}
	w.cmd = c
	for _, in := range w.inputs {
		msg := c.call.inputChunk(c.call.req, in.final)
		if err := s.admit("SendInput", msg, in.payload); err != nil {
			// A new connection that cannot carry a chunk: the call fails
			// (its entry stays in calls, so that a late answer is dropped).
			s.completeCall(c.call, Result{Err: err})
			return
		}
		if err := s.send(msg, in.payload.payload); err != nil {
			return // the session is gone; the call fails with it
		}
	}
}

// keepInput records an input chunk of a WaitForCallee call that no callee
// has answered yet, for a retry to send again.
func (s *loopState) keepInput(c *cmdCallInput) {
	if w := c.call.wait; w != nil && !w.answered {
		w.inputs = append(w.inputs, c)
	}
}

// calleeAnswered runs at a call's RESULT: a callee exists, so the inputs
// need not be kept any more.
func (call *Call) calleeAnswered() {
	if w := call.wait; w != nil {
		w.answered, w.inputs = true, nil
	}
}

// stopWaiting forgets a waiting call that completed (canceled, timed out).
func (s *loopState) stopWaiting(call *Call) {
	if !s.waitingCalls[call] {
		return
	}
	delete(s.waitingCalls, call)
	if call.wait.timer != nil {
		call.wait.timer.Stop()
		call.wait.timer = nil
	}
}

// failWaitingCalls completes every call waiting between attempts with
// err; the loop calls it as it ends.
func (s *loopState) failWaitingCalls(err error) {
	for call := range s.waitingCalls {
		s.stopWaiting(call)
		s.completeCall(call, Result{Err: err})
	}
}
