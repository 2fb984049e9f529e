package client_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/routertest"
	"github.com/wampgo/wampgo/protocol"
)

// joinedStates returns a Reconnect whose state changes land on the
// returned channel.
func watchedReconnect() (client.Reconnect, chan client.StateChange) {
	states := make(chan client.StateChange, 64)
	return client.Reconnect{
		MinDelay: 20 * time.Millisecond, MaxDelay: 200 * time.Millisecond,
		OnStateChange: func(sc client.StateChange) { states <- sc },
	}, states
}

func waitState(t *testing.T, states <-chan client.StateChange, want client.State) client.StateChange {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case sc := <-states:
			if sc.State == want {
				return sc
			}
			if sc.State == client.StateGaveUp {
				t.Fatalf("gave up: %v", sc.Err)
			}
		case <-timeout:
			t.Fatalf("no %v state within 20s", want)
		}
	}
}

// fox-wamp killed and restarted mid-traffic: the client resumes on its own
// and a peer's calls reach the re-registered procedure again.
func TestRealRouterRestartResumes(t *testing.T) {
	r := routertest.Start(t)
	rc, states := watchedReconnect()
	c, err := client.Dial(ctxT(t), r.URL(), interopRealm, client.WithReconnect(rc))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	waitState(t, states, client.StateJoined)
	var served atomic.Int64
	reg, err := c.Register(ctxT(t), "com.wampgo.resume.echo", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		served.Add(1)
		return client.Result{Args: append(protocol.List{"resumed"}, inv.Args...)}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan *client.Event, 16)
	if _, err := c.Subscribe(ctxT(t), "com.wampgo.resume.news", func(_ context.Context, ev *client.Event) { events <- ev }); err != nil {
		t.Fatal(err)
	}
	oldSession, oldReg := c.Session().ID, reg.ID()

	// Traffic: calls to our own procedure until the outage is over. Each
	// either succeeds or fails typed; none hangs.
	stop := make(chan struct{})
	trafficDone := make(chan error, 1)
	var ok, lost atomic.Int64
	go func() {
		for {
			select {
			case <-stop:
				trafficDone <- nil
				return
			default:
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			_, err := c.Call(ctx, "com.wampgo.resume.echo", protocol.List{int64(1)}, nil).Await(ctx)
			cancel()
			var we *client.Error
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, client.ErrSessionLost), errors.As(err, &we) && we.URI == "wamp.error.no_such_procedure":
				lost.Add(1)
			default:
				trafficDone <- fmt.Errorf("untyped failure during outage: %w", err)
				return
			}
		}
	}()
	for ok.Load() < 20 {
		runtime.Gosched()
	}

	r.Kill()
	waitState(t, states, client.StateLeft)
	r.Restart()
	waitState(t, states, client.StateJoined)
	close(stop)
	if err := <-trafficDone; err != nil {
		t.Fatal(err)
	}
	if c.Session().ID == oldSession || reg.ID() == 0 || reg.ID() == oldReg {
		t.Fatalf("session %d→%d, registration %d→%d", oldSession, c.Session().ID, oldReg, reg.ID())
	}
	t.Logf("calls during the test: %d succeeded, %d failed typed", ok.Load(), lost.Load())

	// A peer's call reaches the restored procedure; a peer's event reaches
	// the restored subscription.
	out := routertest.RunNode(t, "autobahn_peer.js", r.URL(), interopRealm, "caller", "com.wampgo.resume.echo", `"js"`, "--no-progress")
	out.RequireExit(t, 0)
	if res := out.OfType(t, "result"); len(res) != 1 || fmt.Sprint(res[0]["args"]) != "[resumed js]" {
		t.Fatalf("peer call after restart: %s", out)
	}
	routertest.RunNode(t, "autobahn_peer.js", r.URL(), interopRealm, "publisher", "com.wampgo.resume.news", "1").RequireExit(t, 0)
	select {
	case ev := <-events:
		if ev.Args[0] != int64(1) {
			t.Fatalf("event %+v", ev)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no event after restart")
	}
}

// heapInUse returns the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// A fast publisher floods a slow subscriber through fox-wamp. Under the
// default Drop policy the heap stays bounded, drops are counted and
// reported, and a call made from the slow handler itself completes.
func TestFloodDropPolicyBoundedAndResponsive(t *testing.T) {
	r := routertest.Start(t)
	pub, sub := dialReal(t, r), dialReal(t, r)
	if _, err := pub.Register(ctxT(t), "com.wampgo.flood.ping", func(context.Context, *client.Invocation) (client.Result, error) {
		return client.Result{Args: protocol.List{"pong"}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	release := make(chan struct{})
	calledBack := make(chan error, 1)
	var handled atomic.Int64
	first := true
	s, err := sub.Subscribe(ctxT(t), "com.wampgo.flood", func(ctx context.Context, ev *client.Event) {
		handled.Add(1)
		if first {
			first = false
			<-release
			_, err := sub.Call(ctx, "com.wampgo.flood.ping", nil, nil).Await(ctx)
			calledBack <- err
		}
	}, client.MailboxLimits(client.Limits{MaxMessages: 64, MaxBytes: 1 << 20}))
	if err != nil {
		t.Fatal(err)
	}
	before := heapInUse()
	payload := protocol.List{strings.Repeat("x", 1024)}
	const flood = 3000
	for i := range flood {
		ack := i%100 == 99 // pace the publisher on the router now and then
		var opts []client.PublishOption
		if ack {
			opts = append(opts, client.Acknowledge())
		}
		if _, err := pub.Publish(ctxT(t), "com.wampgo.flood", payload, nil, opts...); err != nil {
			t.Fatal(err)
		}
	}
	// Everything published before this acknowledged one reached the
	// subscriber's session (fox-wamp sends EVENTs before PUBLISHED) once a
	// call through the subscriber's session has round-tripped.
	if _, err := pub.Publish(ctxT(t), "com.wampgo.flood", nil, nil, client.Acknowledge()); err != nil {
		t.Fatal(err)
	}
	if _, err := sub.Call(ctxT(t), "com.wampgo.flood.ping", nil, nil).Await(ctxT(t)); err != nil {
		t.Fatalf("session not responsive under flood: %v", err)
	}
	peak := heapInUse()
	close(release)
	if err := <-calledBack; err != nil {
		t.Fatalf("call from the slow handler: %v", err)
	}
	const bound = 16 << 20
	if grow := int64(peak) - int64(before); grow > bound {
		t.Fatalf("heap grew by %d bytes under flood, bound %d", grow, bound)
	}
	if s.Dropped() == 0 || s.Dropped() > flood {
		t.Fatalf("Dropped = %d", s.Dropped())
	}
	t.Logf("flood of %d: %d dropped and reported; heap grew %d KiB (bound %d KiB)", flood+1, s.Dropped(), (int64(peak)-int64(before))/1024, bound/1024)
}

// Under the Block policy nothing is dropped: the reader slows down and the
// router holds the rest.
func TestFloodBlockPolicyDeliversEverything(t *testing.T) {
	r := routertest.Start(t)
	pub, sub := dialReal(t, r), dialReal(t, r)
	const flood = 2000
	got := make(chan int64, flood)
	var slow atomic.Bool
	slow.Store(true)
	s, err := sub.Subscribe(ctxT(t), "com.wampgo.block", func(_ context.Context, ev *client.Event) {
		if slow.Load() {
			time.Sleep(100 * time.Microsecond) // a slow consumer
		}
		got <- ev.Args[0].(int64)
	}, client.MailboxLimits(client.Limits{MaxMessages: 16}), client.OnOverflow(client.Block))
	if err != nil {
		t.Fatal(err)
	}
	for i := range flood {
		if _, err := pub.Publish(ctxT(t), "com.wampgo.block", protocol.List{int64(i), "x"}, nil); err != nil {
			t.Fatal(err)
		}
	}
	for i := range int64(flood) {
		select {
		case v := <-got:
			if v != i {
				t.Fatalf("event %d arrived as %d", v, i)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("only %d of %d events delivered", i, flood)
		}
	}
	if s.Dropped() != 0 {
		t.Fatalf("Dropped = %d under Block", s.Dropped())
	}
}

// A payload the serializer cannot carry (in JSON, text of NUL and base64:
// it would read back as binary) fails that one operation with the codec's
// error; the session goes on.
func TestUnencodablePayloadFailsOnlyTheOperation(t *testing.T) {
	r := routertest.Start(t)
	c := dialReal(t, r)
	_, err := c.Publish(ctxT(t), "com.wampgo.bad", protocol.List{"\x00AAEC"}, nil)
	var ee *codec.EncodeError
	if !errors.As(err, &ee) || errors.Is(err, client.ErrClosed) {
		t.Fatalf("Publish = %v", err)
	}
	// A Go value without a payload form fails before the codec sees it.
	if _, err := c.Call(ctxT(t), "com.wampgo.bad", protocol.List{make(chan int)}, nil).Await(ctxT(t)); !errors.Is(err, codec.ErrUnsupportedValue) {
		t.Fatalf("Call = %v", err)
	}
	if _, err := c.Call(ctxT(t), "wamp.session.count", nil, nil).Await(ctxT(t)); err != nil {
		t.Fatalf("session broken: %v", err)
	}
}
