package client

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/wampgo/wampgo/actor"
	"github.com/wampgo/wampgo/protocol"
)

// Result is one result of a call: a progressive result (Progress true) or
// the final one. The final Result of a failed call has Err set: an *Error
// for an ERROR from the router, or an error matching ErrCanceled,
// ErrTimeout or ErrClosed.
type Result struct {
	Args     protocol.List
	Kwargs   protocol.Dict
	Details  protocol.Dict
	Progress bool
	Err      error
}

// Call is the future of one remote procedure call. Its methods are safe for
// concurrent use.
type Call struct {
	c         *Client
	procedure protocol.URI
	cfg       callConfig

	results chan Result   // progressive results, then the final one; closed after it
	done    chan struct{} // closed after the final result is stored
	final   Result        // written by the loop before done is closed
	dropped atomic.Uint64 // progressive results dropped for lack of buffer
	after   afterDone     // functions to run once done is closed (AfterDone)

	reader atomic.Pointer[callReader] // made by the first Reader call

	// The CALL and the command that carries it to the loop, made with the
	// future (one allocation for the three): msg is the caller's until
	// the command is sent, then the loop's.
	msg protocol.Call
	cmd cmdCall

	// Owned by the session loop.
	pq        *progressQueue // results waiting for room in results (policy Block); nil until needed
	req       protocol.ID
	completed bool
	inputDone bool      // the final input chunk was sent
	watch     *ctxWatch // the watch of the call's context (call_watch.go); nil when not watched
	watchAt   int       // the call's index in watch.calls
	timer     *time.Timer
	wait      *calleeWait // WaitForCallee's state; nil without it
	// ctxCause is why the call's context ended, kept while a CANCEL in
	// kill mode waits for the router's ERROR so that the final error
	// names it too.
	ctxCause error
}

// Call calls procedure with args and kwargs (either may be nil) and returns
// the call's future. Results arrive on Results; Await waits for the final
// one.
//
// Call encodes args and kwargs before it returns: nothing the caller
// passed is retained afterwards, and the caller may reuse it at once. It
// returns once the session has taken the call, which is at once unless the
// connection's writer is far behind (then Call waits for room, bounded by
// ctx and by the session's end).
//
// ctx governs the call: when it ends first, the call is canceled (see the
// package documentation, "Call canceling"). A failure to start the call
// (closed session, invalid options or procedure, a value the serializer
// cannot carry) is delivered as the final Result.
func (c *Client) Call(ctx context.Context, procedure protocol.URI, args protocol.List, kwargs protocol.Dict, opts ...CallOption) *Call {
	if f := c.interceptCall(); f != nil {
		return f(ctx, procedure, args, kwargs, opts...)
	}
	return c.call(ctx, procedure, args, kwargs, opts...)
}

// call is Call without the interceptors.
func (c *Client) call(ctx context.Context, procedure protocol.URI, args protocol.List, kwargs protocol.Dict, opts ...CallOption) *Call {
	call := &Call{
		c:         c,
		procedure: procedure,
		done:      make(chan struct{}),
	}
	call.cfg.init(opts)
	if call.cfg.waitForCallee {
		call.wait = &calleeWait{}
	}
	c.stats().callsStarted.Add(1)
	cfg := &call.cfg
	args, kwargs, err := goValues("Call", args, kwargs)
	if err != nil {
		call.results = make(chan Result, 1)
		call.fail(err)
		return call
	}
	// One slot: the final result's, or the next progressive one, which
	// the call's queue feeds (progress.go).
	call.results = make(chan Result, 1)
	call.msg = protocol.Call{Procedure: procedure, Options: cfg.options()}
	msg := &call.msg
	if err := c.checkCall(msg, cfg); err != nil {
		call.fail(err)
		return call
	}
	e, err := c.encode("Call", msg, args, kwargs)
	if err != nil {
		call.fail(err)
		return call
	}
	if err := ctx.Err(); err != nil {
		call.fail(canceledError(context.Cause(ctx)))
		return call
	}
	call.cmd = cmdCall{ctx: ctx, call: call, msg: msg, payload: e}
	if err := c.send(ctx, &call.cmd); err != nil {
		call.fail(err)
	}
	return call
}

// fail completes a call that never reached the loop.
func (call *Call) fail(err error) {
	call.c.stats().callEnded(err)
	call.final = Result{Err: err}
	call.results <- call.final
	close(call.done)
	close(call.results)
	call.fireAfterDone()
}

// Results returns the channel on which progressive results and then the
// final result arrive; it is closed after the final one. It holds one
// result; up to the call's ProgressBuffer progressive results wait for it
// (bounded in bytes by ProgressQueueLimits); what happens to more is
// OnProgressOverflow's choice (by default they wait, and none is dropped).
// The final result is never dropped.
func (call *Call) Results() <-chan Result { return call.results }

// Done is closed once the final result is available.
func (call *Call) Done() <-chan struct{} { return call.done }

// Await waits for the final result and returns it with its Err, or ctx's
// error if ctx ends first (which does not cancel the call: the call's own
// context does). While the client has no session (reconnecting, or
// retrying its first connection), that error also wraps the reason: the
// last connection failure.
func (call *Call) Await(ctx context.Context) (Result, error) {
	select {
	case <-call.done:
		return call.final, call.final.Err
	case <-ctx.Done():
		return Result{}, call.c.whileNotConnected(ctx.Err())
	}
}

// Dropped counts progressive results dropped because Results was full
// (OnProgressOverflow(Drop)).
func (call *Call) Dropped() uint64 { return call.dropped.Load() }

// SendInput sends one more input chunk of a call started with
// ProgressiveInputs (CALL with progress=true). It fails once the call has
// completed or its final chunk was sent. args and kwargs are encoded before
// it returns and not retained.
func (call *Call) SendInput(ctx context.Context, args protocol.List, kwargs protocol.Dict) error {
	args, kwargs, err := goValues("SendInput", args, kwargs)
	if err != nil {
		return err
	}
	return call.input(ctx, "SendInput", args, kwargs, false)
}

// FinishInput sends the final input chunk of a call started with
// ProgressiveInputs (CALL with progress=false).
func (call *Call) FinishInput(ctx context.Context, args protocol.List, kwargs protocol.Dict) error {
	args, kwargs, err := goValues("FinishInput", args, kwargs)
	if err != nil {
		return err
	}
	return call.input(ctx, "FinishInput", args, kwargs, true)
}

func (call *Call) input(ctx context.Context, op string, args protocol.List, kwargs protocol.Dict, final bool) error {
	e, err := call.c.encodeAnswer(op, call.inputChunk(maxRequestID, final), args, kwargs)
	if err != nil {
		return err
	}
	return call.c.ask(ctx, func(r actor.Reply[error]) command {
		return &cmdCallInput{call: call, payload: e, final: final, reply: r}
	})
}

// inputChunk is the CALL, without its payload, that carries one input
// chunk of a call whose request id is req.
func (call *Call) inputChunk(req protocol.ID, final bool) *protocol.Call {
	opts := protocol.Dict{}
	if !final {
		opts["progress"] = true
	}
	copyPassthruOptions(opts, call.cfg.raw)
	return &protocol.Call{Request: req, Options: opts, Procedure: call.procedure}
}
