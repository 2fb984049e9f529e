package client

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/wampgo/wampgo/actor"
	"github.com/wampgo/wampgo/mailbox"
	"github.com/wampgo/wampgo/protocol"
)

// Invocation is one call of a registered procedure, as its handler sees it.
type Invocation struct {
	// Procedure is the concrete procedure called: Details.procedure for
	// pattern-based registrations, else the registered procedure.
	Procedure    protocol.URI
	Registration protocol.ID
	Args         protocol.List
	Kwargs       protocol.Dict
	Details      protocol.Dict
	// Caller identification, when the caller disclosed itself.
	Caller         protocol.ID
	CallerAuthID   string
	CallerAuthRole string
	// ReceiveProgress is true when the caller accepts progressive results
	// (SendProgress).
	ReceiveProgress bool
	// Timeout is the call's timeout as the dealer forwarded it (0: none).
	// ctx already ends when it passes.
	Timeout time.Duration

	c      *Client
	req    protocol.ID
	ctx    context.Context         // the handler's; made by the session loop
	inputs chan Input              // progressive call invocations: one slot, fed by in; nil for plain calls
	in     *mailbox.Mailbox[Input] // the unread input chunks (invocation_loop.go); nil for plain calls
	taken  <-chan struct{}         // in.Space(): signalled when the handler took a chunk
	began  atomic.Bool             // its handler runs (set by run, read by the loop)

	// Owned by the session loop.
	cancel       context.CancelCauseFunc
	interrupted  CancelMode // set by INTERRUPT
	inputsClosed bool       // no more input is taken
	blockInputs  bool       // inputs past the window wait with the session's reading (OnOverflow(Block))

	// AnswerWith's choice, set on any goroutine; nil: as the call (ppt.go).
	answer atomic.Pointer[Passthru]
}

// Input is one further input chunk of a call with progressive invocations.
type Input struct {
	Args   protocol.List
	Kwargs protocol.Dict
	// Final is true for the caller's last chunk.
	Final bool
}

// Inputs returns the channel of further input chunks when the caller
// streams its inputs (progressive call invocations), else nil. The
// channel is closed after the final chunk or when the invocation ends.
//
// Chunks the handler has not taken wait for it in the invocation's queue:
// up to 64 of them (16 for RegisterStream), bounded in bytes by the
// registration's MailboxLimits. Past that, the registration's OnOverflow
// policy applies: Fail (Register's default) ends the invocation with ERROR
// wamp.error.invalid_argument; Block (RegisterStream's) stops the
// session's reading until the handler takes a chunk.
func (inv *Invocation) Inputs() <-chan Input { return inv.inputs }

// SendProgress sends a progressive result to the caller. It fails if the
// caller did not ask for progressive results or the invocation has ended.
// args and kwargs are encoded before it returns and not retained.
func (inv *Invocation) SendProgress(ctx context.Context, args protocol.List, kwargs protocol.Dict) error {
	args, kwargs, err := goValues("SendProgress", args, kwargs)
	if err != nil {
		return err
	}
	if !inv.ReceiveProgress {
		return errors.New("wampgo: the caller did not ask for progressive results")
	}
	e, err := inv.c.encodeAnswer("SendProgress", inv.yield(true), args, kwargs)
	if err != nil {
		return err
	}
	return inv.c.ask(ctx, func(r actor.Reply[error]) command {
		return &cmdYield{inv: inv, payload: e, progress: true, reply: r}
	})
}

// run executes one invocation on a mailbox goroutine and hands the outcome,
// encoded here, to the session loop. The handler's result is not retained.
func (r *Registration) run(inv *Invocation) {
	inv.began.Store(true)
	var res Result
	err := inv.c.unpackInvocation(inv)
	if err == nil {
		res, err = r.callHandler(inv.ctx, inv)
	}
	r.c.stats().invocationHandled(err)
	cmd := &cmdYield{inv: inv}
	if err == nil {
		p, perr := inv.c.encodeAnswer("Yield", inv.yield(false), res.Args, res.Kwargs)
		if perr != nil {
			// Our own invalid result: tell the caller instead.
			err = NewError(URIRuntimeError, protocol.List{"invalid result: " + perr.Error()}, nil)
		}
		cmd.payload = p
	}
	if err != nil {
		e := handlerError(inv, err)
		if !protocol.ValidURI(e.URI, false, false) {
			e = NewError(URIRuntimeError, protocol.List{fmt.Sprintf("invalid error URI %q", e.URI)}, nil)
		}
		p, perr := inv.c.encodeAnswer("Yield", inv.errorMessage(e.URI), e.Args, e.Kwargs)
		if perr != nil {
			e = &Error{URI: URIRuntimeError}
			p, _ = inv.c.encodeAnswer("Yield", inv.errorMessage(e.URI), protocol.List{"invalid error payload: " + perr.Error()}, nil)
		}
		cmd.err, cmd.payload = e, p
	}
	inv.c.send(context.Background(), cmd)
}

// yield is the YIELD, without its payload, that answers inv: a
// progressive result or the final one.
func (inv *Invocation) yield(progress bool) *protocol.Yield {
	opts := protocol.Dict{}
	if progress {
		opts["progress"] = true
	}
	inv.answerPassthru(opts, false)
	return &protocol.Yield{Request: inv.req, Options: opts}
}

// errorMessage is the ERROR, without its payload, that answers inv with
// uri.
func (inv *Invocation) errorMessage(uri protocol.URI) *protocol.Error {
	d := protocol.Dict{}
	inv.answerPassthru(d, true)
	return &protocol.Error{RequestType: protocol.TypeInvocation, Request: inv.req, Details: d, Error: uri}
}

func (r *Registration) callHandler(ctx context.Context, inv *Invocation) (res Result, err error) {
	defer func() {
		if v := recover(); v != nil {
			p := &HandlerPanicError{Value: v, Stack: debug.Stack()}
			r.c.cfg.logger.Error("wampgo: invocation handler panicked", "procedure", inv.Procedure,
				"panic", fmt.Sprint(v), "stack", string(p.Stack))
			r.c.reportError(p)
			err = r.c.panicError(v)
		}
	}()
	return goValuesOutcome(r.handler(ctx, inv))
}
