package client_test

import (
	"bytes"
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

// Results is bounded in bytes, not only in number: a flood of large
// progressive results to a caller that does not read, under the default
// ProgressBuffer (256) and Drop, holds about ProgressQueueLimits' bytes
// (4 MiB here), the result Results holds included, and drops the rest.
// Before, Results alone held 256 results of any size: all 64 here, 16 MiB.
func TestMemoryResultsBoundedInBytes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, j := clienttest.JoinedWith(t, wire)
		defer j.Stop()
		r := j.Router
		const flood, size, bound = 64, 256 << 10, 4 << 20
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		before := liveHeap()
		call := c.Call(ctx, "com.stream", nil, nil, client.ReceiveProgress(), client.OnProgressOverflow(client.Drop),
			client.ProgressQueueLimits(client.Limits{MaxBytes: bound}), client.WithCancelMode(client.CancelKillNoWait))
		req := scripted.Expect[*protocol.Call](r).Request
		for i := range flood {
			chunk := bytes.Repeat([]byte{byte(i)}, size)
			r.Send(&protocol.Result{Request: req, Details: protocol.Dict{"progress": true},
				Payload: protocol.Payload{Args: protocol.List{chunk}}})
		}
		synctest.Wait()
		held := int64(liveHeap()) - int64(before)
		kept := flood - int64(call.Dropped())
		t.Logf("live heap: %+d bytes for %d results of %d KiB kept, %d dropped", held, kept, size>>10, call.Dropped())
		if kept*size > bound || kept < bound/size-2 {
			t.Errorf("%d results of %d KiB kept, want about %d (the byte bound)", kept, size>>10, bound/size)
		}
		if held > bound+2<<20 {
			t.Errorf("live heap grew by %d bytes, want about the bound, %d", held, bound)
		}
		r.Send(&protocol.Result{Request: req, Details: protocol.Dict{}})
		n := 0
		for res := range call.Results() {
			if res.Progress {
				if b := res.Args[0].([]byte); len(b) != size || b[0] != byte(n) {
					t.Fatalf("result %d: %d bytes of %d, want the %dth", n, len(b), b[0], n)
				}
				n++
			}
		}
		if int64(n) != kept {
			t.Fatalf("read %d progressive results, %d were kept", n, kept)
		}
	})
}
