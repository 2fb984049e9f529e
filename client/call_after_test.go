package client_test

import (
	"errors"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// AfterDone runs each function once with the final result: registered
// before the call completes, after it, and on a call that never started.
func TestCallAfterDone(t *testing.T) {
	c, r := clienttest.Joined(t)
	got := make(chan string, 8)
	record := func(tag string) func(client.Result) {
		return func(res client.Result) {
			if res.Err != nil {
				got <- tag + " err " + res.Err.Error()
				return
			}
			got <- tag + " " + res.Args[0].(string)
		}
	}
	call := c.Call(ctxT(t), "p", nil, nil, client.ReceiveProgress())
	call.AfterDone(record("before1"))
	call.AfterDone(record("before2"))
	m := scripted.Expect[*protocol.Call](r)
	r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{"progress": true}, Payload: protocol.Payload{Args: protocol.List{"partial"}}})
	r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"final"}}})
	if _, err := await(t, call); err != nil {
		t.Fatal(err)
	}
	call.AfterDone(record("after"))
	seen := map[string]bool{}
	for range 3 {
		seen[<-got] = true
	}
	for _, want := range []string{"before1 final", "before2 final", "after final"} {
		if !seen[want] {
			t.Errorf("missing %q in %v", want, seen)
		}
	}

	// A call refused before it reached the session completes too.
	bad := c.Call(ctxT(t), "not a uri!", nil, nil)
	bad.AfterDone(record("bad"))
	if s := <-got; len(s) < 8 || s[:7] != "bad err" {
		t.Fatalf("refused call: %q", s)
	}
	_, err := await(t, bad)
	if !errors.Is(err, client.ErrInvalidArgument) {
		t.Fatalf("refused call's error: %v", err)
	}
	select {
	case s := <-got:
		t.Fatalf("a function ran twice: %q", s)
	default:
	}
}
