package client_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// refuseCall answers m with the dealer's ERROR uri.
func refuseCall(r *scripted.Router, m *protocol.Call, uri string) {
	r.Send(&protocol.Error{RequestType: protocol.TypeCall, Request: m.Request, Details: protocol.Dict{}, Error: uri})
}

func TestWaitForCalleeRetriesUntilACalleeAnswers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		call := c.Call(ctxT(t), "svc", protocol.List{"x"}, nil, client.WaitForCallee())
		m := scripted.Expect[*protocol.Call](r)
		seen := map[protocol.ID]bool{m.Request: true}
		refusals := []string{"wamp.error.no_such_procedure", "wamp.error.no_available_callee", "wamp.error.no_such_procedure"}
		for i, uri := range refusals {
			refuseCall(r, m, uri)
			at := time.Now()
			m = scripted.Expect[*protocol.Call](r)
			waited := time.Since(at)
			low, high := 25*time.Millisecond<<i, 50*time.Millisecond<<i
			if waited < low || waited > high {
				t.Fatalf("retry %d after %v, want within [%v, %v]", i+1, waited, low, high)
			}
			if seen[m.Request] || m.Procedure != "svc" || m.Args[0] != "x" {
				t.Fatalf("retry %d: CALL %+v (request ids so far %v)", i+1, m, seen)
			}
			seen[m.Request] = true
			select {
			case <-call.Done():
				t.Fatalf("call completed after %s: %v", uri, call.Done())
			default:
			}
		}
		r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"ok"}}})
		res, err := await(t, call)
		if err != nil || res.Args[0] != "ok" {
			t.Fatalf("result %+v, %v", res, err)
		}
		if st := c.Stats(); st.CallRetries != 3 || st.CallsSucceeded != 1 || st.CallsFailed != 0 {
			t.Fatalf("stats %+v", st)
		}
	})
}

func TestWaitForCalleeBackoffIsCapped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		call := c.Call(context.Background(), "svc", nil, nil, client.WaitForCallee())
		m := scripted.Expect[*protocol.Call](r)
		for i := range 12 {
			refuseCall(r, m, "wamp.error.no_such_procedure")
			at := time.Now()
			m = scripted.Expect[*protocol.Call](r)
			if waited := time.Since(at); waited > time.Second || (i >= 6 && waited < 500*time.Millisecond) {
				t.Fatalf("retry %d after %v, want at most 1s (and at least 500ms once capped)", i+1, waited)
			}
		}
		r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
		if _, err := await(t, call); err != nil {
			t.Fatal(err)
		}
	})
}

func TestWaitForCalleeLeavesOtherErrorsAlone(t *testing.T) {
	c, r := clienttest.Joined(t)
	for _, uri := range []string{"wamp.error.runtime_error", "wamp.error.canceled", "wamp.error.timeout", "wamp.error.not_authorized", "com.example.failed"} {
		call := c.Call(ctxT(t), "svc", nil, nil, client.WaitForCallee())
		refuseCall(r, scripted.Expect[*protocol.Call](r), uri)
		var e *client.Error
		if _, err := await(t, call); !errors.As(err, &e) || e.URI != uri {
			t.Fatalf("%s: err = %v", uri, err)
		}
	}
	// Without the option, no_such_procedure is final.
	call := c.Call(ctxT(t), "svc", nil, nil)
	refuseCall(r, scripted.Expect[*protocol.Call](r), "wamp.error.no_such_procedure")
	var e *client.Error
	if _, err := await(t, call); !errors.As(err, &e) || e.URI != "wamp.error.no_such_procedure" {
		t.Fatalf("err = %v", err)
	}
	if n := c.Stats().CallRetries; n != 0 {
		t.Fatalf("CallRetries = %d", n)
	}
}

func TestWaitForCalleeEndsWithTheCallsContext(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		// The first retry comes after 25–50ms, the second 50–100ms later:
		// the deadline passes while the call waits for it.
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Millisecond)
		defer cancel()
		start := time.Now()
		call := c.Call(ctx, "svc", nil, nil, client.WaitForCallee())
		refuseCall(r, scripted.Expect[*protocol.Call](r), "wamp.error.no_such_procedure")
		refuseCall(r, scripted.Expect[*protocol.Call](r), "wamp.error.no_such_procedure")
		_, err := await(t, call)
		if !errors.Is(err, client.ErrCanceled) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("err = %v", err)
		}
		if took := time.Since(start); took != 60*time.Millisecond {
			t.Fatalf("ended after %v", took)
		}
	})
}

func TestWaitForCalleeHonoursTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		call := c.Call(context.Background(), "svc", nil, nil, client.WaitForCallee(), client.Timeout(160*time.Millisecond))
		refuseCall(r, scripted.Expect[*protocol.Call](r), "wamp.error.no_such_procedure")
		refuseCall(r, scripted.Expect[*protocol.Call](r), "wamp.error.no_such_procedure")
		refuseCall(r, scripted.Expect[*protocol.Call](r), "wamp.error.no_such_procedure")
		synctest.Wait()
		if n := c.Stats().CallRetries; n != 3 {
			t.Fatalf("CallRetries = %d before the timeout", n)
		}
		// The third retry would come at 175ms at the earliest: the timeout
		// ends the call while it waits, and no CANCEL is sent for it.
		_, err := await(t, call)
		if !errors.Is(err, client.ErrTimeout) {
			t.Fatalf("err = %v", err)
		}
		c.Call(ctxT(t), "next", nil, nil)
		if m := scripted.Expect[*protocol.Call](r); m.Procedure != "next" {
			t.Fatalf("after the timeout: %+v", m)
		}
	})
}

func TestWaitForCalleeEndsWithTheClient(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		call := c.Call(context.Background(), "svc", nil, nil, client.WaitForCallee())
		refuseCall(r, scripted.Expect[*protocol.Call](r), "wamp.error.no_such_procedure")
		synctest.Wait() // the call waits for its retry
		clienttest.Close(t, c)
		if _, err := await(t, call); !errors.Is(err, client.ErrClosed) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestWaitForCalleeReplaysProgressiveInputs(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		call := c.Call(ctxT(t), "upload", protocol.List{"a"}, nil, client.ProgressiveInputs(), client.WaitForCallee())
		m := scripted.Expect[*protocol.Call](r)
		if err := call.SendInput(ctxT(t), protocol.List{"b"}, nil); err != nil {
			t.Fatal(err)
		}
		scripted.Expect[*protocol.Call](r)
		refuseCall(r, m, "wamp.error.no_such_procedure")
		synctest.Wait()
		// Sent while the call waits: kept for the next CALL.
		if err := call.FinishInput(ctxT(t), protocol.List{"c"}, nil); err != nil {
			t.Fatal(err)
		}
		m = scripted.Expect[*protocol.Call](r)
		if m.Args[0] != "a" || m.Options["progress"] != true {
			t.Fatalf("retried CALL %+v", m)
		}
		for _, want := range []string{"b", "c"} {
			in := scripted.Expect[*protocol.Call](r)
			if in.Request != m.Request || in.Args[0] != want || (in.Options["progress"] == true) != (want == "b") {
				t.Fatalf("replayed chunk %+v, want %q", in, want)
			}
		}
		r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
		if _, err := await(t, call); err != nil {
			t.Fatal(err)
		}
	})
}

func TestWaitForCalleeWithCallTyped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		type out struct {
			n   int
			err error
		}
		done := make(chan out, 1)
		go func() {
			n, err := client.CallTyped[int](ctxT(t), c, "add", []int{1, 2}, client.WaitForCallee())
			done <- out{n, err}
		}()
		refuseCall(r, scripted.Expect[*protocol.Call](r), "wamp.error.no_available_callee")
		m := scripted.Expect[*protocol.Call](r)
		r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{int64(3)}}})
		if got := <-done; got.err != nil || got.n != 3 {
			t.Fatalf("CallTyped = %d, %v", got.n, got.err)
		}
	})
}

// A call waiting between attempts is not at the router: when the caller's
// own session is lost meanwhile, it waits for the next session and is sent
// there.
func TestWaitForCalleeRidesThroughTheCallersReconnect(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newReconnectDialer(t, clienttest.Transports()[0])
		c, r1 := reconnecting(t, d, client.Reconnect{MinDelay: time.Second, MaxDelay: time.Second})
		call := c.Call(ctxT(t), "svc", protocol.List{"x"}, nil, client.WaitForCallee())
		refuseCall(r1, scripted.Expect[*protocol.Call](r1), "wamp.error.no_such_procedure")
		synctest.Wait()
		r1.Transport().Close()
		r2 := d.Next(t) // after the reconnect backoff, long after the retry came due
		r2.Welcome(2, scripted.Roles())
		m := scripted.Expect[*protocol.Call](r2)
		if m.Procedure != "svc" || m.Args[0] != "x" || m.Request != 1 {
			t.Fatalf("CALL on the new session: %s", scripted.Describe(m))
		}
		r2.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
		if _, err := await(t, call); err != nil {
			t.Fatal(err)
		}
	})
}
