// Package mailbox runs user code off the session goroutine: a bounded queue
// (by message count and by bytes) drained by worker goroutines of its own.
//
// The producer (the session goroutine) never blocks on a mailbox: TryPut
// either queues the item at once or reports that the mailbox is full, and
// the producer decides what that means (drop and report, answer with an
// error, or park the item and stop reading until Space signals room).
// A slow handler therefore delays only its own mailbox.
package mailbox

import (
	"fmt"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Default limits, used for any Limits field left zero.
const (
	DefaultMaxMessages = 1024
	DefaultMaxBytes    = 16 << 20
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

// PanicError reports a handler that panicked. The mailbox recovers, reports
// it through the OnPanic function given to New, and goes on with the next
// item.
type PanicError struct {
	Value any
	Stack []byte
}

func (e *PanicError) Error() string { return fmt.Sprintf("mailbox: handler panic: %v", e.Value) }

type entry[T any] struct {
	item T
	size int
}

// Mailbox is a bounded queue of T drained by its own worker goroutines,
// each calling the handler for one item at a time. All methods are safe for
// concurrent use.
type Mailbox[T any] struct {
	limits  Limits
	handle  func(T)
	onPanic func(*PanicError)

	mu     sync.Mutex
	queue  []entry[T] // guarded by mu
	bytes  int        // guarded by mu: sum of queued sizes
	closed bool       // guarded by mu
	drain  bool       // guarded by mu: no more puts; exit once empty

	ready chan struct{}  // closed or signalled: work or close pending; one slot
	space chan struct{}  // signalled (one slot) when a worker took an item
	wg    sync.WaitGroup // the workers
	done  chan struct{}  // closed when every worker has exited

	discarded atomic.Uint64
}

// New starts a mailbox with the given number of worker goroutines (at
// least one) that call handle for each item in turn. With one worker, items
// are handled in the order they were put. onPanic, if not nil, is called
// (on the worker goroutine) when handle panics.
func New[T any](limits Limits, workers int, handle func(T), onPanic func(*PanicError)) *Mailbox[T] {
	if workers < 1 {
		workers = 1
	}
	m := &Mailbox[T]{
		limits:  limits.withDefaults(),
		handle:  handle,
		onPanic: onPanic,
		ready:   make(chan struct{}, 1),
		space:   make(chan struct{}, 1),
		done:    make(chan struct{}),
	}
	m.wg.Add(workers)
	for range workers {
		go m.work()
	}
	go func() { m.wg.Wait(); close(m.done) }()
	return m
}

// TryPut queues item, whose size in bytes the caller estimates, and returns
// true; or returns false at once if the mailbox is full or closed. It never
// blocks.
func (m *Mailbox[T]) TryPut(item T, size int) bool {
	m.mu.Lock()
	if m.closed || m.drain || (len(m.queue) > 0 && (len(m.queue) >= m.limits.MaxMessages || m.bytes+size > m.limits.MaxBytes)) {
		m.mu.Unlock()
		return false
	}
	m.queue = append(m.queue, entry[T]{item, size})
	m.bytes += size
	m.mu.Unlock()
	signal(m.ready)
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
	m.mu.Unlock()
	signal(m.ready)
}

// CloseWhenDrained stops accepting items and lets the workers exit once
// every queued item has been handled. It does not wait; use Done for that.
func (m *Mailbox[T]) CloseWhenDrained() {
	m.mu.Lock()
	m.drain = true
	m.mu.Unlock()
	signal(m.ready)
}

// Done is closed once Close or CloseWhenDrained has been called and every worker has exited.
func (m *Mailbox[T]) Done() <-chan struct{} { return m.done }

// Discarded counts the items that Close threw away unhandled.
func (m *Mailbox[T]) Discarded() uint64 { return m.discarded.Load() }

func (m *Mailbox[T]) work() {
	defer m.wg.Done()
	for {
		m.mu.Lock()
		for len(m.queue) == 0 && !m.closed && !m.drain {
			m.mu.Unlock()
			<-m.ready
			m.mu.Lock()
		}
		if m.closed || len(m.queue) == 0 {
			m.mu.Unlock()
			signal(m.ready) // wake the next worker so it sees closed too
			return
		}
		e := m.queue[0]
		var zero entry[T]
		m.queue[0] = zero
		m.queue = m.queue[1:]
		m.bytes -= e.size
		more := len(m.queue) > 0
		m.mu.Unlock()
		if more {
			signal(m.ready) // let another worker take the next one
		}
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
