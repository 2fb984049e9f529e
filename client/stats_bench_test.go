package client

import (
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

// BenchmarkCountersPerEvent measures what the statistics cost one event
// on its way through the client (received, queued, handled), from many
// goroutines at once, as the session loop and handler goroutines do.
func BenchmarkCountersPerEvent(b *testing.B) {
	var k counters
	ev := &protocol.Event{}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			k.received(ev)
			k.queued()
			k.eventDone()
		}
	})
}

// BenchmarkCountersPerCall is the same for one call (started, sent, its
// result received, completed).
func BenchmarkCountersPerCall(b *testing.B) {
	var k counters
	call, res := &protocol.Call{}, &protocol.Result{}
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			k.callsStarted.Add(1)
			k.sent(call)
			k.received(res)
			k.callEnded(nil)
		}
	})
}
