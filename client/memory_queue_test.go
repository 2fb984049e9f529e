package client_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/internal/transport/memconn"
	"github.com/wampgo/wampgo/protocol"
)

// A subscription's mailbox is charged what its events hold: details count
// (40 EVENTs with 512 KiB of details, for a 1 MiB mailbox, were all
// queued: +20 MiB), and so do small values at what they cost (40 EVENTs of
// 4,000 one-entry dicts, 28 KiB of JSON each, for an 8 MiB mailbox, were
// all queued: +58 MiB).
func TestMemoryMailboxChargesWhatEventsHold(t *testing.T) {
	junk := strings.Repeat("x", 512<<10)
	dicts := make(protocol.List, 4000)
	for i := range dicts {
		dicts[i] = protocol.Dict{"": int64(0)}
	}
	for _, tc := range []struct {
		name     string
		n        int
		maxBytes int
		event    func(pub protocol.ID) *protocol.Event
		bound    int64
	}{
		{"details", 40, 1 << 20, func(pub protocol.ID) *protocol.Event {
			return &protocol.Event{Subscription: 1, Publication: pub, Details: protocol.Dict{"junk": junk}}
		}, 8 << 20},
		{"small dicts", 40, 8 << 20, func(pub protocol.ID) *protocol.Event {
			return &protocol.Event{Subscription: 1, Publication: pub, Details: protocol.Dict{}, Payload: protocol.Payload{Args: dicts}}
		}, 20 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, j := clienttest.JoinedWith(t, wire) // JSON on the wire: each event decoded anew
				defer j.Stop()
				r := j.Router
				release := make(chan struct{})
				clienttest.Subscribe(t, c, r, "com.flood", 1, func(ctx context.Context, _ *client.Event) {
					select {
					case <-release:
					case <-ctx.Done():
					}
				}, client.MailboxLimits(client.Limits{MaxBytes: tc.maxBytes}))
				before := liveHeap()
				for i := range tc.n {
					r.Send(tc.event(protocol.ID(i + 1)))
				}
				synctest.Wait()
				held := int64(liveHeap()) - int64(before)
				t.Logf("%d events for a %d-byte mailbox: live heap %+d bytes", tc.n, tc.maxBytes, held)
				if held > tc.bound {
					t.Errorf("live heap grew by %d bytes, want at most %d", held, tc.bound)
				}
				close(release)
			})
		})
	}
}

// A call's progress queue is charged what its results hold, details
// included: with a 1 MiB queue, progressive results carrying 512 KiB of
// details each stop the session's reading after a few (all 100 were taken
// before).
func TestMemoryProgressQueueChargesDetails(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		call := c.Call(ctx, "com.stream", nil, nil, client.ReceiveProgress(), client.ProgressBuffer(0),
			client.ProgressQueueLimits(client.Limits{MaxBytes: 1 << 20}), client.WithCancelMode(client.CancelKillNoWait))
		req := scripted.Expect[*protocol.Call](r).Request
		junk := strings.Repeat("x", 512<<10)
		const n = 100
		var sent atomic.Int64
		go func() {
			for range n {
				msg := &protocol.Result{Request: req, Details: protocol.Dict{"progress": true, "junk": junk}}
				if r.Transport().Send(context.Background(), msg) != nil {
					return
				}
				sent.Add(1)
			}
		}()
		synctest.Wait()
		// The pipe holds memconn.QueueSize messages the client has not read.
		taken := sent.Load() - memconn.QueueSize
		t.Logf("the client took %d of %d results of 512 KiB for a 1 MiB queue", taken, n)
		if taken > 8 {
			t.Errorf("the client took %d results of 512 KiB into a 1 MiB queue, want at most 8", taken)
		}
		cancel() // abandons the queue; the rest are answers to a call completed locally
		synctest.Wait()
		go func() {
			for range r.Transport().Receive() { // the CANCEL
			}
		}()
		synctest.Wait()
		if got := sent.Load(); got != n {
			t.Errorf("after the cancel the client read %d of %d results", got, n)
		}
		if _, err := call.Await(context.Background()); err == nil {
			t.Error("the canceled call succeeded")
		}
	})
}
