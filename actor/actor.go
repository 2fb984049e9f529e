// Package actor is the small runtime behind every goroutine in wampgo that
// owns state: a command channel, a stop handshake, a done channel with the
// reason the goroutine ended, and panics turned into that reason instead of a
// crash.
//
// The state itself belongs to the function given to Spawn and is touched
// only by the goroutine running it; no lock guards it. Other goroutines talk
// to it only through Send, Ask and Stop, each of which also selects on the
// caller's context and on the actor's end, so none of them can block forever
// on an actor that has ended.
//
// Every command that Send accepts reaches exactly one of two places: the
// actor's function, which takes it from Inbox.Commands, or, once the
// function has returned, the orphan function given to Spawn, which answers
// it with the end reason. A command is never accepted and then lost.
package actor

import (
	"context"
	"runtime/debug"
	"sync"
)

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
	cmdc     chan C        // written by Send, read by the actor's function, then drained by run
	stop     chan struct{} // closed by Stop (once)
	ended    chan struct{} // closed by run when the function has returned: Send refuses from then on
	done     chan struct{} // closed by run once every orphaned command is answered
	stopOnce sync.Once
	err      error // the end reason; written before ended is closed
	orphan   func(cmd C, reason error)

	// sendMu orders Sends against the final drain: a Send holds the read
	// lock while it may put a command in cmdc; run takes the write lock
	// once ended is closed, so after it no command can arrive unseen.
	sendMu sync.RWMutex
}

// Spawn starts fn on a new goroutine with a command channel of the given
// buffer size. fn owns whatever state it closes over; it should return when
// inbox.Stop is closed. Its return value (or a *PanicError if it panics)
// becomes the actor's end reason.
//
// orphan, if not nil, is called on the actor's goroutine after fn has
// returned, once for every command that Send accepted and fn did not take,
// with the end reason; it must answer the command without blocking. Done
// is closed after the last such call.
func Spawn[C any](buffer int, fn func(inbox Inbox[C]) error, orphan func(cmd C, reason error)) *Actor[C] {
	return SpawnThen(buffer, fn, orphan, nil)
}

// SpawnThen is Spawn with a last step: then, if not nil, runs on the
// actor's goroutine once Done is closed, with the end reason, as the
// goroutine's last work (the owner's cleanup after the actor's end,
// without a goroutine waiting for it). A panic in then is not recovered.
func SpawnThen[C any](buffer int, fn func(inbox Inbox[C]) error, orphan func(cmd C, reason error), then func(reason error)) *Actor[C] {
	a := New(buffer, orphan)
	a.Start(fn, then)
	return a
}

// New returns an actor that does not run yet: Send queues up to buffer
// commands (and then waits), Stop waits for a Start. It lets the owner
// publish the actor before its goroutine runs. orphan is as for Spawn.
func New[C any](buffer int, orphan func(cmd C, reason error)) *Actor[C] {
	return &Actor[C]{
		cmdc:   make(chan C, buffer),
		stop:   make(chan struct{}),
		ended:  make(chan struct{}),
		done:   make(chan struct{}),
		orphan: orphan,
	}
}

// Start runs fn, and then then, on the actor's goroutine, as SpawnThen
// describes. Call it once, on an actor from New.
func (a *Actor[C]) Start(fn func(inbox Inbox[C]) error, then func(reason error)) {
	go a.run(fn, then)
}

func (a *Actor[C]) run(fn func(Inbox[C]) error, then func(error)) {
	if then != nil {
		defer func() { then(a.err) }()
	}
	defer close(a.done)
	defer a.drain()
	defer func() {
		if v := recover(); v != nil {
			a.err = &PanicError{Value: v, Stack: debug.Stack()}
		}
		close(a.ended) // wakes every Send waiting for room
	}()
	a.err = fn(Inbox[C]{Commands: a.cmdc, Stop: a.stop})
}

// drain hands every command still queued to orphan. It runs after ended is
// closed; taking the write lock waits for the Sends under way, and no later
// Send puts anything in cmdc.
func (a *Actor[C]) drain() {
	a.sendMu.Lock()
	//lint:ignore SA2001 an empty critical section: waiting for the Sends under way is the point
	a.sendMu.Unlock()
	for {
		select {
		case cmd := <-a.cmdc:
			if a.orphan != nil {
				a.orphan(cmd, a.err)
			}
		default:
			return
		}
	}
}

// Send delivers cmd to the actor. It returns ctx's error if ctx ends first,
// and ErrStopped if the actor has ended or ends before taking the command.
// A command Send accepted (nil error) reaches the actor's function or its
// orphan function.
func (a *Actor[C]) Send(ctx context.Context, cmd C) error {
	a.sendMu.RLock()
	defer a.sendMu.RUnlock()
	// Fail fast on an ended actor even if the buffer has room.
	select {
	case <-a.ended:
		return ErrStopped
	default:
	}
	select {
	case a.cmdc <- cmd:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	case <-a.ended:
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

// Done is closed once the actor's function has returned and every command
// it left behind has been handed to the orphan function.
func (a *Actor[C]) Done() <-chan struct{} { return a.done }

// Ended is closed as soon as the actor's function has returned, before the
// orphaned commands are answered. From then on Send fails with ErrStopped
// and Err reports the end reason.
func (a *Actor[C]) Ended() <-chan struct{} { return a.ended }

// Err returns the actor's end reason: nil while it runs and after a clean
// return, the function's error, or a *PanicError.
func (a *Actor[C]) Err() error {
	select {
	case <-a.ended:
		return a.err
	default:
		return nil
	}
}
