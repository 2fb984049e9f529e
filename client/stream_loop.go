package client

// streamInputWindow is how many input chunks of a RegisterStream
// invocation wait for its handler (about 1 MiB at the default chunk size)
// before the session stops reading from the router.
const streamInputWindow = 16

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
