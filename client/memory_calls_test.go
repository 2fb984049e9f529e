package client_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/protocol"
)

// liveHeap returns the bytes of live heap objects after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// A router that never answers: 20,000 calls canceled locally (half by
// their context with CancelKillNoWait, half by their timeout) leave at
// most small tombstones behind, not the calls (each with room for
// DefaultProgressBuffer results: ~19 KiB, 370 MiB in all, before); and
// the router's late answer to one is still discarded without ending the
// session.
func TestMemoryCanceledCallsReleased(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, j := clienttest.JoinedWith(t, wire)
		defer j.Stop()
		r := j.Router
		go func() { // reads everything, answers nothing
			for range r.Transport().Receive() {
			}
		}()
		before := liveHeap()
		const n = 20000
		calls := make([]*client.Call, 0, n)
		var cancels []context.CancelFunc
		for i := range n {
			if i%2 == 0 {
				ctx, cancel := context.WithCancel(context.Background())
				mode := client.CancelKillNoWait
				if i%4 == 2 {
					mode = client.CancelKill // the default: waits for the router, then gives up
				}
				calls = append(calls, c.Call(ctx, "com.never", protocol.List{i}, nil, client.ReceiveProgress(), client.WithCancelMode(mode)))
				cancels = append(cancels, cancel)
			} else {
				calls = append(calls, c.Call(context.Background(), "com.never", protocol.List{i}, nil, client.ReceiveProgress(),
					client.Timeout(time.Second+time.Duration(i)*time.Millisecond))) // one at a time
			}
		}
		synctest.Wait() // every CALL sent
		for i, cancel := range cancels {
			cancel()
			if i%100 == 99 {
				// A few goroutines at a time (the runtime keeps each one's
				// descriptor), now and when the kill-mode cancels give up
				// waiting for the router: a millisecond apart, their
				// timers do not all fire at once.
				time.Sleep(time.Millisecond)
			}
		}
		time.Sleep(time.Minute)
		synctest.Wait()
		for i, call := range calls {
			_, err := call.Await(context.Background())
			if !errors.Is(err, client.ErrCanceled) && !errors.Is(err, client.ErrTimeout) {
				t.Fatalf("call %d = %v, want canceled or timed out", i, err)
			}
		}
		calls, cancels = nil, nil // the test's own: only what the client keeps counts
		after := liveHeap()
		grown := int64(after) - int64(before)
		t.Logf("live heap after %d canceled calls: %+d bytes (%d per call)", n, grown, grown/n)
		if grown > 4<<20 {
			t.Errorf("live heap grew by %d bytes after %d canceled calls, want < 4 MiB", grown, n)
		}
		// The router's late answers (request ids 1 to n, in order) are
		// discarded: the first one's tombstone was evicted, the last one's
		// is kept. An answer to an id never used still ends the session.
		r.Send(&protocol.Result{Request: 1, Details: protocol.Dict{}})
		r.Send(&protocol.Error{RequestType: protocol.TypeCall, Request: n, Details: protocol.Dict{}, Error: "wamp.error.canceled"})
		synctest.Wait()
		select {
		case <-c.Done():
			t.Fatalf("the session ended on a late answer: %v", c.Err())
		default:
		}
		r.Send(&protocol.Result{Request: n + 1, Details: protocol.Dict{}})
		synctest.Wait()
		select {
		case <-c.Done():
		default:
			t.Fatal("the session went on after a RESULT for a request id never used")
		}
	})
}
