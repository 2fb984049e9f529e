package client_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// By default no progressive result is dropped: a reader that falls behind
// gets every one, in order, then the final result.
func TestProgressNeverDroppedByDefault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, j := clienttest.JoinedWith(t, clienttest.Setup{Codec: codec.JSON()})
		r, rt := j.Router, j.Raw
		const n = 2000
		call := c.Call(context.Background(), "stream", nil, nil, client.ReceiveProgress(), client.ProgressBuffer(4))
		m := scripted.Expect[*protocol.Call](r)
		for i := range n {
			r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{"progress": true}, Payload: protocol.Payload{Args: protocol.List{int64(i)}}})
		}
		r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"final"}}})
		if res, err := call.Await(context.Background()); err != nil || res.Args[0] != "final" {
			t.Fatalf("Await = %v, %v", res, err)
		}
		i := 0
		for res := range call.Results() {
			if i < n {
				if !res.Progress || res.Args[0] != int64(i) {
					t.Fatalf("result %d: %+v", i, res)
				}
			} else if res.Progress || res.Args[0] != "final" {
				t.Fatalf("final: %+v", res)
			}
			i++
		}
		if i != n+1 || call.Dropped() != 0 {
			t.Fatalf("%d results, %d dropped", i, call.Dropped())
		}
		rt.Close()
		c.Close(context.Background())
	})
}

// A call whose results wait unread when the session ends still completes,
// and its Results channel is closed.
func TestQueuedProgressAtSessionEnd(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, j := clienttest.JoinedWith(t, clienttest.Setup{Codec: codec.JSON()})
		r, rt := j.Router, j.Raw
		call := c.Call(context.Background(), "stream", nil, nil, client.ReceiveProgress(), client.ProgressBuffer(1))
		m := scripted.Expect[*protocol.Call](r)
		for i := range 10 {
			r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{"progress": true}, Payload: protocol.Payload{Args: protocol.List{int64(i)}}})
		}
		synctest.Wait()
		rt.Close()
		if _, err := call.Await(context.Background()); !errors.Is(err, client.ErrClosed) {
			t.Fatalf("Await = %v", err)
		}
		c.Wait(context.Background())
		n := 0
		for range call.Results() {
			n++
		}
		if n == 0 || n > 2 {
			t.Fatalf("%d results after the end", n)
		}
	})
}

// progress is a progressive RESULT of request req carrying arg.
func progress(req protocol.ID, arg any) *protocol.Result {
	return &protocol.Result{Request: req, Details: protocol.Dict{"progress": true}, Payload: protocol.Payload{Args: protocol.List{arg}}}
}

// done reports whether call has its final result, once every goroutine of
// the bubble is blocked.
func done(call *client.Call) bool {
	synctest.Wait()
	select {
	case <-call.Done():
		return true
	default:
		return false
	}
}

// Under Block, results the reader does not take fill the call's queue up
// to its byte bound while the session goes on serving other calls; the one
// past the bound stops the session's reading (backpressure: another call's
// result waits behind it) but not its sending; once the reader catches up,
// every result arrives, in order, and nothing was dropped.
func TestProgressQueueFillsToItsByteBound(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, j := clienttest.JoinedWith(t, clienttest.Setup{Codec: codec.JSON()})
		r := j.Router
		ctx := context.Background()
		// Each result counts its 1000-odd-byte string plus about 750
		// bytes (its details dict, its list, the item that carries it):
		// ten fit under the bound, not eleven.
		const buffer, queued = 2, 10
		chunk := strings.Repeat("p", 1000)
		stream := c.Call(ctx, "com.stream", nil, nil, client.ReceiveProgress(), client.ProgressBuffer(buffer),
			client.ProgressQueueLimits(client.Limits{MaxBytes: queued * 1800}))
		m := scripted.Expect[*protocol.Call](r)

		// Accepted without waiting: ten, the one Results holds included
		// (the byte bound covers the whole window; ProgressBuffer counts
		// results, and two are far within it).
		const accepted = queued
		for i := range accepted {
			r.Send(progress(m.Request, fmt.Sprintf("%d:%s", i, chunk)))
			if i == accepted/2 {
				// Meanwhile, other calls are served.
				other := c.Call(ctx, "com.other", nil, nil)
				o := scripted.Expect[*protocol.Call](r)
				r.Send(&protocol.Result{Request: o.Request, Details: protocol.Dict{}})
				if !done(other) {
					t.Fatalf("another call waits while the queue fills (%d results in)", i+1)
				}
			}
		}
		other := c.Call(ctx, "com.other", nil, nil)
		o := scripted.Expect[*protocol.Call](r)
		r.Send(&protocol.Result{Request: o.Request, Details: protocol.Dict{}})
		if !done(other) {
			t.Fatal("the session stopped reading before the queue was full")
		}

		// One more: the queue is at its bound, the session stops reading.
		r.Send(progress(m.Request, fmt.Sprintf("%d:%s", accepted, chunk)))
		blocked := c.Call(ctx, "com.other", nil, nil)
		b := scripted.Expect[*protocol.Call](r) // requests still go out
		r.Send(&protocol.Result{Request: b.Request, Details: protocol.Dict{}})
		if done(blocked) {
			t.Fatal("a result was read past the queue's bound")
		}
		if _, err := c.Publish(ctx, "com.t", nil, nil); err != nil {
			t.Fatal(err)
		}
		scripted.Expect[*protocol.Publish](r)
		r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"final"}}})

		// The reader catches up: everything, in order, then the final one.
		i := 0
		for res := range stream.Results() {
			if i <= accepted {
				if want := fmt.Sprintf("%d:%s", i, chunk); !res.Progress || res.Args[0] != want {
					t.Fatalf("result %d: %.20v", i, res.Args)
				}
			} else if res.Progress || res.Args[0] != "final" {
				t.Fatalf("final: %+v", res)
			}
			i++
		}
		if i != accepted+2 || stream.Dropped() != 0 {
			t.Fatalf("%d results, %d dropped", i, stream.Dropped())
		}
		if !done(blocked) {
			t.Fatal("the session did not read again")
		}
		j.Raw.Close()
		c.Close(ctx)
	})
}

// Under Drop, the results that find Results full are dropped, counted by
// Dropped and reported to the error handler, one report each; the session
// never waits, and the final result still arrives, after the ones kept.
func TestProgressDroppedWhenResultsFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		errs := make(chan error, 16)
		c, j := clienttest.JoinedWith(t, clienttest.Setup{Codec: codec.JSON()}, client.WithErrorHandler(func(err error) { errs <- err }))
		r := j.Router
		ctx := context.Background()
		const buffer, sent = 3, 10
		stream := c.Call(ctx, "com.stream", nil, nil, client.ReceiveProgress(), client.ProgressBuffer(buffer),
			client.OnProgressOverflow(client.Drop))
		m := scripted.Expect[*protocol.Call](r)
		for i := range sent {
			r.Send(progress(m.Request, int64(i)))
		}
		other := c.Call(ctx, "com.other", nil, nil)
		o := scripted.Expect[*protocol.Call](r)
		r.Send(&protocol.Result{Request: o.Request, Details: protocol.Dict{}})
		if !done(other) {
			t.Fatal("the session waits for the slow reader")
		}
		if got := stream.Dropped(); got != sent-buffer {
			t.Fatalf("Dropped = %d, want %d", got, sent-buffer)
		}
		for n := uint64(1); n <= sent-buffer; n++ {
			err := <-errs
			if want := fmt.Sprintf(`progressive result of "com.stream" dropped (%d so far)`, n); !strings.Contains(err.Error(), want) {
				t.Fatalf("report %d: %v", n, err)
			}
		}
		r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"final"}}})
		var got []any
		for res := range stream.Results() {
			got = append(got, res.Args[0])
		}
		scripted.Equal(t, "results read", got, []any{int64(0), int64(1), int64(2), "final"})
		if len(errs) != 0 {
			t.Fatalf("%d more reports", len(errs))
		}
		j.Raw.Close()
		c.Close(ctx)
	})
}

// A call canceled in kill mode while its unread progressive results have
// stopped the session's reading (Block) gives them up at once: the session
// reads on, so the router's answer to the CANCEL gets through and
// completes the call without waiting, and other calls are served.
func TestKillCancelReleasesParkedProgress(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, j := clienttest.JoinedWith(t, clienttest.Setup{Codec: codec.JSON()})
		r := j.Router
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		chunk := strings.Repeat("p", 1000)
		stream := c.Call(ctx, "com.stream", nil, nil, client.ReceiveProgress(), client.ProgressBuffer(2),
			client.ProgressQueueLimits(client.Limits{MaxBytes: 4 * 1800}))
		m := scripted.Expect[*protocol.Call](r)
		for i := range 20 { // far past the queue: the session parks one and stops reading
			r.Send(progress(m.Request, fmt.Sprintf("%d:%s", i, chunk)))
		}
		synctest.Wait()
		start := time.Now()
		cancel()
		if cm := scripted.Expect[*protocol.Cancel](r); cm.Options["mode"] != "kill" {
			t.Fatalf("CANCEL = %+v", cm)
		}
		r.Send(&protocol.Error{RequestType: protocol.TypeCall, Request: m.Request, Details: protocol.Dict{}, Error: "wamp.error.canceled"})
		if _, err := stream.Await(context.Background()); !errors.Is(err, client.ErrCanceled) {
			t.Fatalf("err = %v", err)
		}
		if d := time.Since(start); d != 0 {
			t.Fatalf("the canceled call completed after %v, want at once", d)
		}
		other := c.Call(context.Background(), "com.other", nil, nil)
		o := scripted.Expect[*protocol.Call](r)
		r.Send(&protocol.Result{Request: o.Request, Details: protocol.Dict{}})
		if _, err := other.Await(context.Background()); err != nil {
			t.Fatal(err)
		}
		j.Raw.Close()
		c.Close(context.Background())
	})
}
