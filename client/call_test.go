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

func TestCallProgressiveResults(t *testing.T) {
	c, r := clienttest.Joined(t)
	call := c.Call(ctxT(t), "com.example.stream", protocol.List{int64(3)}, protocol.Dict{"k": "v"}, client.ReceiveProgress())
	m := scripted.Expect[*protocol.Call](r)
	scripted.Equal(t, "CALL.Options", m.Options, protocol.Dict{"receive_progress": true})
	scripted.Equal(t, "CALL args", m.Args, protocol.List{int64(3)})
	scripted.Equal(t, "CALL kwargs", m.Kwargs, protocol.Dict{"k": "v"})
	if m.Procedure != "com.example.stream" {
		t.Fatalf("procedure %q", m.Procedure)
	}
	for i := range 3 {
		r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{"progress": true},
			Payload: protocol.Payload{Args: protocol.List{int64(i)}}})
	}
	r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"done"}}})
	var got []any
	for res := range call.Results() {
		got = append(got, res.Args[0])
		if res.Err != nil {
			t.Fatal(res.Err)
		}
	}
	scripted.Equal(t, "results", got, []any{int64(0), int64(1), int64(2), "done"})
	final, err := await(t, call)
	if err != nil || final.Args[0] != "done" || final.Progress {
		t.Fatalf("final = %+v, %v", final, err)
	}
}

func TestCallErrorIsTyped(t *testing.T) {
	c, r := clienttest.Joined(t)
	call := c.Call(ctxT(t), "com.example.fail", nil, nil)
	m := scripted.Expect[*protocol.Call](r)
	if m.Args != nil || m.Kwargs != nil {
		t.Fatalf("empty payload sent as %+v", m.Payload)
	}
	r.Send(&protocol.Error{RequestType: protocol.TypeCall, Request: m.Request, Details: protocol.Dict{},
		Error: "com.example.oops", Payload: protocol.Payload{Args: protocol.List{"bad"}, Kwargs: protocol.Dict{"code": int64(7)}}})
	_, err := await(t, call)
	var we *client.Error
	if !errors.As(err, &we) || we.URI != "com.example.oops" || we.Args[0] != "bad" || we.Kwargs["code"] != int64(7) {
		t.Fatalf("err = %#v", err)
	}
}

func TestCallOptionsWireForm(t *testing.T) {
	c, r := clienttest.Joined(t)
	c.Call(ctxT(t), "p", nil, nil, client.DiscloseMe(), client.ResourceKey("k1"),
		client.Timeout(1500*time.Millisecond), client.RawOptions(protocol.Dict{"x_custom": "y"}))
	m := scripted.Expect[*protocol.Call](r)
	scripted.Equal(t, "CALL.Options", m.Options, protocol.Dict{
		"disclose_me": true, "rkey": "k1", "timeout": int64(1500), "x_custom": "y"})
	r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
}

func TestCallCancelKillWaitsForRouter(t *testing.T) {
	c, r := clienttest.Joined(t)
	ctx, cancel := context.WithCancel(context.Background())
	call := c.Call(ctx, "slow", nil, nil, client.WithCancelMode(client.CancelKill))
	m := scripted.Expect[*protocol.Call](r)
	cancel()
	cm := scripted.Expect[*protocol.Cancel](r)
	if cm.Request != m.Request || cm.Options["mode"] != "kill" {
		t.Fatalf("CANCEL = %+v", cm)
	}
	select {
	case <-call.Done():
		t.Fatal("kill mode completed before the router answered")
	default:
	}
	r.Send(&protocol.Error{RequestType: protocol.TypeCall, Request: m.Request, Details: protocol.Dict{}, Error: "wamp.error.canceled"})
	_, err := await(t, call)
	if !errors.Is(err, client.ErrCanceled) {
		t.Fatalf("err = %v", err)
	}
}

func TestCallCancelSkipAndKillNoWaitCompleteAtOnce(t *testing.T) {
	for _, mode := range []client.CancelMode{client.CancelSkip, client.CancelKillNoWait} {
		t.Run(string(mode), func(t *testing.T) {
			c, r := clienttest.Joined(t)
			ctx, cancel := context.WithCancel(context.Background())
			call := c.Call(ctx, "slow", nil, nil, client.WithCancelMode(mode))
			m := scripted.Expect[*protocol.Call](r)
			cancel()
			cm := scripted.Expect[*protocol.Cancel](r)
			if cm.Options["mode"] != string(mode) {
				t.Fatalf("CANCEL = %+v", cm)
			}
			_, err := await(t, call)
			if !errors.Is(err, client.ErrCanceled) || !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v", err)
			}
			// The router's late answer is discarded, not a violation.
			r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
			next := c.Call(ctxT(t), "after", nil, nil)
			m2 := scripted.Expect[*protocol.Call](r)
			r.Send(&protocol.Result{Request: m2.Request, Details: protocol.Dict{}})
			if _, err := await(t, next); err != nil {
				t.Fatalf("session broken after late answer: %v", err)
			}
		})
	}
}

func TestCallCancelWithoutRouterSupport(t *testing.T) {
	c, j := clienttest.JoinedWith(t, clienttest.Setup{Roles: scripted.RolesWith(nil, nil)})
	r := j.Router
	ctx, cancel := context.WithCancel(context.Background())
	call := c.Call(ctx, "slow", nil, nil)
	m := scripted.Expect[*protocol.Call](r)
	cancel()
	if _, err := await(t, call); !errors.Is(err, client.ErrCanceled) {
		t.Fatalf("err = %v", err)
	}
	// No CANCEL was sent: the next message is the next call.
	c.Call(ctxT(t), "next", nil, nil)
	if m2 := scripted.Expect[*protocol.Call](r); m2.Procedure != "next" {
		t.Fatalf("got %+v", m2)
	}
	r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
}

func TestCallLocalTimeout(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		start := time.Now()
		call := c.Call(ctxT(t), "slow", nil, nil, client.Timeout(1500*time.Millisecond))
		m := scripted.Expect[*protocol.Call](r)
		if m.Options["timeout"] != int64(1500) {
			t.Fatalf("timeout option %v", m.Options["timeout"])
		}
		cm := scripted.Expect[*protocol.Cancel](r)
		if cm.Options["mode"] != "killnowait" {
			t.Fatalf("CANCEL = %+v", cm)
		}
		if _, err := await(t, call); !errors.Is(err, client.ErrTimeout) {
			t.Fatalf("err = %v", err)
		}
		if took := time.Since(start); took != 1500*time.Millisecond {
			t.Fatalf("timed out after %v, want exactly 1.5s", took)
		}
	})
}

func TestCallRouterTimeoutError(t *testing.T) {
	c, r := clienttest.Joined(t)
	call := c.Call(ctxT(t), "slow", nil, nil)
	m := scripted.Expect[*protocol.Call](r)
	r.Send(&protocol.Error{RequestType: protocol.TypeCall, Request: m.Request, Details: protocol.Dict{}, Error: "wamp.error.timeout"})
	if _, err := await(t, call); !errors.Is(err, client.ErrTimeout) {
		t.Fatalf("err = %v", err)
	}
}

func TestProgressiveCallInputs(t *testing.T) {
	c, r := clienttest.Joined(t)
	call := c.Call(ctxT(t), "upload", protocol.List{"a"}, nil, client.ProgressiveInputs())
	m := scripted.Expect[*protocol.Call](r)
	scripted.Equal(t, "first CALL.Options", m.Options, protocol.Dict{"progress": true})
	if err := call.SendInput(ctxT(t), protocol.List{"b"}, nil); err != nil {
		t.Fatal(err)
	}
	m2 := scripted.Expect[*protocol.Call](r)
	if m2.Request != m.Request || m2.Options["progress"] != true || m2.Args[0] != "b" {
		t.Fatalf("second chunk %+v", m2)
	}
	if err := call.FinishInput(ctxT(t), protocol.List{"c"}, nil); err != nil {
		t.Fatal(err)
	}
	m3 := scripted.Expect[*protocol.Call](r)
	if m3.Request != m.Request || len(m3.Options) != 0 || m3.Args[0] != "c" {
		t.Fatalf("final chunk %+v", m3)
	}
	if err := call.SendInput(ctxT(t), nil, nil); err == nil {
		t.Fatal("input after the final chunk accepted")
	}
	r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
	if _, err := await(t, call); err != nil {
		t.Fatal(err)
	}
}

func TestProgressiveInputsNeedRouterSupport(t *testing.T) {
	c, _ := clienttest.JoinedWith(t, clienttest.Setup{Roles: scripted.RolesWith(nil, nil)})
	_, err := await(t, c.Call(ctxT(t), "upload", nil, nil, client.ProgressiveInputs()))
	if !errors.Is(err, client.ErrNotSupported) {
		t.Fatalf("err = %v", err)
	}
}

func TestProgressOverflowIsCountedNotBlocking(t *testing.T) {
	var reported int
	errs := make(chan error, 16)
	c, r := clienttest.Joined(t, client.WithErrorHandler(func(err error) { errs <- err }))
	call := c.Call(ctxT(t), "stream", nil, nil, client.ReceiveProgress(), client.ProgressBuffer(2), client.OnProgressOverflow(client.Drop))
	m := scripted.Expect[*protocol.Call](r)
	for i := range 5 {
		r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{"progress": true}, Payload: protocol.Payload{Args: protocol.List{int64(i)}}})
	}
	r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"final"}}})
	<-call.Done()
	var got []any
	for res := range call.Results() {
		got = append(got, res.Args[0])
	}
	scripted.Equal(t, "results", got, []any{int64(0), int64(1), "final"})
	if call.Dropped() != 3 {
		t.Fatalf("Dropped = %d", call.Dropped())
	}
	for range 3 {
		<-errs
		reported++
	}
	if reported != 3 {
		t.Fatal("drops not reported")
	}
}

func TestManyConcurrentCalls(t *testing.T) {
	c, r := clienttest.Joined(t)
	const goroutines, each = 50, 20
	go func() {
		for range goroutines * each {
			m, ok := <-r.Transport().Receive()
			if !ok {
				return
			}
			call := m.(*protocol.Call)
			r.Transport().Send(context.Background(), &protocol.Result{Request: call.Request, Details: protocol.Dict{}, Payload: call.Payload})
		}
	}()
	errs := make(chan error, goroutines)
	for g := range goroutines {
		go func() {
			for i := range each {
				res, err := c.Call(ctxT(t), "echo", protocol.List{int64(g), int64(i)}, nil).Await(ctxT(t))
				if err == nil && (res.Args[0] != int64(g) || res.Args[1] != int64(i)) {
					err = errors.New("result mixed up between calls")
				}
				if err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range goroutines {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
