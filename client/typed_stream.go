package client

import (
	"context"
	"errors"
	"iter"
	"reflect"

	"github.com/wampgo/wampgo/client/payload"
	"github.com/wampgo/wampgo/protocol"
)

// TypedStreamHandler adapts fn, a procedure that streams values, to a
// Handler: it decodes the request as TypedHandler does, and each value fn
// passes to send goes to the caller as one progressive result, shaped as a
// request is (payload.Pack: a struct or map as kwargs, anything else as
// args[0]); fn's response is the final result, as for TypedHandler.
//
// send returns once the value is queued for the connection (waiting while
// the session's write queue is full); it fails with ctx's cause once ctx
// has ended (the caller canceled, the timeout passed, the session ended),
// with an error matching ErrNoProgress when the caller did not ask for
// progressive results, and with an *ArgumentError for a value without a
// payload form. send may be called only until fn returns, from one
// goroutine at a time.
func TypedStreamHandler[Req, Item, Resp any](fn func(ctx context.Context, req Req, send func(Item) error) (Resp, error)) Handler {
	empty := isEmptyStruct(reflect.TypeFor[Resp]())
	return func(ctx context.Context, inv *Invocation) (Result, error) {
		var req Req
		if err := payload.Unpack(inv.Args, inv.Kwargs, &req); err != nil {
			return Result{}, invalidArgument(err)
		}
		send := func(it Item) error {
			if !inv.ReceiveProgress {
				return ErrNoProgress
			}
			args, kwargs, err := payload.Pack(it)
			if err != nil {
				return valueError("send", err)
			}
			if err := inv.SendProgress(ctx, args, kwargs); err != nil {
				if ctx.Err() != nil {
					return context.Cause(ctx)
				}
				return err
			}
			return nil
		}
		resp, err := fn(ctx, req, send)
		if err != nil {
			return Result{}, err
		}
		if empty {
			return Result{}, nil
		}
		return Result{Args: protocol.List{resp}}, nil
	}
}

// RegisterTypedStream registers fn as procedure (see TypedStreamHandler and
// Register):
//
//	client.RegisterTypedStream(ctx, c, "com.example.rows", func(ctx context.Context, q Query, send func(Row) error) (Summary, error) { ... })
func RegisterTypedStream[Req, Item, Resp any](ctx context.Context, c *Client, procedure protocol.URI, fn func(ctx context.Context, req Req, send func(Item) error) (Resp, error), opts ...RegisterOption) (*Registration, error) {
	return c.Register(ctx, procedure, TypedStreamHandler(fn), opts...)
}

// TypedStream is a call of a procedure that streams values: Items ranges
// over them, then Result returns the final value. Use Items from one
// goroutine; Result is safe anywhere.
type TypedStream[Item, Resp any] struct {
	call   *Call
	cancel context.CancelCauseFunc
	err    error // a request that could not be encoded; then call is nil
}

// ErrStreamAbandoned is the cause with which a typed stream's call is
// canceled when its reader stops ranging over Items early.
var ErrStreamAbandoned = errors.New("wampgo: stream abandoned by its reader")

// CallTypedStream calls procedure with req, as CallTyped does, and asks
// for progressive results: each one is decoded into an Item as Items
// yields it (payload.Unpack, the strictness of CallTyped), and the final
// result into a Resp by Result. ctx governs the call as for Call.
//
// Range over Items before calling Result: items that nobody takes wait in
// the call's window (ProgressBuffer), then hold up the session's reading.
// Leaving the range early cancels the call (cause ErrStreamAbandoned) and
// discards its further items.
func CallTypedStream[Item, Resp, Req any](ctx context.Context, c *Client, procedure protocol.URI, req Req, opts ...CallOption) *TypedStream[Item, Resp] {
	args, kwargs, err := payload.Pack(req)
	if err != nil {
		return &TypedStream[Item, Resp]{err: valueError("CallTypedStream", err)}
	}
	cctx, cancel := context.WithCancelCause(ctx)
	all := append(append(make([]CallOption, 0, len(opts)+1), opts...), ReceiveProgress())
	call := c.Call(cctx, procedure, args, kwargs, all...)
	go func() {
		<-call.Done() // every call completes, at the latest when the session ends
		cancel(nil)
	}()
	return &TypedStream[Item, Resp]{call: call, cancel: cancel}
}

// Call returns the underlying call (nil when the request could not be
// encoded).
func (s *TypedStream[Item, Resp]) Call() *Call { return s.call }

// Items yields the streamed values in order, each with a nil error, or a
// zero Item with the *payload.DecodeError of a value that does not fit
// Item (ranging may go on past it). When the call fails, the last pair
// holds its error (as Result returns it). Items ends after the final
// result; ranging again yields nothing more, or the call's error.
func (s *TypedStream[Item, Resp]) Items() iter.Seq2[Item, error] {
	return func(yield func(Item, error) bool) {
		var zero Item
		if s.err != nil {
			yield(zero, s.err)
			return
		}
		for res := range s.call.Results() {
			if !res.Progress {
				if res.Err != nil {
					yield(zero, res.Err)
				}
				return
			}
			var it Item
			err := payload.Unpack(res.Args, res.Kwargs, &it)
			if !yield(it, err) {
				s.cancel(ErrStreamAbandoned)
				go discard(s.call.results) // until the call ends: the session must not wait on us
				return
			}
		}
		if err := s.call.final.Err; err != nil {
			yield(zero, err) // Results was closed before this range
		}
	}
}

// Result waits for the final result and decodes it into a Resp, as
// CallTyped does; ctx bounds the wait only (the call's own context
// governs the call).
func (s *TypedStream[Item, Resp]) Result(ctx context.Context) (Resp, error) {
	var resp Resp
	if s.err != nil {
		return resp, s.err
	}
	res, err := s.call.Await(ctx)
	if err != nil {
		return resp, err
	}
	err = payload.Unpack(res.Args, res.Kwargs, &resp)
	return resp, err
}

// discard takes and drops results until the channel closes.
func discard(results <-chan Result) {
	for range results {
	}
}
