//go:build soak

package soak_test

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/routertest"
	"github.com/wampgo/wampgo/protocol"
)

const (
	events    = 10_000
	heapBound = 64 << 20 // bytes of live heap growth allowed during the run
)

// TestSoak publishes 10,000 acknowledged events through fox-wamp to a slow
// subscriber. Every acknowledged event must be delivered exactly once or
// reported dropped; the heap must stay within heapBound; the goroutine
// count must return to where it started.
func TestSoak(t *testing.T) {
	r := routertest.Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	goroutinesBefore := runtime.NumGoroutine()
	heapBefore := liveHeap()

	var mu sync.Mutex
	delivered := map[int64]int{}
	reported := map[protocol.ID]bool{}
	sub, err := client.Dial(ctx, r.URL(), "soak", client.WithErrorHandler(func(err error) {
		var sc *client.SlowConsumerError
		if errors.As(err, &sc) {
			mu.Lock()
			reported[sc.Publication] = true
			mu.Unlock()
		}
	}))
	if err != nil {
		t.Fatal(err)
	}
	pub, err := client.Dial(ctx, r.URL(), "soak")
	if err != nil {
		t.Fatal(err)
	}
	pubIDs := map[protocol.ID]int64{} // publication id → sequence number
	s, err := sub.Subscribe(ctx, "soak.events", func(_ context.Context, ev *client.Event) {
		time.Sleep(200 * time.Microsecond) // a slow consumer
		mu.Lock()
		delivered[ev.Args[0].(int64)]++
		mu.Unlock()
	}, client.MailboxLimits(client.Limits{MaxMessages: 256}))
	if err != nil {
		t.Fatal(err)
	}

	var peak uint64
	start := time.Now()
	for i := range int64(events) {
		id, err := pub.Publish(ctx, "soak.events", protocol.List{i, "payload of a soak event"}, nil, client.Acknowledge())
		if err != nil {
			t.Fatalf("publish %d: %v", i, err)
		}
		pubIDs[id] = i
		if i%500 == 0 {
			peak = max(peak, liveHeap())
		}
	}
	publishTime := time.Since(start)
	// Let the subscriber drain: its mailbox holds at most 256.
	if _, err := sub.Call(ctx, "wamp.session.count", nil, nil).Await(ctx); err != nil {
		t.Fatal(err)
	}
	for {
		items, _ := mailboxLen(s)
		if items == 0 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond) // the last handler call in progress

	mu.Lock()
	var once, twice, dropped, lost int
	for id, seq := range pubIDs {
		switch n := delivered[seq]; {
		case n == 1:
			once++
		case n > 1:
			twice++
		case reported[id]:
			dropped++
		default:
			lost++
		}
	}
	mu.Unlock()
	t.Logf("%d events published in %v: %d delivered once, %d dropped and reported, %d duplicated, %d lost",
		events, publishTime.Round(time.Millisecond), once, dropped, twice, lost)
	if twice != 0 || lost != 0 || once+dropped != events || uint64(dropped) != s.Dropped() {
		t.Fatalf("delivery accounting broken (Dropped()=%d)", s.Dropped())
	}
	growth := int64(peak) - int64(heapBefore)
	t.Logf("live heap: %d KiB before, peak %d KiB (growth %d KiB, bound %d KiB)", heapBefore/1024, peak/1024, growth/1024, heapBound/1024)
	if growth > heapBound {
		t.Fatalf("heap grew %d bytes, bound %d", growth, heapBound)
	}

	pub.Close(ctx)
	sub.Close(ctx)
	r.Stop()
	deadline := time.Now().Add(10 * time.Second)
	for runtime.NumGoroutine() > goroutinesBefore && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutinesBefore {
		t.Fatalf("goroutines: %d before, %d after", goroutinesBefore, n)
	}
	t.Logf("goroutines: %d before, %d after", goroutinesBefore, runtime.NumGoroutine())
}

func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// mailboxLen reports how many events wait in the subscription's mailbox,
// as far as the public API shows: none once Dropped and deliveries stop
// changing.
func mailboxLen(s *client.Subscription) (int, bool) {
	return s.Pending(), true
}
