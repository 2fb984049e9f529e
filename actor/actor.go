// Package actor is the small runtime behind every goroutine in wampgo that
// owns state: a command queue, a stop handshake, a done channel with the
// reason the goroutine ended, and panics turned into that reason instead of a
// crash.
//
// The state itself belongs to the function given to Spawn and is touched
// only by the goroutine running it; no lock guards it. Other goroutines talk
// to it only through Send, SendUrgent, Ask and Stop; those that wait also
// select on the caller's context and on the actor's end, so none of them
// can block forever on an actor that has ended.
//
// Every command that Send accepts reaches exactly one of two places: the
// actor's function, which takes it from its Inbox, or, once the function
// has returned, the orphan function given to Spawn, which answers it with
// the end reason. A command is never accepted and then lost.
//
// The queue is sized by need: an actor that has nothing to do holds no
// buffer, and its goroutine waits on one channel (Inbox.Wake) for every
// kind of work.
package actor

import (
	"context"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Actor is a running goroutine with a typed command queue. Its methods
// are safe to call from any goroutine.
type Actor[C any] struct {
	limit  int           // Send waits while this many commands are queued
	wake   chan struct{} // one slot: signalled by Send, SendUrgent and Stop
	err    error         // the end reason; written before over is set
	orphan func(cmd C, reason error)

	// Read without mu by the actor's function; the counts are written
	// under mu.
	queued   atomic.Int32 // len(queue) - head
	urgents  atomic.Int32 // len(urgent)
	stopping atomic.Bool  // Stop was called

	mu sync.Mutex
	// The flags first: they fill the padding after mu.
	over     bool          // guarded by mu: the function has returned; nothing more is queued; err is set
	finished bool          // guarded by mu: done is closed, or made closed
	queue    []C           // guarded by mu: Send's commands, oldest first from head
	head     int           // guarded by mu: queue[head:] is waiting
	urgent   []C           // guarded by mu: SendUrgent's commands, oldest first
	room     chan struct{} // guarded by mu: made by a Send that waits for room; closed when there is some
	ended    chan struct{} // guarded by mu: made by Ended; closed once over
	// done is made by the first caller of Done (an actor nobody waits for
	// holds none) and closed once finished: once every orphaned command
	// is answered. Both guarded by mu.
	done chan struct{}
}

// Inbox is the actor's side of its queue, handed to the function that
// Spawn runs. Only that function may use it.
type Inbox[C any] struct {
	// Wake has a value whenever commands were queued or Stop was called
	// since the function last took it: after taking it, the function
	// takes what Next and NextUrgent give and checks Stopping. It is
	// never closed.
	Wake <-chan struct{}
	a    *Actor[C]
}

// Next takes the oldest command Send queued, if any.
func (in Inbox[C]) Next() (cmd C, ok bool) {
	a := in.a
	if a.queued.Load() == 0 {
		return cmd, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.head == len(a.queue) {
		return cmd, false
	}
	cmd = a.queue[a.head]
	var zero C
	a.queue[a.head] = zero
	a.head++
	a.queued.Add(-1)
	if a.head == len(a.queue) {
		a.head = 0
		a.queue = a.queue[:0]
		if cap(a.queue) > 2*a.limit {
			a.queue = nil // a burst's buffer goes back to the collector
		}
	}
	if a.room != nil && len(a.queue)-a.head < a.limit {
		close(a.room)
		a.room = nil
	}
	return cmd, true
}

// NextUrgent takes the oldest command SendUrgent queued, if any.
func (in Inbox[C]) NextUrgent() (cmd C, ok bool) {
	a := in.a
	if a.urgents.Load() == 0 {
		return cmd, false
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.urgent) == 0 {
		return cmd, false
	}
	cmd = a.urgent[0]
	var zero C
	a.urgent[0] = zero
	a.urgent = a.urgent[1:]
	a.urgents.Add(-1)
	if len(a.urgent) == 0 {
		a.urgent = nil
	}
	return cmd, true
}

// Len returns how many commands Send queued that Next has not taken.
func (in Inbox[C]) Len() int { return int(in.a.queued.Load()) }

// Stopping reports whether Stop was called; the function should then
// return.
func (in Inbox[C]) Stopping() bool { return in.a.stopping.Load() }

// Receive waits for the next command Send queued and takes it; ok is
// false once Stop has been called. It is the whole loop of an actor that
// waits for nothing else.
func (in Inbox[C]) Receive() (cmd C, ok bool) {
	for {
		if in.Stopping() {
			return cmd, false
		}
		if cmd, ok := in.Next(); ok {
			return cmd, true
		}
		<-in.Wake
	}
}

// Spawn starts fn on a new goroutine. Send queues up to buffer commands
// (at least one) and then waits for fn to take some. fn owns whatever
// state it closes over; it should return when Stop is called (see
// Inbox). Its return value (or a *PanicError if it panics) becomes the
// actor's end reason.
//
// orphan, if not nil, is called on the actor's goroutine after fn has
// returned, once for every command that Send accepted and fn did not take,
// with the end reason; it must answer the command without blocking. Done
// is closed after the last such call. Commands of SendUrgent that fn did
// not take are dropped.
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
		limit:  max(buffer, 1),
		wake:   make(chan struct{}, 1),
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
	defer a.finish()
	defer a.drain()
	defer func() {
		if v := recover(); v != nil {
			a.err = &PanicError{Value: v, Stack: debug.Stack()}
		}
	}()
	a.err = fn(Inbox[C]{Wake: a.wake, a: a})
}

// drain ends the queue and hands every command still in it to orphan.
func (a *Actor[C]) drain() {
	a.mu.Lock()
	a.over = true
	left := a.queue[a.head:]
	a.queue, a.head, a.urgent = nil, 0, nil
	a.queued.Store(0)
	a.urgents.Store(0)
	if a.room != nil {
		close(a.room)
		a.room = nil
	}
	if a.ended != nil {
		close(a.ended)
	}
	a.mu.Unlock()
	if a.orphan != nil {
		for _, cmd := range left {
			a.orphan(cmd, a.err)
		}
	}
}

// Send queues cmd for the actor, waiting while the queue is full. It
// returns ctx's error if ctx has ended or ends first, and ErrStopped if
// the actor has ended or ends before there is room. A command Send
// accepted (nil error) reaches the actor's function or its orphan
// function.
func (a *Actor[C]) Send(ctx context.Context, cmd C) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		a.mu.Lock()
		if a.over {
			a.mu.Unlock()
			return ErrStopped
		}
		if len(a.queue)-a.head < a.limit {
			if a.head > 0 && len(a.queue) == cap(a.queue) {
				// Reuse the room Next freed at the front.
				n := copy(a.queue, a.queue[a.head:])
				clear(a.queue[n:])
				a.queue, a.head = a.queue[:n], 0
			}
			a.queue = append(a.queue, cmd)
			a.queued.Add(1)
			a.mu.Unlock()
			signal(a.wake)
			return nil
		}
		if a.room == nil {
			a.room = make(chan struct{})
		}
		room := a.room
		a.mu.Unlock()
		select {
		case <-room: // room, or the end (then the queue is over)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// SendUrgent queues cmd for the actor without waiting and without limit,
// to be taken with Inbox.NextUrgent: for commands the function takes
// even while it takes no others. It returns ErrStopped once the actor has
// ended; a command queued when the function returns is dropped.
func (a *Actor[C]) SendUrgent(cmd C) error {
	a.mu.Lock()
	if a.over {
		a.mu.Unlock()
		return ErrStopped
	}
	a.urgent = append(a.urgent, cmd)
	a.urgents.Add(1)
	a.mu.Unlock()
	signal(a.wake)
	return nil
}

// Stop asks the actor to end and waits until it has, or until ctx ends. It
// is safe to call more than once and from several goroutines; it returns
// ctx's error if the wait was cut short, else nil.
func (a *Actor[C]) Stop(ctx context.Context) error {
	a.stopping.Store(true)
	signal(a.wake)
	select {
	case <-a.Done():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Done is closed once the actor's function has returned and every command
// it left behind has been handed to the orphan function.
func (a *Actor[C]) Done() <-chan struct{} {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.done == nil {
		a.done = make(chan struct{})
		if a.finished {
			close(a.done)
		}
	}
	return a.done
}

// finish closes Done, if made, as run's last step before then.
func (a *Actor[C]) finish() {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.finished = true
	if a.done != nil {
		close(a.done)
	}
}

// Ended is closed as soon as the actor's function has returned, before the
// orphaned commands are answered. From then on Send fails with ErrStopped
// and Err reports the end reason.
func (a *Actor[C]) Ended() <-chan struct{} {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ended == nil {
		a.ended = make(chan struct{})
		if a.over {
			close(a.ended)
		}
	}
	return a.ended
}

// Err returns the actor's end reason: nil while it runs and after a clean
// return, the function's error, or a *PanicError.
func (a *Actor[C]) Err() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if !a.over {
		return nil
	}
	return a.err
}

// signal makes a non-blocking send on a one-slot channel.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
