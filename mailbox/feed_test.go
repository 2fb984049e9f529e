package mailbox_test

import (
	"sync"
	"testing"
	"testing/synctest"

	"github.com/wampgo/wampgo/mailbox"
)

// receive takes what out holds now, or fails.
func receive(t *testing.T, out chan int) int {
	t.Helper()
	select {
	case v, ok := <-out:
		if !ok {
			t.Fatal("out closed")
		}
		return v
	default:
		t.Fatal("out is empty")
		return 0
	}
}

// A reader that keeps up gets every item in order, and the feeder ends
// with the work: an idle feed holds no goroutine.
func TestFeedOrderAndNoIdleGoroutine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var group sync.WaitGroup
		out := make(chan int, 1)
		mb := mailbox.NewFeed(&group, mailbox.Limits{}, mailbox.Block, out, nil)
		got := make(chan []int)
		go func() {
			var all []int
			for v := range out {
				all = append(all, v)
			}
			got <- all
		}()
		for i := range 1000 {
			if !mb.TryPut(i, 1) {
				t.Fatalf("put %d refused", i)
			}
			if i%100 == 0 {
				synctest.Wait()
			}
		}
		synctest.Wait()
		group.Wait() // the feeder has exited: nothing waits
		mb.Finish(1000)
		all := <-got
		if len(all) != 1001 {
			t.Fatalf("read %d items, want 1001", len(all))
		}
		for i, v := range all {
			if v != i {
				t.Fatalf("item %d = %d: out of order", i, v)
			}
		}
		<-mb.Done()
	})
}

// Under Drop (and Fail) the limits count the item out holds, and no item
// passes them; one of any size is taken by an empty feed.
func TestFeedStrictLimits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		out := make(chan int, 1)
		mb := mailbox.NewFeed(nil, mailbox.Limits{MaxMessages: 3, MaxBytes: 100}, mailbox.Drop, out, nil)
		for i, size := range []int{30, 30, 30} {
			if !mb.TryPut(i, size) {
				t.Fatalf("put %d refused", i)
			}
		}
		if mb.TryPut(3, 1) {
			t.Fatal("a fourth item passed MaxMessages 3")
		}
		if n, b := mb.Len(); n != 2 || b != 60 {
			t.Fatalf("Len = %d, %d; want 2 queued, 60 bytes (the first is in out)", n, b)
		}
		synctest.Wait()
		if got := receive(t, out); got != 0 {
			t.Fatalf("first = %d", got)
		}
		synctest.Wait() // the feeder moved item 1 into out
		// Item 1 in out, item 2 queued: 60 bytes held.
		if mb.TryPut(3, 50) {
			t.Fatal("an item passed MaxBytes")
		}
		if !mb.TryPut(3, 40) {
			t.Fatal("an item within the limits was refused")
		}
		mb.Close()
		synctest.Wait()
		for range out {
		}

		big := make(chan int, 1)
		mb = mailbox.NewFeed(nil, mailbox.Limits{MaxMessages: 3, MaxBytes: 100}, mailbox.Fail, big, nil)
		if !mb.TryPut(0, 1000) {
			t.Fatal("an empty feed refused an oversized item")
		}
		if mb.TryPut(1, 1) {
			t.Fatal("an item was taken beside an oversized one")
		}
		mb.Close()
	})
}

// Under Block an item is taken whenever nothing is queued, so that a
// refused producer always has a feeder to signal Space; it then holds at
// most its limits plus one item.
func TestFeedBlockAlwaysSignalsSpace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var group sync.WaitGroup
		out := make(chan int, 1)
		mb := mailbox.NewFeed(&group, mailbox.Limits{MaxBytes: 100}, mailbox.Block, out, nil)
		if !mb.TryPut(0, 60) || !mb.TryPut(1, 60) {
			t.Fatal("refused with nothing queued")
		}
		if mb.TryPut(2, 60) {
			t.Fatal("taken past the bound with one queued")
		}
		select {
		case <-mb.Space():
			t.Fatal("Space signalled before the reader took anything")
		default:
		}
		if got := receive(t, out); got != 0 {
			t.Fatalf("first = %d", got)
		}
		<-mb.Space() // the feeder handed item 1 over
		if !mb.TryPut(2, 60) {
			t.Fatal("refused after Space")
		}
		mb.Close()
		synctest.Wait()
		group.Wait()
		var rest []int
		for v := range out {
			rest = append(rest, v)
		}
		if len(rest) != 1 || rest[0] != 1 {
			t.Fatalf("after Close out held %v, want [1]", rest)
		}
		if mb.TryPut(3, 1) {
			t.Fatal("taken after Close")
		}
	})
}

// Finish's item comes after every queued one, whatever the limits, and out
// is closed after it; with nothing queued and room in out it goes in at
// once, without a goroutine.
func TestFeedFinish(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var group sync.WaitGroup
		out := make(chan int, 1)
		mb := mailbox.NewFeed(&group, mailbox.Limits{MaxMessages: 2}, mailbox.Drop, out, nil)
		mb.TryPut(0, 1)
		mb.TryPut(1, 1)
		mb.Finish(99)
		mb.Finish(100) // ignored
		if mb.TryPut(2, 1) {
			t.Fatal("taken after Finish")
		}
		var got []int
		for v := range out {
			got = append(got, v)
		}
		if len(got) != 3 || got[0] != 0 || got[1] != 1 || got[2] != 99 {
			t.Fatalf("read %v, want [0 1 99]", got)
		}
		group.Wait()
		<-mb.Done()

		out = make(chan int, 1)
		mb = mailbox.NewFeed(&group, mailbox.Limits{}, mailbox.Drop, out, nil)
		mb.Finish(7)
		if v, ok := <-out; v != 7 || !ok {
			t.Fatalf("got %d, %v", v, ok)
		}
		if _, ok := <-out; ok {
			t.Fatal("out not closed after Finish's item")
		}
	})
}

// Abandon discards what waits (queued, and the item out holds once Finish
// comes), stops the feeder at once, and swallows later items; Finish's
// item is then the next value out gives.
func TestFeedAbandon(t *testing.T) {
	for _, finishFirst := range []bool{false, true} {
		synctest.Test(t, func(t *testing.T) {
			var group sync.WaitGroup
			out := make(chan int, 1)
			mb := mailbox.NewFeed(&group, mailbox.Limits{}, mailbox.Block, out, nil)
			for i := range 5 {
				mb.TryPut(i, 1)
			}
			if finishFirst {
				mb.Finish(99)
			}
			synctest.Wait() // the feeder waits on out
			mb.Abandon()
			synctest.Wait()
			group.Wait() // the feeder has ended, though nobody reads
			if !mb.TryPut(5, 1) {
				t.Fatal("an abandoned feed refused an item")
			}
			if !finishFirst {
				mb.Finish(99)
			}
			var got []int
			for v := range out {
				got = append(got, v)
			}
			if len(got) != 1 || got[0] != 99 {
				t.Fatalf("read %v, want [99]", got)
			}
		})
	}
}

// The owner's end discards what is queued and closes out, Finish's item in
// it when there is room, and ends the feeder.
func TestFeedOwnerEnd(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var group sync.WaitGroup
		ended := make(chan struct{})
		out := make(chan int, 1)
		mb := mailbox.NewFeed(&group, mailbox.Limits{}, mailbox.Block, out, ended)
		for i := range 3 {
			mb.TryPut(i, 1)
		}
		synctest.Wait()
		close(ended)
		synctest.Wait()
		group.Wait()
		if got := receive(t, out); got != 0 {
			t.Fatalf("out held %d", got)
		}
		mb.Finish(99)
		if v, ok := <-out; v != 99 || !ok {
			t.Fatalf("final: %d, %v", v, ok)
		}
		if _, ok := <-out; ok {
			t.Fatal("out not closed")
		}

		// No room for Finish's item: it is given up, and out still closes.
		out = make(chan int, 1)
		mb = mailbox.NewFeed(&group, mailbox.Limits{}, mailbox.Block, out, ended)
		mb.TryPut(0, 1)
		mb.Finish(99)
		synctest.Wait()
		group.Wait()
		if got := receive(t, out); got != 0 {
			t.Fatalf("out held %d", got)
		}
		if _, ok := <-out; ok {
			t.Fatal("out not closed")
		}
	})
}
