// Package actor is the small runtime behind every goroutine in wampgo that
// owns state: a command channel, a stop handshake, a done channel with the
// reason the goroutine ended, and panics turned into that reason instead of a
// crash.
//
// The state itself belongs to the function given to Spawn and is touched
// only by the goroutine running it; no lock guards it. Other goroutines talk
// to it only through Send, Ask and Stop, each of which also selects on the
// caller's context and on Done, so none of them can block forever on an
// actor that has ended.
package actor

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"sync"
)

// ErrStopped is returned by Send and Ask once the actor has ended. The
// actor's own end reason is available from Err.
var ErrStopped = errors.New("actor: stopped")

// PanicError is the end reason of an actor whose function panicked.
type PanicError struct {
	Value any    // the value passed to panic
	Stack []byte // the stack of the panicking goroutine
}

func (e *PanicError) Error() string { return fmt.Sprintf("actor: panic: %v", e.Value) }

// Inbox is the actor's side of its channels, handed to the function that
// Spawn runs. Only that function may use it.
type Inbox[C any] struct {
	// Commands delivers what other goroutines Send. It is never closed.
	Commands <-chan C
	// Stop is closed when Stop is called; the function should then return.
	Stop <-chan struct{}
}

// Actor is a running goroutine with a typed command channel. Its methods
// are safe to call from any goroutine.
type Actor[C any] struct {
	cmdc     chan C        // written by Send, read by the actor's function
	stop     chan struct{} // closed by Stop (once)
	done     chan struct{} // closed when the function has returned
	stopOnce sync.Once
	err      error // the end reason; written before done is closed
}

// Spawn starts fn on a new goroutine with a command channel of the given
// buffer size. fn owns whatever state it closes over; it should return when
// inbox.Stop is closed. Its return value (or a *PanicError if it panics)
// becomes the actor's end reason.
func Spawn[C any](buffer int, fn func(inbox Inbox[C]) error) *Actor[C] {
	a := &Actor[C]{
		cmdc: make(chan C, buffer),
		stop: make(chan struct{}),
		done: make(chan struct{}),
	}
	go a.run(fn)
	return a
}

func (a *Actor[C]) run(fn func(Inbox[C]) error) {
	defer close(a.done)
	defer func() {
		if v := recover(); v != nil {
			a.err = &PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	a.err = fn(Inbox[C]{Commands: a.cmdc, Stop: a.stop})
}

// Send delivers cmd to the actor. It returns ctx's error if ctx ends first,
// and ErrStopped if the actor has ended or ends before taking the command.
func (a *Actor[C]) Send(ctx context.Context, cmd C) error {
	// Fail fast on an ended actor even if the buffer has room.
	select {
	case <-a.done:
		return ErrStopped
	default:
	}
	select {
	case a.cmdc <- cmd:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-a.done:
		return ErrStopped
	}
}

// Stop asks the actor to end and waits until it has, or until ctx ends. It
// is safe to call more than once and from several goroutines; it returns
// ctx's error if the wait was cut short, else nil.
func (a *Actor[C]) Stop(ctx context.Context) error {
	a.stopOnce.Do(func() { close(a.stop) })
	select {
	case <-a.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Done is closed once the actor's function has returned.
func (a *Actor[C]) Done() <-chan struct{} { return a.done }

// Err returns the actor's end reason: nil while it runs and after a clean
// return, the function's error, or a *PanicError.
func (a *Actor[C]) Err() error {
	select {
	case <-a.done:
		return a.err
	default:
		return nil
	}
}
