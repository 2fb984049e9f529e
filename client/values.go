package client

import (
	"errors"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// Encoding Go values in payloads.
//
// Every payload the client sends (Call, SendInput, FinishInput, Publish,
// SendProgress, a handler's Result and the args and kwargs of an *Error it
// returns) may hold any Go value that codec.Normalize accepts: structs,
// pointers, named types, slices, arrays and maps. They are converted to the
// value set of package protocol on the caller's goroutine, before the
// session loop sees them; a payload already in the value set passes through
// without a copy. A value without a payload form fails the operation with an
// *ArgumentError (matching ErrInvalidArgument) whose Arg is the value's path,
// such as "args[1].when", and whose Err is the *codec.ValueError (matching
// codec.ErrUnsupportedValue).

// goValues converts the args and kwargs given to op with codec.NormalizePayload.
// It runs on the caller's goroutine and does not modify its arguments.
func goValues(op string, args protocol.List, kwargs protocol.Dict) (protocol.List, protocol.Dict, error) {
	a, k, err := encodeValues(args, kwargs)
	if err != nil {
		return nil, nil, valueError(op, err)
	}
	return a, k, nil
}

// encodeValues converts args and kwargs with codec.NormalizePayload; an
// error is a *codec.ValueError.
func encodeValues(args protocol.List, kwargs protocol.Dict) (protocol.List, protocol.Dict, error) {
	return codec.NormalizePayload(args, kwargs)
}

// valueError reports a Go value without a payload form as the caller's bad
// argument.
func valueError(op string, err error) error {
	var ee *codec.ValueError
	if !errors.As(err, &ee) {
		return err
	}
	return &ArgumentError{Op: op, Arg: ee.Path, Reason: ee.Reason, Err: ee}
}

// goValuesOutcome converts what an invocation handler returned: the Result's
// payload, or the payload of the *Error in err. A payload that cannot be
// converted becomes a URIRuntimeError for the caller. It runs on the
// handler's goroutine.
func goValuesOutcome(res Result, err error) (Result, error) {
	if err != nil {
		var we *Error
		if !errors.As(err, &we) || we.Args == nil && we.Kwargs == nil {
			return res, err
		}
		args, kwargs, eerr := encodeValues(we.Args, we.Kwargs)
		if eerr != nil {
			return res, NewError(URIRuntimeError, protocol.List{"invalid error payload: " + eerr.Error()}, nil)
		}
		enc := *we // the handler's *Error stays as it was
		enc.Args, enc.Kwargs = args, kwargs
		return res, &enc
	}
	args, kwargs, eerr := encodeValues(res.Args, res.Kwargs)
	if eerr != nil {
		return Result{}, NewError(URIRuntimeError, protocol.List{"invalid result: " + eerr.Error()}, nil)
	}
	res.Args, res.Kwargs = args, kwargs
	return res, nil
}
