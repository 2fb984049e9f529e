package client

import "context"

// A call's context ends the call (see "Call canceling"): the loop watches
// it with context.AfterFunc. Calls made with the same context, as the
// calls of one request handler or of a long-lived context are, share one
// watch: the first arms it, the others join it, and the last to complete
// stops it. A burst of N concurrent calls then costs one AfterFunc, not N.
// The loop keeps one stopped watch for the next one it needs, so that a
// caller making calls one after another with one context re-arms a watch
// without allocating it again.

// ctxWatch is the AfterFunc of one context and the pending calls made with
// it. Owned by the session loop, but for fire, which the AfterFunc runs on
// its own goroutine: it reads only cl and ctx, which the loop sets before
// it arms the AfterFunc and changes only after stop has kept it from
// running.
type ctxWatch struct {
	cl    *Client
	ctx   context.Context
	calls []*Call     // the pending calls made with ctx; each knows its index (Call.watchAt)
	stop  func() bool // stops the AfterFunc; false once it has fired
	fire  func()      // the AfterFunc's function, made once per watch
	first [1]*Call    // calls' first array: a lone call allocates no other
}

// watchCall arms the call's cancellation by its context (once): the call
// joins its context's watch, armed now if the context has none.
func (s *loopState) watchCall(c *cmdCall) {
	call, ctx := c.call, c.ctx
	if call.watch != nil || ctx.Done() == nil {
		return // armed already, or a context that never ends
	}
	w := s.watches[ctx]
	if w == nil {
		w = s.armWatch(ctx)
	}
	call.watch, call.watchAt = w, len(w.calls)
	w.calls = append(w.calls, call)
}

// armWatch makes the watch of ctx, reusing the loop's spare one, and arms
// its AfterFunc.
func (s *loopState) armWatch(ctx context.Context) *ctxWatch {
	w := s.spareWatch
	s.spareWatch = nil
	if w == nil {
		w = &ctxWatch{cl: s.c}
		w.calls = w.first[:0]
		w.fire = func() {
			w.cl.control(&cmdCancelCall{watch: w, cause: context.Cause(w.ctx)})
		}
	}
	w.ctx = ctx
	w.stop = context.AfterFunc(ctx, w.fire)
	if s.watches == nil {
		s.watches = map[context.Context]*ctxWatch{}
	}
	s.watches[ctx] = w
	return w
}

// unwatchCall takes a completing call out of its context's watch; the
// watch of the last one is stopped (and kept for reuse, when it had not
// fired).
func (s *loopState) unwatchCall(call *Call) {
	w := call.watch
	if w == nil {
		return
	}
	call.watch = nil
	last := len(w.calls) - 1
	moved := w.calls[last]
	w.calls[call.watchAt], moved.watchAt = moved, call.watchAt
	w.calls[last] = nil
	w.calls = w.calls[:last]
	if last > 0 {
		return
	}
	s.dropWatch(w)
	if w.stop() {
		// Never fired, and never will: no command names it.
		w.ctx, w.stop = nil, nil
		if cap(w.calls) > len(w.first) {
			w.calls = w.first[:0] // a burst grew it: let that go
		}
		s.spareWatch = w
	}
}

// handleContextEnded cancels every call still watched by w, whose
// context has ended with cause. Calls made with that context from now on
// get a new watch (which fires at once).
func (s *loopState) handleContextEnded(w *ctxWatch, cause error) {
	s.dropWatch(w)
	// handleCancelCall may complete a call, which leaves w.calls: cancel
	// from a copy. Calls canceled in kill mode stay in w until the
	// router's answer completes them.
	for _, call := range append([]*Call(nil), w.calls...) {
		s.handleCancelCall(&cmdCancelCall{call: call, cause: cause})
	}
}

// dropWatch forgets w as its context's watch. The map goes with its last
// watch: a map keeps the room of its largest size, and a burst of calls
// made with many contexts must not leave that behind.
func (s *loopState) dropWatch(w *ctxWatch) {
	if s.watches[w.ctx] != w {
		return
	}
	delete(s.watches, w.ctx)
	if len(s.watches) == 0 {
		s.watches = nil
	}
}
