// Package mailbox is the client's one bounded queue: a FIFO bounded by
// bytes and by item count that hands its items off the session goroutine,
// either to worker goroutines that call a handler (New: events,
// invocations) or into a channel that a reader receives from (NewFeed:
// progressive results, progressive inputs).
//
// The producer (the session goroutine) never blocks on a mailbox: TryPut
// either takes the item at once or reports that the mailbox is full, and
// the producer applies its Overflow policy (drop and report, fail the
// operation, or keep the item and stop reading until Space signals room).
// A slow consumer therefore delays only its own mailbox.
//
// Goroutines exist only for work in progress: TryPut starts a worker (or
// a feeder) when an item must wait and fewer than the mailbox's limit run,
// and it exits as soon as the queue is empty. An idle mailbox holds no
// goroutine, so a session may hold many thousands of them cheaply.
package mailbox

import (
	"runtime/debug"
	"sync"
	"sync/atomic"
)

type entry[T any] struct {
	item T
	size int
}

// Mailbox is a bounded queue of T, drained by worker goroutines (New) or
// into a channel (NewFeed). All methods are safe for concurrent use.
type Mailbox[T any] struct {
	limits  Limits
	workers int
	handle  func(T)
	onPanic func(*PanicError)
	group   *sync.WaitGroup // counts the workers too, when not nil
	feed    *feed[T]        // NewFeed's; nil for a handler's mailbox

	mu      sync.Mutex
	queue   []entry[T] // guarded by mu
	bytes   int        // guarded by mu: sum of queued sizes
	closed  bool       // guarded by mu
	drain   bool       // guarded by mu: no more puts; end once empty
	running int        // guarded by mu: workers started and not yet exited
	ended   bool       // guarded by mu: done is closed

	space chan struct{} // signalled (one slot) when an item left the queue
	done  chan struct{} // closed once ended and no worker runs

	discarded atomic.Uint64
}

// New returns a mailbox whose workers, at most workers of them at once (at
// least one), call handle for each item. With one worker, items are
// handled in the order they were put. onPanic, if not nil, is called (on
// the worker goroutine) when handle panics. New starts no goroutine.
//
// An item being handled no longer counts towards the limits; an item of
// any size is accepted when nothing is queued, so that no single message
// is undeliverable. A producer refused by TryPut can therefore always
// wait for Space: a worker is running and signals it.
func New[T any](limits Limits, workers int, handle func(T), onPanic func(*PanicError)) *Mailbox[T] {
	return NewTracked(nil, limits, workers, handle, onPanic)
}

// NewTracked is New with every worker goroutine also counted in group
// (Add before it starts, Done as it exits), so that the owner of many
// mailboxes can wait for all their workers at once. TryPut calls
// group.Add: whoever waits on group must first make sure that no TryPut
// on such a mailbox can follow.
func NewTracked[T any](group *sync.WaitGroup, limits Limits, workers int, handle func(T), onPanic func(*PanicError)) *Mailbox[T] {
	return &Mailbox[T]{
		limits:  limits.withDefaults(),
		workers: max(workers, 1),
		handle:  handle,
		onPanic: onPanic,
		group:   group,
		space:   make(chan struct{}, 1),
		done:    make(chan struct{}),
	}
}

// TryPut queues item, whose size in bytes the caller estimates, and returns
// true; or returns false at once if the mailbox is full or closed. It never
// blocks; it starts a worker if one is needed and fewer than the limit are
// running.
func (m *Mailbox[T]) TryPut(item T, size int) bool {
	if m.feed != nil {
		return m.feedPut(item, size)
	}
	m.mu.Lock()
	if m.closed || m.drain || (len(m.queue) > 0 && !m.fitsLocked(len(m.queue), m.bytes, size)) {
		m.mu.Unlock()
		return false
	}
	m.queue = append(m.queue, entry[T]{item, size})
	m.bytes += size
	start := m.startLocked()
	m.mu.Unlock()
	if start {
		go m.work()
	}
	return true
}

// fitsLocked reports whether an item of size fits beside items and bytes
// already held.
func (m *Mailbox[T]) fitsLocked(items, bytes, size int) bool {
	return items < m.limits.MaxMessages && bytes+size <= m.limits.MaxBytes
}

// startLocked reports whether a goroutine must be started for the queue,
// and counts it.
func (m *Mailbox[T]) startLocked() bool {
	if m.running >= m.workers {
		return false
	}
	m.running++
	if m.group != nil {
		m.group.Add(1)
	}
	return true
}

// Space returns a channel that receives a value after an item has left
// the queue (a worker took it, or the feeder handed it to its reader). A
// producer that TryPut refused may wait on it before trying again. Only
// one goroutine should wait on it.
func (m *Mailbox[T]) Space() <-chan struct{} { return m.space }

// Len reports how many items and bytes are queued (not counting items
// being handled, nor the one a feed's channel holds).
func (m *Mailbox[T]) Len() (items, bytes int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.queue), m.bytes
}

// Close stops the mailbox: no item is accepted after it, items still queued
// are discarded (and counted by Discarded), and the workers exit once the
// items they are handling return. A feed's channel is closed once its
// feeder has stopped (at once when none runs). Close does not wait; use
// Done for that. It is safe to call more than once.
func (m *Mailbox[T]) Close() {
	m.mu.Lock()
	if !m.closed {
		m.closed = true
		m.discardLocked()
		if m.feed != nil {
			m.feed.stopLocked()
		}
	}
	m.endLocked()
	m.mu.Unlock()
}

// discardLocked throws away the queued items.
func (m *Mailbox[T]) discardLocked() {
	m.discarded.Add(uint64(len(m.queue)))
	clear(m.queue)
	m.queue = nil
	m.bytes = 0
}

// CloseWhenDrained stops accepting items and lets the workers exit once
// every queued item has been handled; a feed's channel is closed after
// its last item. It does not wait; use Done for that.
func (m *Mailbox[T]) CloseWhenDrained() {
	m.mu.Lock()
	m.drain = true
	m.endLocked()
	m.mu.Unlock()
}

// endLocked ends the mailbox once it is closed or draining and no worker
// runs (a queued item always has a worker): done is closed, and so is a
// feed's channel.
func (m *Mailbox[T]) endLocked() {
	if (m.closed || m.drain) && m.running == 0 && !m.ended {
		if m.feed != nil && !m.feed.endLocked(m) {
			return
		}
		m.ended = true
		close(m.done)
	}
}

// Done is closed once Close or CloseWhenDrained has been called and every
// worker has exited.
func (m *Mailbox[T]) Done() <-chan struct{} { return m.done }

// Discarded counts the items that Close threw away unhandled.
func (m *Mailbox[T]) Discarded() uint64 { return m.discarded.Load() }

// work is a worker goroutine: it handles items until the queue is empty or
// the mailbox is closed, then exits.
func (m *Mailbox[T]) work() {
	if m.group != nil {
		defer m.group.Done()
	}
	for {
		m.mu.Lock()
		if m.closed || len(m.queue) == 0 {
			m.running--
			m.endLocked()
			m.mu.Unlock()
			return
		}
		e := m.popLocked()
		m.mu.Unlock()
		signal(m.space)
		m.call(e.item)
	}
}

// popLocked removes the queue's first item.
func (m *Mailbox[T]) popLocked() entry[T] {
	e := m.queue[0]
	var zero entry[T]
	m.queue[0] = zero
	m.queue = m.queue[1:]
	if len(m.queue) == 0 {
		m.queue = nil // an idle mailbox holds no buffer
	}
	m.bytes -= e.size
	return e
}

func (m *Mailbox[T]) call(item T) {
	defer func() {
		if v := recover(); v != nil && m.onPanic != nil {
			m.onPanic(&PanicError{Value: v, Stack: debug.Stack()})
		}
	}()
	m.handle(item)
}

// signal makes a non-blocking send on a one-slot channel.
func signal(c chan struct{}) {
	select {
	case c <- struct{}{}:
	default:
	}
}
