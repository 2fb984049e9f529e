package client

import (
	"fmt"

	"github.com/wampgo/wampgo/protocol"
)

// panicReply is the argument of the ERROR that answers a call whose
// handler panicked, unless WithPanicDetails(true).
const panicReply = "internal error"

// WithPanicDetails chooses what the caller of a procedure whose handler
// panicked is told. By default (false) the ERROR wamp.error.runtime_error
// carries only the args ["internal error"]: a panic value is the service's
// private state (it may hold a connection string, a query, a token) and
// does not leave the process. With true, the args are ["panic: <value>"],
// for development. Either way the full value and its stack go to the
// error handler (a *HandlerPanicError) and the logger. Errors a handler
// returns are not affected (see Handler).
func WithPanicDetails(show bool) Option { return func(c *config) { c.panicDetails = show } }

// panicError is the *Error sent to the caller for a handler's panic v.
func (c *Client) panicError(v any) *Error {
	if c.cfg.panicDetails {
		return NewError(URIRuntimeError, protocol.List{fmt.Sprint("panic: ", v)}, nil)
	}
	return NewError(URIRuntimeError, protocol.List{panicReply}, nil)
}
