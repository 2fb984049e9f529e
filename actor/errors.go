package actor

import (
	"errors"
	"fmt"
)

// ErrStopped is returned by Send and Ask once the actor has ended. The
// actor's own end reason is available from Err.
var ErrStopped = errors.New("actor: stopped")

// PanicError is the end reason of an actor whose function panicked. It is
// also what package mailbox reports of a handler that panicked
// (mailbox.PanicError is this type).
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the stack of the panicking goroutine
}

func (e *PanicError) Error() string { return fmt.Sprintf("actor: panic: %v", e.Value) }
