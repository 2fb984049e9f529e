package mailbox

import "sync"

// feed is the state of a mailbox made by NewFeed: its items go into out,
// a channel of one slot that a reader receives from, instead of to a
// handler. All its fields but the constant ones are guarded by the
// mailbox's mu.
type feed[T any] struct {
	out    chan T
	policy Overflow
	ended  <-chan struct{} // the owner's end: nil for none
	stop   chan struct{}   // closed by Close and Abandon: the feeder stops sending

	stopped   bool // stop is closed
	outSize   int  // the size of the item last put in out
	last      T    // Finish's item, delivered after the queue
	hasLast   bool
	lastSent  bool // last is in out (or given up at the owner's end)
	abandoned bool // Abandon: unread items are discarded, last goes in at once
	gone      bool // the owner ended: last is put in out only if it has room
	outClosed bool
}

// NewFeed returns a mailbox whose items go into out, in the order they
// were put, for a reader to receive: at once when nothing is queued and
// out has room, else through a feeder goroutine that exists only while
// items wait. out must have a capacity of one, and the mailbox must be its
// only sender; it closes out when it ends (Close, CloseWhenDrained,
// Finish). When ended (which may be nil) is closed, the items still
// queued are discarded and out is closed, Finish's item in it if there is
// room. The feeder is counted in group, as NewTracked's workers are.
//
// The limits bound the items queued plus the one out holds, which is
// counted until the reader takes it. They are strict under Drop and Fail
// (but an item of any size is accepted when the mailbox holds nothing).
// Under Block, whose producer waits for Space, an item is also accepted
// whenever nothing is queued, whatever out holds: a refused producer thus
// always has a feeder, blocked on out, that signals Space when the reader
// takes an item; the mailbox then holds at most its limits plus one item.
func NewFeed[T any](group *sync.WaitGroup, limits Limits, policy Overflow, out chan T, ended <-chan struct{}) *Mailbox[T] {
	if cap(out) != 1 {
		panic("mailbox: NewFeed needs a channel of capacity 1")
	}
	m := NewTracked[T](group, limits, 1, nil, nil)
	m.feed = &feed[T]{out: out, policy: policy, ended: ended, stop: make(chan struct{})}
	return m
}

// feedPut is TryPut for a feed. An abandoned feed takes every item and
// discards it.
func (m *Mailbox[T]) feedPut(item T, size int) bool {
	f := m.feed
	m.mu.Lock()
	if f.abandoned {
		m.mu.Unlock()
		m.discarded.Add(1)
		return true
	}
	if m.closed || m.drain || !m.admitLocked(size) {
		m.mu.Unlock()
		return false
	}
	if len(m.queue) == 0 && m.running == 0 {
		select {
		case f.out <- item:
			f.outSize = size
			m.mu.Unlock()
			return true
		default:
		}
	}
	m.queue = append(m.queue, entry[T]{item, size})
	m.bytes += size
	start := m.startLocked()
	m.mu.Unlock()
	if start {
		go m.feedLoop()
	}
	return true
}

// admitLocked applies a feed's limits to an item of size (see NewFeed).
func (m *Mailbox[T]) admitLocked(size int) bool {
	f := m.feed
	items, bytes := len(m.queue), m.bytes
	if len(f.out) > 0 {
		items, bytes = items+1, bytes+f.outSize
	}
	switch {
	case items == 0, m.fitsLocked(items, bytes, size):
		return true
	case f.policy == Block:
		return len(m.queue) == 0
	}
	return false
}

// Finish puts last behind the queued items, whatever the limits, and ends
// the feed after it: out is closed once the reader has been given last.
// Only the first call counts. After Abandon, last goes into out at once,
// in place of the items the reader had not taken. Finish never blocks.
func (m *Mailbox[T]) Finish(last T) {
	f := m.feed
	m.mu.Lock()
	if !f.hasLast && !m.closed {
		f.last, f.hasLast = last, true
		m.drain = true
		m.endLocked()
	}
	m.mu.Unlock()
}

// Abandon gives the feed up: the items queued are discarded, the feeder
// stops, and every item put from now on is discarded too; Finish's item
// (now or later) then replaces in out the item the reader had not taken.
// It is for a reader that will not read on.
func (m *Mailbox[T]) Abandon() {
	f := m.feed
	m.mu.Lock()
	if !f.abandoned && !m.closed {
		f.abandoned = true
		m.discardLocked()
		f.stopLocked()
		m.endLocked()
	}
	m.mu.Unlock()
}

func (f *feed[T]) stopLocked() {
	if !f.stopped {
		f.stopped = true
		close(f.stop)
	}
}

// endLocked closes out for a mailbox that ends with no feeder running,
// after putting Finish's item in it; it reports false, having started a
// feeder, when that item must wait for room.
func (f *feed[T]) endLocked(m *Mailbox[T]) bool {
	if f.outClosed {
		return true
	}
	if !m.closed && f.hasLast && !f.lastSent {
		if f.abandoned {
			f.replaceLocked()
		} else {
			select {
			case f.out <- f.last:
				f.lastSent = true
			default:
				if f.gone {
					f.lastSent = true // the owner ended and nobody reads: give it up
					break
				}
				m.startLocked()
				go m.feedLoop()
				return false
			}
		}
	}
	var zero T
	f.last = zero
	f.outClosed = true
	close(f.out)
	return true
}

// replaceLocked empties out of the item the reader did not take and puts
// last there. The mailbox is out's only sender and no feeder runs, so
// there is room.
func (f *feed[T]) replaceLocked() {
	select {
	case <-f.out:
	default:
	}
	f.out <- f.last
	f.lastSent = true
}

// feedLoop is the feeder goroutine: it hands the queued items to out, one
// at a time, each as the reader makes room, then Finish's item, and exits
// when none is left (closing out if the feed has ended).
func (m *Mailbox[T]) feedLoop() {
	if m.group != nil {
		defer m.group.Done()
	}
	f := m.feed
	for {
		m.mu.Lock()
		var item T
		var size int
		switch {
		case len(m.queue) > 0 && !m.closed:
			item, size = m.queue[0].item, m.queue[0].size
		case f.hasLast && !f.lastSent && !m.closed && !f.abandoned:
			item, size = f.last, -1
		default:
			m.running--
			m.endLocked()
			m.mu.Unlock()
			return
		}
		m.mu.Unlock()
		m.handOff(item, size)
	}
}

// handOff puts item, queued with size (-1 for Finish's item), into out,
// waiting for the reader to make room, for the feed to stop, or for the
// owner's end.
func (m *Mailbox[T]) handOff(item T, size int) {
	f := m.feed
	select {
	case f.out <- item:
		m.mu.Lock()
		switch {
		case size < 0:
			f.lastSent = true
		case !f.stopped: // else the queue was discarded meanwhile
			m.popLocked()
			f.outSize = size
		}
		m.mu.Unlock()
		signal(m.space)
	case <-f.stop:
		// Closed or abandoned: the next round ends.
	case <-f.ended:
		m.mu.Lock()
		f.gone = true
		m.discardLocked()
		if size < 0 {
			select {
			case f.out <- item:
			default:
			}
			f.lastSent = true
		}
		m.mu.Unlock()
	}
}
