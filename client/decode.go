package client

import "github.com/wampgo/wampgo/client/payload"

// Decoding payloads into Go values.
//
// Every payload carrier has Decode for its positional arguments and
// DecodeKwargs for its keyword arguments. They follow package payload's
// rules (payload.DecodeArgs and payload.DecodeKwargs): strict conversions,
// a *payload.DecodeError naming the path ("args[1].user.age: 2.5 is not an
// integer") that matches payload.ErrMismatch. They only read the carrier
// and may be called from any goroutine.

// Decode stores Args[i] in dst[i] (see payload.DecodeArgs: a nil dst skips
// its position, extra arguments are ignored, a missing one decodes as
// null). For a failed call's result (Err set) it returns Err.
func (r Result) Decode(dst ...any) error {
	if r.Err != nil {
		return r.Err
	}
	return payload.DecodeArgs(r.Args, dst...)
}

// DecodeKwargs stores Kwargs in dst, typically a pointer to a struct or a
// map (see payload.DecodeKwargs). For a failed call's result (Err set) it
// returns Err.
func (r Result) DecodeKwargs(dst any) error {
	if r.Err != nil {
		return r.Err
	}
	return payload.DecodeKwargs(r.Kwargs, dst)
}

// Decode stores the event's Args[i] in dst[i] (see payload.DecodeArgs).
func (ev *Event) Decode(dst ...any) error { return payload.DecodeArgs(ev.Args, dst...) }

// DecodeKwargs stores the event's Kwargs in dst (see payload.DecodeKwargs).
func (ev *Event) DecodeKwargs(dst any) error { return payload.DecodeKwargs(ev.Kwargs, dst) }

// Decode stores the call's Args[i] in dst[i] (see payload.DecodeArgs).
func (inv *Invocation) Decode(dst ...any) error { return payload.DecodeArgs(inv.Args, dst...) }

// DecodeKwargs stores the call's Kwargs in dst (see payload.DecodeKwargs).
func (inv *Invocation) DecodeKwargs(dst any) error { return payload.DecodeKwargs(inv.Kwargs, dst) }

// Decode stores the chunk's Args[i] in dst[i] (see payload.DecodeArgs).
func (in Input) Decode(dst ...any) error { return payload.DecodeArgs(in.Args, dst...) }

// DecodeKwargs stores the chunk's Kwargs in dst (see payload.DecodeKwargs).
func (in Input) DecodeKwargs(dst any) error { return payload.DecodeKwargs(in.Kwargs, dst) }

// Decode stores the error's Args[i] in dst[i] (see payload.DecodeArgs).
func (e *Error) Decode(dst ...any) error { return payload.DecodeArgs(e.Args, dst...) }

// DecodeKwargs stores the error's Kwargs in dst (see payload.DecodeKwargs).
func (e *Error) DecodeKwargs(dst any) error { return payload.DecodeKwargs(e.Kwargs, dst) }
