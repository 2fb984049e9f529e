// Package mailbox runs user code off the session goroutine: a bounded queue
// (by bytes and by message count) drained by worker goroutines of its own.
//
// The producer (the session goroutine) never blocks on a mailbox: TryPut
// either queues the item at once or reports that the mailbox is full, and
// the producer decides what that means (drop and report, answer with an
// error, or park the item and stop reading until Space signals room).
// A slow handler therefore delays only its own mailbox.
//
// Workers exist only for work in progress: TryPut starts one when an item
// arrives and fewer than the mailbox's limit are running, and a worker
// exits as soon as the queue is empty. An idle mailbox holds no goroutine,
// so a session may hold many thousands of them cheaply.
package mailbox

import (
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Default limits, used for any Limits field left zero. They are sized like
// a mature messaging client's pending limits (nats.go: 512k messages or
// 64 MiB per subscription), so that an ordinary burst to a handler that
// keeps up on average is absorbed, not dropped; the byte bound is the one
// that usually applies first.
const (
	DefaultMaxMessages = 512 * 1024
	DefaultMaxBytes    = 64 << 20
)

// Limits bounds what a mailbox holds before TryPut reports it full. A zero
// field takes its default. An item larger than MaxBytes is still accepted
// when the mailbox is empty, so that no single message is undeliverable.
type Limits struct {
	MaxMessages int
	MaxBytes    int
}

func (l Limits) withDefaults() Limits {
	if l.MaxMessages <= 0 {
		l.MaxMessages = DefaultMaxMessages
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	return l
}

type entry[T any] struct {
	item T
	size int
}

// Mailbox is a bounded queue of T drained by up to a fixed number of worker
// goroutines, each calling the handler for one item at a time. All methods
// are safe for concurrent use.
type Mailbox[T any] struct {
	limits  Limits
	workers int
	handle  func(T)
	onPanic func(*PanicError)
	group   *sync.WaitGroup // counts the workers too, when not nil

	mu      sync.Mutex
	queue   []entry[T] // guarded by mu
	bytes   int        // guarded by mu: sum of queued sizes
	closed  bool       // guarded by mu
	drain   bool       // guarded by mu: no more puts; end once empty
	running int        // guarded by mu: workers started and not yet exited
	ended   bool       // guarded by mu: done is closed

	space chan struct{} // signalled (one slot) when a worker took an item
	done  chan struct{} // closed once ended and no worker runs

	discarded atomic.Uint64
}

// New returns a mailbox whose workers, at most workers of them at once (at
// least one), call handle for each item. With one worker, items are
// handled in the order they were put. onPanic, if not nil, is called (on
// the worker goroutine) when handle panics. New starts no goroutine.
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
// blocks; it starts a worker if fewer than the limit are running.
func (m *Mailbox[T]) TryPut(item T, size int) bool {
	m.mu.Lock()
	if m.closed || m.drain || (len(m.queue) > 0 && (len(m.queue) >= m.limits.MaxMessages || m.bytes+size > m.limits.MaxBytes)) {
		m.mu.Unlock()
		return false
	}
	m.queue = append(m.queue, entry[T]{item, size})
	m.bytes += size
	start := m.running < m.workers
	if start {
		m.running++
		if m.group != nil {
			m.group.Add(1)
		}
	}
	m.mu.Unlock()
	if start {
		go m.work()
	}
	return true
}

// Space returns a channel that receives a value after a worker has taken
// an item out of the queue. A producer that found the mailbox full may wait
// on it before trying again. Only one goroutine should wait on it.
func (m *Mailbox[T]) Space() <-chan struct{} { return m.space }

// Len reports how many items and bytes are queued (not counting items being
// handled).
func (m *Mailbox[T]) Len() (items, bytes int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.queue), m.bytes
}

// Close stops the mailbox: no item is accepted after it, items still queued
// are discarded (and counted by Discarded), and the workers exit once the
// items they are handling return. Close does not wait; use Done for that.
// It is safe to call more than once.
func (m *Mailbox[T]) Close() {
	m.mu.Lock()
	if !m.closed {
		m.closed = true
		m.discarded.Add(uint64(len(m.queue)))
		clear(m.queue)
		m.queue = nil
		m.bytes = 0
	}
	m.endLocked()
	m.mu.Unlock()
}

// CloseWhenDrained stops accepting items and lets the workers exit once
// every queued item has been handled. It does not wait; use Done for that.
func (m *Mailbox[T]) CloseWhenDrained() {
	m.mu.Lock()
	m.drain = true
	m.endLocked()
	m.mu.Unlock()
}

// endLocked closes done once the mailbox is closed or draining and no
// worker runs (a queued item always has a worker).
func (m *Mailbox[T]) endLocked() {
	if (m.closed || m.drain) && m.running == 0 && !m.ended {
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
		e := m.queue[0]
		var zero entry[T]
		m.queue[0] = zero
		m.queue = m.queue[1:]
		if len(m.queue) == 0 {
			m.queue = nil // an idle mailbox holds no buffer
		}
		m.bytes -= e.size
		m.mu.Unlock()
		signal(m.space)
		m.call(e.item)
	}
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
