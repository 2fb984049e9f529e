package mailbox_test

import (
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/wampgo/wampgo/mailbox"
)

// An idle mailbox holds no goroutine: workers start with work and exit
// when the queue is empty.
func TestIdleMailboxHoldsNoGoroutine(t *testing.T) {
	var group sync.WaitGroup
	// Workers of earlier tests may still be on their way out (a worker
	// closes Done before its goroutine has quite exited).
	for i := 0; i < 1000 && workers() > 0; i++ {
		runtime.Gosched()
	}
	const base = 0
	release := make(chan struct{})
	handled := make(chan int, 100)
	var boxes []*mailbox.Mailbox[int]
	for range 100 {
		boxes = append(boxes, mailbox.NewTracked(&group, mailbox.Limits{}, 4, func(n int) {
			<-release
			handled <- n
		}, nil))
	}
	if n := workers(); n != base {
		t.Fatalf("%d worker goroutines after creating 100 mailboxes, want %d", n, base)
	}
	for i := range 3 {
		if !boxes[0].TryPut(i, 1) {
			t.Fatal("TryPut refused")
		}
	}
	if n := workers(); n != base+3 {
		t.Fatalf("%d worker goroutines with 3 items in a 4-worker mailbox, want %d", n, base+3)
	}
	close(release)
	for range 3 {
		<-handled
	}
	group.Wait() // every worker exited once the queue was empty
	for _, b := range boxes {
		b.Close()
		<-b.Done()
	}
}

// Items put after the workers went idle are handled, in order, by a new
// worker.
func TestWorkerRestartsAfterIdle(t *testing.T) {
	got := make(chan int, 10)
	m := mailbox.New(mailbox.Limits{}, 1, func(n int) { got <- n }, nil)
	for round := range 3 {
		for i := range 3 {
			m.TryPut(round*3+i, 1)
		}
		for i := range 3 {
			if n := <-got; n != round*3+i {
				t.Fatalf("got %d, want %d", n, round*3+i)
			}
		}
	}
	m.CloseWhenDrained()
	<-m.Done()
}

// workers counts the goroutines running a mailbox's worker or feeder.
func workers() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		// Started by package mailbox, whether or not it runs yet.
		if strings.Contains(g, "created by github.com/wampgo/wampgo/mailbox.") {
			n++
		}
	}
	return n
}
