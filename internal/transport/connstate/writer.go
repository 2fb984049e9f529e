package connstate

import (
	"context"
	"sync"
)

// Writer is the write side of a connection, without a goroutine of its
// own while idle. Frames are queued; a goroutine that finds no write in
// progress becomes the writer: it writes the queue, and everything queued
// behind it meanwhile, one batch per flush, and stops when the queue is
// empty. A burst of sends costs one flush, a lone send no added latency.
//
// With Write, that writer is the caller itself (a session's writer
// goroutine: no hand-off between it and the network). With Send and
// Control, it is a goroutine started for the work, which ends with it, so
// that the caller returns once its frames are queued.
//
// T is the transport's frame. The write function (New's argument) writes
// one batch and flushes it; it is called by one goroutine at a time,
// without Writer's lock held, and it must end the connection (State) on
// failure. Its batch is only valid during the call.
//
// Every method may be called from any goroutine.
type Writer[T any] struct {
	st    *State
	limit int // sends that may wait behind a write in progress
	write func(batch []T) error

	mu      sync.Mutex
	queue   []T       // guarded by mu
	spare   []T       // guarded by mu: the previous batch's array, for reuse
	queued  int       // guarded by mu: sends in queue
	writing bool      // guarded by mu: a goroutine is writing (or Quiesce took the write side)
	idle    sync.Cond // on mu: broadcast after each batch written, and when writing ends
	taken   uint64    // guarded by mu: batches the writers took
	written uint64    // guarded by mu: batches the writers wrote (or gave up on)
	failed  error     // guarded by mu: the first write error
	// space wakes a sender waiting for room: made by the first sender
	// that waits (an idle connection holds none); guarded by mu.
	space chan struct{}
	wg    sync.WaitGroup // the writer goroutine started by Send or Control; Add under mu
}

// NewWriter returns the write side of a connection whose end is recorded
// in st. limit is how many sends may wait behind a write in progress
// before Send blocks (0: Send waits whenever a write is in progress).
func NewWriter[T any](st *State, limit int, write func(batch []T) error) *Writer[T] {
	w := new(Writer[T])
	w.init(st, limit, write)
	return w
}

// init makes w, in place, what NewWriter returns: for an owner that
// embeds its Writer rather than holding a separate object. w must not be
// in use.
func (w *Writer[T]) init(st *State, limit int, write func(batch []T) error) {
	w.st, w.limit, w.write = st, limit, write
	w.idle.L = &w.mu
}

// maxSpare is the largest batch array kept for reuse: a burst's larger
// array is dropped, so an idle connection holds little.
const maxSpare = 64

// Send queues items, to be written back to back in order after everything
// sent before, by the write in progress or a goroutine started for it. It
// blocks while the queue is full, until there is room, ctx ends (ctx's
// error) or the write side stops (State.Err's value). An item queued is
// written unless the connection fails first.
func (w *Writer[T]) Send(ctx context.Context, items ...T) error {
	if err := w.wait(ctx); err != nil {
		return err
	}
	return w.put(items, false)
}

// Write is Send for a caller that is itself a writer goroutine: when no
// write is in progress, it writes the queue in its own goroutine;
// otherwise it queues items for the write in progress and waits until
// they are written. Either way it returns once items are written (the
// caller may reuse them), with the write's error, if any (the connection's
// end reason).
func (w *Writer[T]) Write(ctx context.Context, items ...T) error {
	if err := w.wait(ctx); err != nil {
		return err
	}
	return w.put(items, true)
}

// Control queues items as Send does, but never waits for room: for the
// transport's control frames (pings, pongs), which must not wait behind
// messages.
func (w *Writer[T]) Control(items ...T) error {
	w.mu.Lock()
	return w.put(items, false)
}

// wait waits for room in the queue. It returns with mu held, or with an
// error and mu released.
func (w *Writer[T]) wait(ctx context.Context) error {
	w.mu.Lock()
	for w.writing && w.queued >= w.limit && !w.stopped() {
		if w.space == nil {
			w.space = make(chan struct{}, 1) // the first sender to wait
		}
		space := w.space
		w.mu.Unlock()
		select {
		case <-space:
		case <-w.st.WritesStopped():
		case <-ctx.Done():
			return ctx.Err()
		}
		w.mu.Lock()
	}
	return nil
}

// put queues items and, when no write is in progress, writes the queue:
// here when inline is set, else on a goroutine of its own. It is called
// with mu held and releases it.
func (w *Writer[T]) put(items []T, inline bool) error {
	if w.stopped() {
		w.mu.Unlock()
		return w.st.Err()
	}
	w.queue = append(w.queue, items...)
	if w.writing {
		w.queued++
		if w.queued < w.limit {
			signal(w.space) // another sender may be waiting
		}
		if !inline {
			w.mu.Unlock()
			return nil
		}
		// Written with the batch the writer takes next.
		for batch := w.taken + 1; w.written < batch && w.failed == nil; {
			w.idle.Wait()
		}
		err := w.failed
		w.mu.Unlock()
		return err
	}
	w.writing = true
	if !inline {
		w.wg.Add(1)
		w.mu.Unlock()
		go func() {
			defer w.wg.Done()
			w.mu.Lock()
			w.run()
		}()
		return nil
	}
	return w.run()
}

// run writes the queue until it is empty, as the writer of the moment. It
// is called with mu held and writing set, and releases mu.
func (w *Writer[T]) run() error {
	var err error
	for len(w.queue) > 0 && err == nil {
		batch := w.queue
		w.queue, w.spare, w.queued = w.spare[:0], nil, 0
		w.taken++
		space := w.space
		w.mu.Unlock()
		signal(space)
		err = w.write(batch)
		clear(batch)
		w.mu.Lock()
		w.written++
		if cap(batch) <= maxSpare {
			w.spare = batch[:0]
		}
		w.idle.Broadcast()
	}
	if err != nil {
		w.failed = err
		clear(w.queue) // the connection has failed: nothing more leaves
		w.queue = w.queue[:0]
	}
	if cap(w.queue) > maxSpare {
		w.queue = nil
	}
	w.writing = false
	w.idle.Broadcast()
	w.mu.Unlock()
	return err
}

// stopped reports whether the write side has stopped.
func (w *Writer[T]) stopped() bool { return w.st.StoppedWrites() }

// Quiesce waits until the write in progress, if any, has written the
// queue, then takes the write side for good: nothing more is written, and
// the writer goroutine, if any, has exited. The owner calls it when it
// closes the connection, after State.StopWrites (so that no send starts a
// new write); a write stuck on the network is cut short by closing the
// connection.
func (w *Writer[T]) Quiesce() {
	w.mu.Lock()
	for w.writing {
		w.idle.Wait()
	}
	w.writing = true
	w.queue, w.spare = nil, nil
	w.mu.Unlock()
	w.wg.Wait()
}

// signal makes a non-blocking send on a one-slot channel.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
