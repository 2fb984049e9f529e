package client

import "sync"

// afterDone holds the functions AfterDone registered on a call until the
// call completes. Its mutex guards only this list: it is the future's,
// shared by the caller's goroutines and whichever goroutine completes the
// call, not session state.
type afterDone struct {
	mu    sync.Mutex
	fired bool
	fns   []func(Result)
}

// AfterDone arranges for f to run with the call's final result, in a
// goroutine of its own, once the call has completed; at once (in a new
// goroutine) if it already has. No goroutine waits for the call meanwhile,
// so an interceptor can observe every call's outcome (end a span, record a
// duration, count errors) at no cost while the call runs. f is retained
// until it has run; it must not block for long if calls are many, since
// each call's functions hold their goroutine until they return.
//
// AfterDone may be called from any goroutine, any number of times; each f
// runs once.
func (call *Call) AfterDone(f func(Result)) {
	a := &call.after
	a.mu.Lock()
	if !a.fired {
		a.fns = append(a.fns, f)
		a.mu.Unlock()
		return
	}
	a.mu.Unlock()
	go f(call.final)
}

// fireAfterDone starts the functions AfterDone registered. The goroutine
// that completed the call calls it once, after closing done (so call.final
// is published); it never blocks.
func (call *Call) fireAfterDone() {
	a := &call.after
	a.mu.Lock()
	a.fired = true
	fns := a.fns
	a.fns = nil
	a.mu.Unlock()
	for _, f := range fns {
		go f(call.final)
	}
}
