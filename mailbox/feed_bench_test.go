package mailbox_test

import (
	"testing"

	"github.com/wampgo/wampgo/mailbox"
)

// BenchmarkFeed moves b.N items from a producer through a feed to a reader
// that ranges over its channel; BenchmarkChannel16 is the same through a
// plain channel of 16 slots (what Results and a stream's Inputs were), for
// the per-item cost of the feed's accounting and hand-offs.
func BenchmarkFeed(b *testing.B) {
	out := make(chan int, 1)
	mb := mailbox.NewFeed(nil, mailbox.Limits{MaxMessages: 16}, mailbox.Block, out, nil)
	done := make(chan struct{})
	go func() {
		for range out {
		}
		close(done)
	}()
	b.ReportAllocs()
	for i := range b.N {
		for !mb.TryPut(i, 64) {
			<-mb.Space()
		}
	}
	mb.Finish(-1)
	<-done
}

func BenchmarkChannel16(b *testing.B) {
	out := make(chan int, 16)
	done := make(chan struct{})
	go func() {
		for range out {
		}
		close(done)
	}()
	b.ReportAllocs()
	for i := range b.N {
		out <- i
	}
	close(out)
	<-done
}
