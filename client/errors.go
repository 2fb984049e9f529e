package client

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/wampgo/wampgo/protocol"
)

// Sentinel errors, for use with errors.Is.
var (
	// ErrClosed matches every error caused by the session having ended; such
	// errors also wrap the reason the session ended (see Client.Err).
	ErrClosed = errors.New("wampgo: session closed")
	// ErrNotFound is returned by Unregister and Unsubscribe when there is no
	// registration or subscription to remove.
	ErrNotFound = errors.New("wampgo: not found")
	// ErrProtocolViolation matches every error reporting a message that
	// broke the protocol, ours or the router's.
	ErrProtocolViolation = protocol.ErrProtocolViolation
	// ErrCanceled matches a call completed because its context ended, and an
	// ERROR wamp.error.canceled.
	ErrCanceled = errors.New("wampgo: canceled")
	// ErrTimeout matches a call that ran out of its Timeout, locally or at
	// the router (ERROR wamp.error.timeout).
	ErrTimeout = errors.New("wampgo: timeout")
	// ErrNotSupported is returned when an option needs a feature that the
	// router did not announce in WELCOME.
	ErrNotSupported = errors.New("wampgo: feature not supported by the router")
)

// Error is an ERROR message from the router or a peer, or an error a
// handler returns to give its caller a specific URI and payload.
type Error struct {
	URI     protocol.URI
	Args    protocol.List
	Kwargs  protocol.Dict
	Details protocol.Dict
}

// NewError returns an *Error with the given URI and payload, for a handler
// to return.
func NewError(uri protocol.URI, args protocol.List, kwargs protocol.Dict) *Error {
	return &Error{URI: uri, Args: args, Kwargs: kwargs}
}

// Error formats the URI and the payload in a JSON-like form, for logs:
// `wamp error com.example.invalid_order: "qty must be positive" {"qty": -1}`.
// Strings the peer sent are quoted, so that no control character or line
// break from the network reaches a log through an error's text; a long
// payload is cut after about 1 KiB, marked with "…".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("wamp error ")
	b.WriteString(quoteIfUnprintable(e.URI))
	writePayloadText(&b, e.Args, e.Kwargs)
	return b.String()
}

// Is lets errors.Is match the well-known URIs to the package's sentinels:
// wamp.error.canceled to ErrCanceled, wamp.error.timeout to ErrTimeout,
// wamp.error.payload_size_exceeded to ErrMessageTooLarge.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrCanceled:
		return e.URI == uriCanceled
	case ErrTimeout:
		return e.URI == uriTimeout
	case ErrMessageTooLarge:
		return e.URI == URIPayloadSizeExceeded
	}
	return false
}

// AbortError reports an ABORT from the router: a join that was refused, or
// a session the router ended.
type AbortError struct {
	Reason  protocol.URI
	Details protocol.Dict
	Args    protocol.List
	Kwargs  protocol.Dict
}

// Error gives the reason and the router's message, quoted (Go syntax).
func (e *AbortError) Error() string {
	s := "wampgo: router aborted the session: " + quoteIfUnprintable(e.Reason)
	if m, ok := e.Details["message"].(string); ok && m != "" {
		s += ": " + strconv.Quote(m)
	}
	return s
}

// Message returns the human-readable message the router gave, if any.
func (e *AbortError) Message() string {
	m, _ := e.Details["message"].(string)
	return m
}

// GoodbyeError is the end reason of a session the router closed with
// GOODBYE.
type GoodbyeError struct {
	Reason  protocol.URI
	Details protocol.Dict
}

func (e *GoodbyeError) Error() string {
	return "wampgo: router closed the session: " + quoteIfUnprintable(e.Reason)
}

// SlowConsumerError reports an event dropped because its subscription's
// mailbox was full. It is passed to the error handler, not returned.
type SlowConsumerError struct {
	Topic        protocol.URI
	Subscription protocol.ID
	Publication  protocol.ID
	Dropped      uint64 // total dropped for this subscription so far
}

func (e *SlowConsumerError) Error() string {
	return fmt.Sprintf("wampgo: slow consumer: event %d on %q dropped (%d dropped so far)",
		e.Publication, e.Topic, e.Dropped)
}

// HandlerPanicError reports a handler that panicked. Invocation handlers'
// callers receive ERROR wamp.error.runtime_error; the panic itself goes to
// the error handler.
type HandlerPanicError struct {
	Value any
	Stack []byte
}

func (e *HandlerPanicError) Error() string { return fmt.Sprintf("wampgo: handler panic: %v", e.Value) }

// closedError wraps the session's end reason so that it matches both
// ErrClosed and the reason.
func closedError(reason error) error {
	if reason == nil || errors.Is(reason, ErrClosed) {
		if reason == nil {
			return ErrClosed
		}
		return reason
	}
	return fmt.Errorf("%w: %w", ErrClosed, reason)
}

// errorFromMessage builds the typed error for an ERROR message.
func errorFromMessage(m *protocol.Error) *Error {
	return &Error{URI: m.Error, Args: m.Args, Kwargs: m.Kwargs, Details: m.Details}
}
