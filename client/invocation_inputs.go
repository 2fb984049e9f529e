package client

import (
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/mailbox"
	"github.com/wampgo/wampgo/protocol"
)

// inputWindow is how many unread input chunks of a progressive invocation
// may wait for its handler (streamInputWindow for RegisterStream's).
const inputWindow = 64

// errQueueFull is the cause that ends the context of an invocation
// refused for a full queue.
var errQueueFull = errors.New("wampgo: queue full")

// startInputs gives a progressive invocation its queue of input chunks,
// bounded by the registration's input window and mailbox bytes, under its
// OnOverflow policy; the queue's feeder exists only while chunks wait.
func (s *loopState) startInputs(inv *Invocation, reg *Registration) {
	window := inputWindow
	if reg.cfg.stream {
		window = streamInputWindow
	}
	lim := mailbox.Limits{MaxMessages: window, MaxBytes: reg.cfg.limits.MaxBytes}
	inv.inputs = make(chan Input, 1)
	inv.in = mailbox.NewFeed(&s.c.handlers, lim, reg.cfg.inputOverflow.mailbox(), inv.inputs, nil)
	inv.taken = inv.in.Space()
	inv.blockInputs = reg.cfg.inputOverflow == Block
}

// feedInput passes a further chunk of a progressive invocation to its
// handler's queue without blocking; when the queue is full, the
// registration's policy decides: wait and stop reading (Block), or end the
// invocation (Fail).
func (s *loopState) feedInput(inv *Invocation, m *protocol.Invocation) error {
	if inv.in == nil || inv.inputsClosed {
		return violation(protocol.TypeInvocation, "Request", fmt.Sprintf("%d is already running and takes no further input", m.Request))
	}
	progress, _ := m.Details["progress"].(bool)
	in, err := s.c.passthruInput(m, !progress)
	if err != nil {
		s.finishInvocation(inv, NewError(uriInvalidArgument, protocol.List{err.Error()}, nil))
		return nil
	}
	size := messageSize(nil, m.Payload)
	if !inv.in.TryPut(in, size) {
		if s.mayParkInput(inv) {
			s.parkInput(inv, in, size) // wait, and stop reading
			return nil
		}
		// The handler is not reading its inputs: end the invocation.
		s.finishInvocation(inv, NewError(uriInvalidArgument, protocol.List{"input queue full: the handler leaves its inputs unread"}, nil))
		return nil
	}
	if in.Final {
		s.endInputs(inv)
	}
	return nil
}

// endInputs takes no more input for inv: its Inputs channel closes after
// the chunks queued.
func (s *loopState) endInputs(inv *Invocation) {
	inv.inputsClosed = true
	inv.in.CloseWhenDrained()
}

// endInvocationInputs discards inv's unread inputs and closes its Inputs
// channel, so a handler ranging over it returns.
func (s *loopState) endInvocationInputs(inv *Invocation) {
	if inv.in != nil {
		inv.inputsClosed = true
		inv.in.Close()
	}
}

// parkedInput is an input chunk of an invocation under OnOverflow(Block)
// that found the invocation's queue full: the loop stops reading until
// the handler takes one (inv.taken), so that the router, then the caller,
// wait too. Only the loop touches it.
type parkedInput struct {
	inv  *Invocation
	in   Input
	size int
}

// mayParkInput reports whether inv's input may wait with the session's
// reading: its registration's policy is Block and its handler runs or
// will run as soon as its worker is scheduled. One queued behind running
// invocations of its registration must not: those may need the session
// to read their own inputs before they end.
func (s *loopState) mayParkInput(inv *Invocation) bool {
	if !inv.blockInputs {
		return false
	}
	if inv.began.Load() {
		return true
	}
	reg := s.regs[inv.Registration]
	if reg == nil {
		return false
	}
	running := 0
	for _, other := range s.invocations {
		if other.Registration == inv.Registration && other.began.Load() {
			running++
		}
	}
	return running < max(reg.cfg.concurrency, 1)
}

// parkInput holds in for inv and stops the loop's reading.
func (s *loopState) parkInput(inv *Invocation, in Input, size int) {
	s.parkedInput = &parkedInput{inv: inv, in: in, size: size}
}

// resumeParkedInput retries the parked chunk after its handler took one.
func (s *loopState) resumeParkedInput() {
	p := s.parkedInput
	if !p.inv.in.TryPut(p.in, p.size) {
		return // still full
	}
	s.parkedInput = nil
	if p.in.Final {
		s.endInputs(p.inv)
	}
}

// unparkInput forgets inv's parked chunk when inv ends: nobody will read
// it, and the session reads again.
func (s *loopState) unparkInput(inv *Invocation) {
	if p := s.parkedInput; p != nil && p.inv == inv {
		s.parkedInput = nil
	}
}
