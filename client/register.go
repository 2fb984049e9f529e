package client

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/wampgo/wampgo/actor"
	"github.com/wampgo/wampgo/mailbox"
	"github.com/wampgo/wampgo/protocol"
)

// Handler implements a registered procedure. It returns the result, or an
// error: an *Error keeps its URI, args and kwargs; any other error is sent
// as URIRuntimeError with the error's text; a context error caused by an
// INTERRUPT or the call's timeout is sent as wamp.error.canceled or
// wamp.error.timeout. A panic is recovered and sent as URIRuntimeError
// with the args ["internal error"], never the panic's text (see
// WithPanicDetails); the value and its stack go to the error handler as a
// *HandlerPanicError and to the logger.
//
// ctx ends when the router interrupts the call (call canceling), when the
// call's timeout passes, when the procedure is unregistered, and when the
// session ends. Handlers run on the registration's own goroutines (see
// Concurrency), never on the session loop; they may use the client freely.
type Handler func(ctx context.Context, inv *Invocation) (Result, error)

// Registration is one registered procedure. Its methods are safe for
// concurrent use.
type Registration struct {
	c         *Client
	procedure protocol.URI
	handler   Handler
	cfg       registerConfig
	mb        *mailbox.Mailbox[*Invocation]
	ctx       context.Context
	cancel    context.CancelCauseFunc
	id        atomic.Uint64

	removed bool        // owned by the session loop
	session protocol.ID // owned by the session loop: the session it was last registered on
}

// RegisterOption configures Register.
type RegisterOption interface{ applyRegister(*registerConfig) }

// InvokePolicy is how a shared registration's dealer picks a callee
// (REGISTER.Options.invoke).
type InvokePolicy string

// The invocation policies of shared registration.
const (
	InvokeSingle     InvokePolicy = "single"
	InvokeRoundRobin InvokePolicy = "roundrobin"
	InvokeRandom     InvokePolicy = "random"
	InvokeFirst      InvokePolicy = "first"
	InvokeLast       InvokePolicy = "last"
)

type registerConfig struct {
	discloseCaller bool
	match          MatchPolicy
	invoke         InvokePolicy
	concurrency    int
	limits         Limits
	inputOverflow  OverflowPolicy // OnOverflow: Fail or Block
	raw            protocol.Dict
	stream         bool // RegisterStream: its own input window (stream_loop.go)
}

func (cfg *registerConfig) options() protocol.Dict {
	o := protocol.Dict{}
	for k, v := range cfg.raw {
		o[k] = v
	}
	if cfg.discloseCaller {
		o["disclose_caller"] = true
	}
	if cfg.match != "" && cfg.match != MatchExact {
		o["match"] = string(cfg.match)
	}
	if cfg.invoke != "" && cfg.invoke != InvokeSingle {
		o["invoke"] = string(cfg.invoke)
	}
	return o
}

type registerOptionFunc func(*registerConfig)

func (f registerOptionFunc) applyRegister(c *registerConfig) { f(c) }

// DiscloseCaller asks the dealer to disclose callers' identities to this
// procedure (REGISTER.Options.disclose_caller). It is a hint, sent whether
// or not the dealer announced caller_identification; Invocation.Caller is
// zero when the dealer did not disclose.
func DiscloseCaller() RegisterOption {
	return registerOptionFunc(func(c *registerConfig) { c.discloseCaller = true })
}

// Invoke sets the shared-registration invocation policy (default single).
func Invoke(p InvokePolicy) RegisterOption {
	return registerOptionFunc(func(c *registerConfig) { c.invoke = p })
}

// Concurrency sets how many invocations of the procedure run at once
// (default 1: one after another, in arrival order).
func Concurrency(n int) RegisterOption {
	return registerOptionFunc(func(c *registerConfig) { c.concurrency = n })
}

// Register registers handler for procedure and returns once the router has
// confirmed. If ctx ends before the router answers, Register returns ctx's
// error and the registration, should the router confirm it, is withdrawn.
func (c *Client) Register(ctx context.Context, procedure protocol.URI, handler Handler, opts ...RegisterOption) (*Registration, error) {
	if handler == nil {
		return nil, &ArgumentError{Op: "Register", Arg: "handler", Reason: "nil"}
	}
	cfg := registerConfig{concurrency: 1, inputOverflow: Fail}
	for _, o := range opts {
		o.applyRegister(&cfg)
	}
	if p := cfg.inputOverflow; p != Fail && p != Block {
		return nil, &ArgumentError{Op: "Register", Arg: "option OnOverflow", Reason: fmt.Sprintf("policy %v does not apply to a registration's inputs (Fail or Block)", p)}
	}
	msg := &protocol.Register{Procedure: procedure, Options: cfg.options()}
	if err := c.checkRegister(msg, &cfg); err != nil {
		return nil, err
	}
	e, err := c.encode("Register", msg, nil, nil)
	if err != nil {
		return nil, err
	}
	reg := &Registration{c: c, procedure: procedure, handler: c.wrapHandler(handler), cfg: cfg}
	err = c.ask(ctx, func(r actor.Reply[error]) command {
		return &cmdRegister{ctx: ctx, reg: reg, msg: msg, checked: e.conn, reply: r}
	})
	if err != nil {
		return nil, err
	}
	return reg, nil
}

// ID returns the router's registration id.
func (r *Registration) ID() protocol.ID { return r.id.Load() }

// Procedure returns the registered procedure (a pattern for pattern-based
// registrations).
func (r *Registration) Procedure() protocol.URI { return r.procedure }

// Done is closed once the registration has ended and its handlers have
// returned.
func (r *Registration) Done() <-chan struct{} { return r.mb.Done() }

// Unregister withdraws this registration.
func (r *Registration) Unregister(ctx context.Context) error {
	return r.c.unregister(ctx, &cmdUnregister{procedure: r.procedure, reg: r})
}

// Unregister withdraws the given registration ids of procedure, or every
// registration of procedure when no id is given. It returns an error
// matching ErrNotFound when there is nothing to withdraw.
func (c *Client) Unregister(ctx context.Context, procedure protocol.URI, ids ...protocol.ID) error {
	return c.unregister(ctx, &cmdUnregister{procedure: procedure, ids: ids})
}

func (c *Client) unregister(ctx context.Context, cmd *cmdUnregister) error {
	return c.ask(ctx, func(r actor.Reply[error]) command {
		cmd.reply = r
		return cmd
	})
}
