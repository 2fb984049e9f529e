package client

import (
	"context"
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/protocol"
)

// ErrInterrupted matches the cause of an invocation handler's context that
// ended because the dealer sent INTERRUPT: the caller canceled the call, or
// the dealer's own call timeout expired. Read it with context.Cause:
//
//	if errors.Is(context.Cause(ctx), client.ErrInterrupted) { … }
//
// The cause is an *InterruptError telling which.
var ErrInterrupted = errors.New("wampgo: call interrupted by the router")

// InterruptError is the cause (context.Cause) of an invocation handler's
// context ended by INTERRUPT. It matches ErrInterrupted and
// context.Canceled; it also matches ErrTimeout when the dealer gave the
// call timeout as the reason, and ErrCanceled otherwise.
type InterruptError struct {
	// Mode is the cancel mode: CancelKill (the dealer waits for the
	// handler's answer and passes it on) or CancelKillNoWait (the answer is
	// discarded).
	Mode CancelMode
	// Reason is INTERRUPT.Options.reason when the dealer gave one, such as
	// wamp.error.timeout for its call timeout or wamp.error.canceled for a
	// caller's CANCEL; empty otherwise.
	Reason protocol.URI
	// Options is INTERRUPT.Options as received.
	Options protocol.Dict
}

func (e *InterruptError) Error() string {
	s := fmt.Sprintf("wampgo: call interrupted by the router (mode %s", e.Mode)
	if e.Reason != "" {
		s += ", reason " + e.Reason
	}
	return s + ")"
}

// Timeout reports whether the dealer interrupted the call because its
// timeout expired, rather than because the caller canceled it.
func (e *InterruptError) Timeout() bool { return e.Reason == uriTimeout }

// Is matches ErrInterrupted, and ErrTimeout or ErrCanceled by the reason.
func (e *InterruptError) Is(target error) bool {
	switch target {
	case ErrInterrupted:
		return true
	case ErrTimeout:
		return e.Timeout()
	case ErrCanceled:
		return !e.Timeout()
	}
	return false
}

// Unwrap returns context.Canceled: the handler's context was canceled, so
// a handler that returns the cause is answered as one that returns
// ctx.Err().
func (e *InterruptError) Unwrap() error { return context.Canceled }

// interruptCause builds the cause for an INTERRUPT message; mode is the
// mode already read from it (kill when absent).
func interruptCause(m *protocol.Interrupt, mode CancelMode) *InterruptError {
	reason, _ := m.Options["reason"].(string)
	return &InterruptError{Mode: mode, Reason: reason, Options: m.Options}
}
