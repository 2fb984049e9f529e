package client

import (
	"testing"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

func TestTombstonesBounded(t *testing.T) {
	var ts tombstones
	now := time.Unix(0, 0)
	for id := protocol.ID(1); id <= 3*maxTombstones; id++ {
		ts.add(id, now)
	}
	if len(ts.ids) > maxTombstones || len(ts.order)-ts.head > 2*maxTombstones || cap(ts.order) > 4*maxTombstones {
		t.Fatalf("%d tombstones, order %d (cap %d): want at most %d", len(ts.ids), len(ts.order)-ts.head, cap(ts.order), maxTombstones)
	}
	last := protocol.ID(3 * maxTombstones)
	if !ts.late(last, false, now) || !ts.late(last, true, now) {
		t.Fatal("a kept tombstone is not recognised")
	}
	if _, ok := ts.ids[last]; ok {
		t.Fatal("a final answer leaves its tombstone")
	}
	if !ts.late(1, true, now) {
		t.Fatal("an answer to an evicted tombstone is not recognised as late")
	}
	if ts.late(last+1, true, now) || ts.late(0, true, now) {
		t.Fatal("an id never canceled counts as late")
	}
	// Age: all expire; the order slice is spent.
	later := now.Add(tombstoneMaxAge + time.Second)
	ts.add(last+1, later)
	if len(ts.ids) != 1 || ts.forgotten != last-1 {
		t.Fatalf("after expiry: %d tombstones, forgotten %d; want 1, %d", len(ts.ids), ts.forgotten, last-1)
	}
	// Answered tombstones do not pile up in order.
	for id := last + 2; id < last+2+3*maxTombstones; id++ {
		ts.add(id, later)
		ts.late(id, true, later)
	}
	if n := len(ts.order) - ts.head; n > 2*maxTombstones {
		t.Fatalf("order holds %d entries of answered calls", n)
	}
}
