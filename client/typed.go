package client

import (
	"context"
	"errors"
	"reflect"

	"github.com/wampgo/wampgo/client/payload"
	"github.com/wampgo/wampgo/protocol"
)

// TypedHandler adapts fn, a procedure of Go values, to a Handler: it
// decodes the request from the invocation's arguments, calls fn, and
// returns its response. RegisterTyped registers it in one line.
//
// Requests and responses map to arguments so that peers in other
// languages call and serve typed procedures the way they naturally do:
//
//   - a struct or map request travels as keyword arguments; a typed
//     handler also reads it from a single dict argument and from
//     positional arguments in field order, so that Autobahn|Python's
//     call(p, a=2, b=3), call(p, {"a": 2, "b": 3}) and call(p, 2, 3), and
//     autobahn-js's call(p, [], {a: 2, b: 3}) and call(p, [{a: 2, b: 3}]),
//     all fill struct{A, B int} (payload.Unpack has the exact rules);
//   - any other request (a number, a string, a list, a time) is the one
//     positional argument; struct{} is no argument at all;
//   - the response is the result's one positional argument (a struct
//     becomes a dict in args[0]): what an Autobahn|Python or autobahn-js
//     procedure returns, and what their callers receive as the call's
//     value. A struct{} response is an empty result.
//
// Arguments that do not fit Req are answered with
// wamp.error.invalid_argument, whose args[0] is the decoding error's text
// ("kwargs.age: 2.5 is not an integer") and whose kwargs hold its "path"
// and "reason"; fn is not called. An error from fn is handled as for any
// Handler (an *Error keeps its URI and payload).
func TypedHandler[Req, Resp any](fn func(ctx context.Context, req Req) (Resp, error)) Handler {
	empty := isEmptyStruct(reflect.TypeFor[Resp]())
	return func(ctx context.Context, inv *Invocation) (Result, error) {
		var req Req
		if err := payload.Unpack(inv.Args, inv.Kwargs, &req); err != nil {
			return Result{}, invalidArgument(err)
		}
		resp, err := fn(ctx, req)
		if err != nil {
			return Result{}, err
		}
		if empty {
			return Result{}, nil
		}
		return Result{Args: protocol.List{resp}}, nil
	}
}

// invalidArgument is the ERROR for arguments a typed handler cannot decode.
func invalidArgument(err error) *Error {
	var de *payload.DecodeError
	if errors.As(err, &de) {
		return NewError(uriInvalidArgument, protocol.List{err.Error()}, protocol.Dict{"path": de.Path, "reason": de.Reason})
	}
	return NewError(uriInvalidArgument, protocol.List{err.Error()}, nil)
}

func isEmptyStruct(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t.NumField() == 0
}

// RegisterTyped registers fn as procedure (see TypedHandler and Register):
//
//	client.RegisterTyped(ctx, c, "com.example.add", func(ctx context.Context, r AddRequest) (Sum, error) { ... })
func RegisterTyped[Req, Resp any](ctx context.Context, c *Client, procedure protocol.URI, fn func(ctx context.Context, req Req) (Resp, error), opts ...RegisterOption) (*Registration, error) {
	return c.Register(ctx, procedure, TypedHandler(fn), opts...)
}

// CallTyped calls procedure with req and waits for its result, decoded
// into a Resp. req is sent as a typed handler reads it (payload.Pack: a
// struct or map as kwargs, anything else as args[0]); the result is read
// with payload.Unpack, so a peer may return a dict in args[0] or as
// kwargs, and a list as args[0] or as the positional arguments. ctx governs the call as for Call: when
// it ends first, the call is canceled and CallTyped returns at once with
// an error matching both ErrCanceled and ctx's error (context.Canceled or
// context.DeadlineExceeded), as Call's final result does.
//
// A request that cannot be encoded is an *ArgumentError wrapping a
// *codec.ValueError, a result
// that does not fit Resp a *payload.DecodeError (matching
// payload.ErrMismatch; paths start "args" or "kwargs"), an ERROR from the
// callee or router an *Error.
func CallTyped[Resp, Req any](ctx context.Context, c *Client, procedure protocol.URI, req Req, opts ...CallOption) (Resp, error) {
	var resp Resp
	args, kwargs, err := payload.Pack(req)
	if err != nil {
		return resp, valueError("CallTyped", err)
	}
	call := c.Call(ctx, procedure, args, kwargs, opts...)
	select {
	case <-call.Done():
	case <-ctx.Done():
		// The call is canceled by the same ctx; its future may still wait
		// for the router's answer (kill mode), but the caller does not.
		return resp, c.whileNotConnected(canceledError(context.Cause(ctx)))
	}
	res := call.final
	if res.Err != nil {
		return resp, res.Err
	}
	err = payload.Unpack(res.Args, res.Kwargs, &resp)
	return resp, err
}

// PublishTyped publishes v to topic, shaped as a request is (payload.Pack:
// a struct or map as kwargs, anything else as args[0]). It returns as
// Publish does.
func PublishTyped[T any](ctx context.Context, c *Client, topic protocol.URI, v T, opts ...PublishOption) (protocol.ID, error) {
	args, kwargs, err := payload.Pack(v)
	if err != nil {
		return 0, valueError("PublishTyped", err)
	}
	return c.Publish(ctx, topic, args, kwargs, opts...)
}

// SubscribeTyped subscribes fn to topic; each event's arguments are decoded
// into a T as a typed handler decodes its request (payload.Unpack). It is
// SubscribeDecoded with that decoder: an event that does not fit T is not
// passed to fn, and its *payload.DecodeError, wrapped with the topic, goes
// to the client's error handler (WithErrorHandler) and the log. fn runs
// like any EventHandler.
func SubscribeTyped[T any](ctx context.Context, c *Client, topic protocol.URI, fn func(ctx context.Context, v T), opts ...SubscribeOption) (*Subscription, error) {
	return SubscribeDecoded(ctx, c, topic, func(ev *Event) (T, error) {
		var v T
		err := payload.Unpack(ev.Args, ev.Kwargs, &v)
		return v, err
	}, fn, opts...)
}
