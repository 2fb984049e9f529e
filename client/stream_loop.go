package client

// streamInputWindow is how many input chunks of a RegisterStream
// invocation wait for its handler (about 1 MiB at the default chunk size)
// before the session stops reading from the router.
const streamInputWindow = 16

// parkedInput is an input chunk of a RegisterStream invocation that found
// the invocation's inputs full: the loop stops reading until the handler
// takes one (inv.taken), so that the router, then the caller, wait too.
// Only the loop touches it.
type parkedInput struct {
	inv *Invocation
	in  Input
}

// mayParkInput reports whether inv's input may wait with the session's
// reading: inv is a stream whose handler runs or will run as soon as its
// worker is scheduled. One queued behind running invocations of its
// registration must not: those may need the session to read their own
// inputs before they end.
func (s *loopState) mayParkInput(inv *Invocation) bool {
	if inv.taken == nil {
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
func (s *loopState) parkInput(inv *Invocation, in Input) {
	s.parkedInput = &parkedInput{inv: inv, in: in}
}

// resumeParkedInput retries the parked chunk after its handler took one.
func (s *loopState) resumeParkedInput() {
	p := s.parkedInput
	select {
	case p.inv.inputs <- p.in:
	default:
		return // taken meanwhile by nobody: still full
	}
	s.parkedInput = nil
	if p.in.Final {
		p.inv.inputsClosed = true
		close(p.inv.inputs)
	}
}

// unparkInput forgets inv's parked chunk when inv ends: nobody will read
// it, and the session reads again.
func (s *loopState) unparkInput(inv *Invocation) {
	if p := s.parkedInput; p != nil && p.inv == inv {
		s.parkedInput = nil
	}
}
