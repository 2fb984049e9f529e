package client

import (
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// Bounds of the tombstones of calls completed locally (see tombstones).
// 4,096 tombstones hold about 200 KiB; ten minutes is far beyond any
// router's reply to a CANCEL.
const (
	maxTombstones   = 4096
	tombstoneMaxAge = 10 * time.Minute
)

// tombstones remembers the request ids of calls the client completed
// before the router answered them (canceled without waiting for the
// router's ERROR, or timed out), so that the router's late answer is
// recognised and discarded rather than taken for a protocol violation.
// The call itself is released at once: a tombstone is its id and time.
//
// At most maxTombstones are kept, none older than tombstoneMaxAge. A late
// answer to a forgotten one is still discarded: every request id at or
// below the highest id forgotten counts as answered late. That makes a
// second answer to such an id pass unnoticed, the price of a bound.
//
// The session loop owns it; the zero value is empty and ready.
type tombstones struct {
	ids       map[protocol.ID]struct{}
	order     []tombstone // oldest first from head; entries may be answered already
	head      int
	forgotten protocol.ID // the highest id evicted unanswered
}

type tombstone struct {
	id protocol.ID
	at time.Time
}

// add records that the call with request id req completed at now without
// its answer.
func (ts *tombstones) add(req protocol.ID, now time.Time) {
	if ts.ids == nil {
		ts.ids = map[protocol.ID]struct{}{}
	}
	ts.expire(now)
	for len(ts.ids) >= maxTombstones || len(ts.order)-ts.head >= 2*maxTombstones {
		ts.evictOldest()
	}
	ts.ids[req] = struct{}{}
	ts.order = append(ts.order, tombstone{req, now})
}

// late reports whether req is the request id of a call completed locally,
// whose answer the router sends late. A final answer ends the tombstone; a
// progressive one leaves it for the final answer to come.
func (ts *tombstones) late(req protocol.ID, final bool, now time.Time) bool {
	ts.expire(now)
	if _, ok := ts.ids[req]; ok {
		if final {
			delete(ts.ids, req)
		}
		return true
	}
	return req != 0 && req <= ts.forgotten
}

// expire forgets the tombstones older than tombstoneMaxAge.
func (ts *tombstones) expire(now time.Time) {
	for ts.head < len(ts.order) && now.Sub(ts.order[ts.head].at) > tombstoneMaxAge {
		ts.evictOldest()
	}
}

// evictOldest forgets the oldest entry of order (one already answered is
// simply dropped), compacting order once half of it is spent.
func (ts *tombstones) evictOldest() {
	if ts.head >= len(ts.order) {
		return
	}
	id := ts.order[ts.head].id
	ts.order[ts.head] = tombstone{}
	ts.head++
	if _, ok := ts.ids[id]; ok {
		delete(ts.ids, id)
		ts.forgotten = max(ts.forgotten, id)
	}
	if ts.head == len(ts.order) {
		ts.order, ts.head = ts.order[:0], 0
	} else if ts.head > len(ts.order)/2 && ts.head > 64 {
		n := copy(ts.order, ts.order[ts.head:])
		clear(ts.order[n:])
		ts.order, ts.head = ts.order[:n], 0
	}
}
