package client_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"go.uber.org/goleak"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// 200 progressive calls whose results wait unread in their queues (their
// Results channels full), then canceled by their contexts: each call's
// queued results and its feeder goroutine are released at once, while the
// client lives on, and each call's final result is still the last value
// on Results. Before, every call kept a goroutine and its results until
// the client ended.
func TestMemoryAbandonedProgressiveCallsReleased(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, j := clienttest.JoinedWith(t, wire)
		defer j.Stop()
		r := j.Router
		const calls, results = 200, 8
		chunk := strings.Repeat("x", 16<<10)
		ignore := goleak.IgnoreCurrent()
		before := liveHeap()
		cancels := make([]context.CancelFunc, calls)
		futures := make([]*client.Call, calls)
		for i := range calls {
			ctx, cancel := context.WithCancel(context.Background())
			cancels[i] = cancel
			futures[i] = c.Call(ctx, "com.stream", nil, nil, client.ReceiveProgress(), client.ProgressBuffer(1),
				client.WithCancelMode(client.CancelKillNoWait))
			req := scripted.Expect[*protocol.Call](r).Request
			for range results {
				r.Send(&protocol.Result{Request: req, Details: protocol.Dict{"progress": true},
					Payload: protocol.Payload{Args: protocol.List{chunk}}})
			}
		}
		synctest.Wait()
		held := int64(liveHeap()) - int64(before)
		for _, cancel := range cancels {
			cancel()
		}
		synctest.Wait()
		go func() { // CANCELs
			for range r.Transport().Receive() {
			}
		}()
		synctest.Wait()
		time.Sleep(3 * time.Second) // fake time: the connection's writer exits once idle (within 2s)
		synctest.Wait()
		goleak.VerifyNone(t, ignore, goleak.IgnoreAnyFunction("github.com/wampgo/wampgo/client_test.TestMemoryAbandonedProgressiveCallsReleased.func1.1"))
		left := int64(liveHeap()) - int64(before) // the futures are still referenced
		t.Logf("live heap: %+d bytes with results queued, %+d after the calls were canceled", held, left)
		if left > 4<<20 {
			t.Errorf("live heap grew by %d bytes after %d abandoned progressive calls, want < 4 MiB", left, calls)
		}
		for i, f := range futures {
			var last client.Result
			for res := range f.Results() {
				last = res
			}
			if !errors.Is(last.Err, client.ErrCanceled) {
				t.Fatalf("call %d: last value on Results %+v, want the final result, canceled", i, last)
			}
		}
	})
}
