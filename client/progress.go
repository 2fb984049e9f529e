package client

import "sync"

// Default bounds of a call's progress queue (see OnProgressOverflow and
// ProgressQueueLimits), sized like the default subscription mailbox.
const (
	maxQueuedProgress      = 512 * 1024
	maxQueuedProgressBytes = 64 << 20
)

// progressQueue holds, in order, the progressive results of a call that
// found Results full (policy Block), then its final result, and feeds them
// to Results from a goroutine of its own as the reader takes them. The
// goroutine exists only while results wait; it closes Results after the
// final one.
//
// push and finish are called by the session loop only; the feeder is the
// only other user, through mu.
type progressQueue struct {
	call     *Call
	maxItems int // bounds of items and bytes
	maxBytes int

	mu      sync.Mutex
	items   []queuedResult // guarded by mu
	bytes   int            // guarded by mu
	final   *Result        // guarded by mu: set once by finish
	dropAll bool           // guarded by mu: set by discard
	running bool           // guarded by mu: the feeder runs

	space     chan struct{} // one slot: signalled when the feeder took a result
	abandoned chan struct{} // closed by discard: wakes the feeder
}

type queuedResult struct {
	res  Result
	size int
}

func newProgressQueue(call *Call) *progressQueue {
	q := &progressQueue{call: call, space: make(chan struct{}, 1), abandoned: make(chan struct{})}
	q.maxItems, q.maxBytes = call.cfg.progressLimits.MaxMessages, call.cfg.progressLimits.MaxBytes
	if q.maxItems <= 0 {
		q.maxItems = maxQueuedProgress
	}
	if q.maxBytes <= 0 {
		q.maxBytes = maxQueuedProgressBytes
	}
	return q
}

// push queues a progressive result, or reports false when the queue is at
// its bounds (an oversized result is still taken by an empty queue).
func (q *progressQueue) push(res Result, size int) bool {
	q.mu.Lock()
	if n := len(q.items); n > 0 && (n >= q.maxItems || q.bytes+size > q.maxBytes) {
		q.mu.Unlock()
		return false
	}
	q.items = append(q.items, queuedResult{res, size})
	q.bytes += size
	start := q.startLocked()
	q.mu.Unlock()
	if start {
		go q.feed()
	}
	return true
}

// finish queues the final result, behind the progressive ones.
func (q *progressQueue) finish(res Result) {
	q.mu.Lock()
	q.final = &res
	start := q.startLocked()
	q.mu.Unlock()
	if start {
		go q.feed()
	}
}

// discard gives up the queue of a call its caller gave up (canceled or
// timed out): the progressive results still queued, and those waiting in
// Results, are discarded, and the final result that finish then queues
// takes their place in Results, which is then closed. The feeder ends at
// once, whether or not anyone reads Results.
func (q *progressQueue) discard() {
	select {
	case <-q.abandoned:
		return // discarded already (a kill-mode cancel, then the end)
	default:
	}
	q.mu.Lock()
	clear(q.items)
	q.items, q.bytes, q.dropAll = nil, 0, true
	q.mu.Unlock()
	close(q.abandoned)
}

// startLocked reports whether a feeder must be started, and counts it in
// the client's handler goroutines (the loop is the only caller).
func (q *progressQueue) startLocked() bool {
	if q.running {
		return false
	}
	q.running = true
	q.call.c.handlers.Add(1)
	return true
}

// feed is the feeder goroutine. When the session ends before the reader
// took everything, the progressive results still queued are discarded,
// the final one is delivered if Results has room, and Results is closed:
// Await and Done always have the final result.
func (q *progressQueue) feed() {
	defer q.call.c.handlers.Done()
	results, ended := q.call.results, q.call.c.base.Done()
	for {
		q.mu.Lock()
		if q.dropAll {
			if q.final == nil { // finish follows, and starts a feeder
				q.running = false
				q.mu.Unlock()
				return
			}
			final := *q.final
			q.mu.Unlock()
			q.deliverAbandoned(final)
			return
		}
		if len(q.items) == 0 {
			final := q.final
			if final == nil {
				q.running = false
				q.mu.Unlock()
				return
			}
			q.mu.Unlock()
			select {
			case results <- *final:
			case <-ended:
				select {
				case results <- *final:
				default:
				}
			}
			close(results)
			return
		}
		it := q.items[0]
		q.items[0] = queuedResult{}
		q.items = q.items[1:]
		q.bytes -= it.size
		q.mu.Unlock()
		signal(q.space)
		select {
		case results <- it.res:
		case <-q.abandoned: // it.res is discarded; the next round delivers the final result
		case <-ended:
			q.mu.Lock()
			q.items, q.bytes = nil, 0
			q.mu.Unlock()
		}
	}
}

// deliverAbandoned empties Results of the progressive results nobody read,
// puts final in it and closes it. The feeder is the only sender on
// Results, so after the emptying there is room, whatever the reader does.
func (q *progressQueue) deliverAbandoned(final Result) {
	results := q.call.results
	for drained := false; !drained; {
		select {
		case <-results:
		default:
			drained = true
		}
	}
	results <- final
	close(results)
}
