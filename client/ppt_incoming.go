package client

import (
	"strings"

	"github.com/wampgo/wampgo/protocol"
)

// The incoming side of payload passthru mode: each function below unpacks
// one kind of message in place, for its hook in the message's path.

// passthruEvent returns ev with its passthru payload unpacked, a copy (ev
// may go to several local subscriptions), or ev itself when it has none.
// An event that cannot be unpacked is dropped: logged and reported to the
// error handler as a *PassthruError, and nil is returned. It runs on the
// subscription's handler goroutine.
func (c *Client) passthruEvent(ev *Event) *Event {
	if _, ok := PassthruOf(ev.Details); !ok {
		return ev
	}
	args, kwargs, err := c.unpackPassthru("Event", ev.Details, ev.Args, ev.Kwargs)
	if err != nil {
		c.cfg.logger.Warn("wampgo: event dropped: cannot unpack its passthru payload",
			"topic", ev.Topic, "publication", ev.Publication, "err", err)
		c.reportError(err)
		return nil
	}
	out := *ev
	out.Args, out.Kwargs = args, kwargs
	return &out
}

// unpackInvocation unpacks inv's passthru payload in place before its
// handler runs, on the handler's goroutine. On failure the invocation is
// answered with a plain ERROR wamp.error.invalid_argument (the caller's
// payload could not be read) and the *PassthruError is reported to the
// error handler; the error to answer with is returned.
func (c *Client) unpackInvocation(inv *Invocation) error {
	if _, ok := PassthruOf(inv.Details); !ok {
		return nil
	}
	args, kwargs, err := c.unpackPassthru("Invocation", inv.Details, inv.Args, inv.Kwargs)
	if err != nil {
		c.reportError(err)
		inv.AnswerWith(nil)
		inv.Args, inv.Kwargs = nil, nil
		return NewError(protocol.URIErrInvalidArgument, protocol.List{err.Error()}, nil)
	}
	inv.Args, inv.Kwargs = args, kwargs
	return nil
}

// unpackResult unpacks the passthru payload of a RESULT, p, into res, on
// the session loop. A final result that cannot be unpacked gets the
// *PassthruError as its Err; a progressive one is dropped (reported to
// the error handler), and unpackResult returns false.
func (c *Client) unpackResult(res *Result, p protocol.Payload) bool {
	if p.Payload == nil {
		return true
	}
	args, kwargs, err := c.unpackPassthru("Result", res.Details, passthruArgs(p), nil)
	if err != nil {
		if res.Progress {
			c.reportError(err)
			return false
		}
		res.Err = err
	}
	res.Args, res.Kwargs = args, kwargs
	return true
}

// callError is the error of a call's ERROR message, its passthru payload
// unpacked, on the session loop. When it cannot be unpacked, the error
// matches both the *Error (its URI) and the *PassthruError.
func (c *Client) callError(m *protocol.Error) error {
	e := errorFromMessage(m)
	if m.Payload.Payload == nil {
		return e
	}
	args, kwargs, err := c.unpackPassthru("Error", m.Details, passthruArgs(m.Payload), nil)
	if err != nil {
		return &passthruCallError{we: e, err: err}
	}
	e.Args, e.Kwargs = args, kwargs
	return e
}

// passthruCallError is an ERROR whose passthru payload could not be
// unpacked: it is the *Error (without payload) and wraps the
// *PassthruError.
type passthruCallError struct {
	we  *Error
	err error
}

func (e *passthruCallError) Error() string { return e.we.Error() + " (" + e.err.Error() + ")" }

func (e *passthruCallError) Unwrap() []error { return []error{e.we, e.err} }

// passthruInput is a further input chunk of a progressive invocation, its
// passthru payload unpacked, on the session loop. The error, a
// *PassthruError, is also reported to the error handler; the invocation
// then ends with wamp.error.invalid_argument.
func (c *Client) passthruInput(m *protocol.Invocation, final bool) (Input, error) {
	in := Input{Args: m.Args, Kwargs: m.Kwargs, Final: final}
	if m.Payload.Payload == nil {
		return in, nil
	}
	args, kwargs, err := c.unpackPassthru("Input", m.Details, passthruArgs(m.Payload), nil)
	if err != nil {
		c.reportError(err)
		return Input{}, err
	}
	in.Args, in.Kwargs = args, kwargs
	return in, nil
}

// copyPassthruOptions copies the ppt_* keys of a call's options into the
// options of its further input chunks, so that every chunk travels as the
// first did.
func copyPassthruOptions(dst, src protocol.Dict) {
	for k, v := range src {
		if strings.HasPrefix(k, "ppt_") {
			dst[k] = v
		}
	}
}
