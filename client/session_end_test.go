package client_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/transport/memconn"
	"github.com/wampgo/wampgo/protocol"
)

// closedBy reports whether err is the typed end of a session that ended
// on a protocol violation.
func closedBy(err error) bool {
	return errors.Is(err, client.ErrClosed) && errors.Is(err, client.ErrProtocolViolation)
}

// TestEveryCommandCompletesWhenTheSessionEnds is the regression test of
// calls lost at the end of a session: the router sends a frame the client
// cannot decode, the client answers ABORT and ends the session, and the
// router has stopped reading, so neither the calls queued for it nor the
// ABORT can be written. Every call made before, during and after the end
// completes with ErrClosed wrapping the violation, as does every other
// command.
func TestEveryCommandCompletesWhenTheSessionEnds(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, j := clienttest.JoinedWith(t, clienttest.Setup{Codec: codec.JSON()})
		rt := j.Raw
		bg := context.Background()

		// Before: more calls than the connection buffers; the router
		// reads none of them.
		var calls []*client.Call
		for range 2 * memconn.QueueSize {
			calls = append(calls, c.Call(bg, "com.p", protocol.List{"x"}, nil))
		}

		// During: goroutines making every kind of request while the
		// session ends.
		var wg sync.WaitGroup
		var mu sync.Mutex
		var errs []error
		record := func(err error) {
			mu.Lock()
			errs = append(errs, err)
			mu.Unlock()
		}
		for range 8 {
			wg.Go(func() {
				for {
					_, err := c.Call(bg, "com.p", nil, nil).Await(bg)
					record(err)
					_, perr := c.Publish(bg, "com.t", protocol.List{1}, nil)
					if perr != nil {
						record(perr)
					}
					if closedBy(err) && closedBy(perr) {
						return
					}
				}
			})
		}
		wg.Go(func() {
			_, err := c.Subscribe(bg, "com.t", func(context.Context, *client.Event) {})
			record(err)
		})
		wg.Go(func() {
			_, err := c.Register(bg, "com.r", func(context.Context, *client.Invocation) (client.Result, error) {
				return client.Result{}, nil
			})
			record(err)
		})

		if err := rt.SendRaw(bg, []byte(`[36, "not an event"`)); err != nil {
			t.Fatal(err)
		}
		// After: one call every 40 ms, through the end and the flush
		// timeout of the ABORT that cannot be written.
		for range 80 {
			calls = append(calls, c.Call(bg, "com.p", protocol.List{"late"}, nil))
			time.Sleep(40 * time.Millisecond)
		}
		wg.Wait()

		for i, call := range calls {
			res, err := call.Await(bg) // a call never completed deadlocks the bubble
			if !closedBy(err) || !closedBy(res.Err) {
				t.Fatalf("call %d: %v", i, err)
			}
			n := 0
			for range call.Results() {
				n++
			}
			if n != 1 {
				t.Fatalf("call %d: %d results, want the final one", i, n)
			}
		}
		for i, err := range errs {
			if !closedBy(err) {
				t.Fatalf("request %d made while the session ended: %v", i, err)
			}
		}

		// Every command kind after the end fails at once, typed.
		_, err := c.Publish(bg, "com.t", nil, nil)
		check(t, "Publish", err)
		_, err = c.Publish(bg, "com.t", nil, nil, client.Acknowledge())
		check(t, "Publish acknowledged", err)
		_, err = c.Subscribe(bg, "com.t", func(context.Context, *client.Event) {})
		check(t, "Subscribe", err)
		check(t, "Unsubscribe", c.Unsubscribe(bg, "com.t"))
		_, err = c.Register(bg, "com.r", func(context.Context, *client.Invocation) (client.Result, error) {
			return client.Result{}, nil
		})
		check(t, "Register", err)
		check(t, "Unregister", c.Unregister(bg, "com.r"))
		check(t, "SendInput", calls[0].SendInput(bg, nil, nil))
		check(t, "FinishInput", calls[0].FinishInput(bg, nil, nil))
		if err := c.Close(bg); !errors.Is(err, client.ErrProtocolViolation) {
			t.Fatalf("Close = %v", err)
		}
		if err := c.Wait(bg); !errors.Is(err, client.ErrProtocolViolation) {
			t.Fatalf("Wait = %v", err)
		}
		rt.Close()
	})
}

func check(t *testing.T, what string, err error) {
	t.Helper()
	if !closedBy(err) {
		t.Fatalf("%s after the end: %v", what, err)
	}
}
