package mailbox_test

import (
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"go.uber.org/goleak"

	"github.com/wampgo/wampgo/mailbox"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestOrderWithOneWorker(t *testing.T) {
	var got []int
	var mu sync.Mutex
	mb := mailbox.New(mailbox.Limits{}, 1, func(n int) {
		mu.Lock()
		got = append(got, n)
		mu.Unlock()
	}, nil)
	for i := range 500 {
		if !mb.TryPut(i, 1) {
			t.Fatalf("put %d refused", i)
		}
	}
	waitLen(t, mb)
	mb.Close()
	<-mb.Done()
	mu.Lock()
	defer mu.Unlock()
	for i, n := range got {
		if n != i {
			t.Fatalf("item %d = %d: out of order", i, n)
		}
	}
	if len(got) != 500 {
		t.Fatalf("handled %d, want 500", len(got))
	}
}

// waitLen waits, inside no bubble, until the queue has drained.
func waitLen(t *testing.T, mb *mailbox.Mailbox[int]) {
	t.Helper()
	for {
		if n, _ := mb.Len(); n == 0 {
			return
		}
		<-mb.Space()
	}
}

func TestLimitsRefuseWithoutBlocking(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		mb := mailbox.New(mailbox.Limits{MaxMessages: 3, MaxBytes: 100}, 1, func(int) { <-release }, nil)
		if !mb.TryPut(0, 10) { // taken by the worker at once
			t.Fatal("first put refused")
		}
		synctest.Wait()
		for i := 1; i <= 3; i++ {
			if !mb.TryPut(i, 10) {
				t.Fatalf("put %d refused below the limit", i)
			}
		}
		if mb.TryPut(4, 10) {
			t.Fatal("put accepted beyond MaxMessages")
		}
		close(release)
		mb.Close()
		<-mb.Done()
	})
}

func TestByteLimitAndOversizeItem(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		mb := mailbox.New(mailbox.Limits{MaxMessages: 100, MaxBytes: 100}, 1, func(int) { <-release }, nil)
		mb.TryPut(0, 1)
		synctest.Wait() // worker holds item 0
		if !mb.TryPut(1, 500) {
			t.Fatal("an oversize item must be accepted into an empty queue")
		}
		if mb.TryPut(2, 1) {
			t.Fatal("put accepted beyond MaxBytes")
		}
		if items, bytes := mb.Len(); items != 1 || bytes != 500 {
			t.Fatalf("Len = %d, %d", items, bytes)
		}
		close(release)
		mb.Close()
		<-mb.Done()
	})
}

func TestSpaceSignalsAfterTake(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		step := make(chan struct{})
		mb := mailbox.New(mailbox.Limits{MaxMessages: 1}, 1, func(int) { <-step }, nil)
		mb.TryPut(1, 1)
		synctest.Wait()
		<-mb.Space() // drained by the take of item 1
		mb.TryPut(2, 1)
		if mb.TryPut(3, 1) {
			t.Fatal("full mailbox accepted")
		}
		step <- struct{}{} // finish item 1; worker takes item 2
		<-mb.Space()
		if !mb.TryPut(3, 1) {
			t.Fatal("put refused after space was signalled")
		}
		close(step)
		mb.Close()
		<-mb.Done()
	})
}

func TestCloseDiscardsQueued(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var handled atomic.Int32
		mb := mailbox.New(mailbox.Limits{}, 1, func(int) { handled.Add(1); <-release }, nil)
		for i := range 5 {
			mb.TryPut(i, 1)
		}
		synctest.Wait()
		mb.Close()
		if mb.TryPut(9, 1) {
			t.Fatal("put accepted after Close")
		}
		close(release)
		<-mb.Done()
		if handled.Load() != 1 || mb.Discarded() != 4 {
			t.Fatalf("handled %d, discarded %d", handled.Load(), mb.Discarded())
		}
		mb.Close() // twice is fine
	})
}

func TestPanicIsReportedAndWorkGoesOn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var panics, handled atomic.Int32
		mb := mailbox.New(mailbox.Limits{}, 1, func(n int) {
			if n == 1 {
				panic("bad item")
			}
			handled.Add(1)
		}, func(p *mailbox.PanicError) {
			if p.Value == "bad item" && len(p.Stack) > 0 {
				panics.Add(1)
			}
		})
		for i := range 3 {
			mb.TryPut(i, 1)
		}
		synctest.Wait()
		mb.Close()
		<-mb.Done()
		if panics.Load() != 1 || handled.Load() != 2 {
			t.Fatalf("panics %d handled %d", panics.Load(), handled.Load())
		}
	})
}

func TestWorkersRunConcurrently(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var inFlight, peak atomic.Int32
		release := make(chan struct{})
		mb := mailbox.New(mailbox.Limits{}, 4, func(int) {
			n := inFlight.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			<-release
			inFlight.Add(-1)
		}, nil)
		for i := range 8 {
			mb.TryPut(i, 1)
		}
		synctest.Wait()
		if peak.Load() != 4 {
			t.Fatalf("peak concurrency %d, want 4", peak.Load())
		}
		close(release)
		synctest.Wait()
		mb.Close()
		<-mb.Done()
	})
}

func TestCloseWhenDrainedHandlesEverything(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		release := make(chan struct{})
		var handled atomic.Int32
		mb := mailbox.New(mailbox.Limits{}, 2, func(int) { <-release; handled.Add(1) }, nil)
		for i := range 6 {
			mb.TryPut(i, 1)
		}
		mb.CloseWhenDrained()
		if mb.TryPut(7, 1) {
			t.Fatal("put accepted after CloseWhenDrained")
		}
		close(release)
		<-mb.Done()
		if handled.Load() != 6 || mb.Discarded() != 0 {
			t.Fatalf("handled %d discarded %d", handled.Load(), mb.Discarded())
		}
	})
}
