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

func TestRegisterOptionsAndInvocation(t *testing.T) {
	c, r := clienttest.Joined(t)
	gotInv := make(chan *client.Invocation, 1)
	reg, m := clienttest.Register(t, c, r, "com.example", 77, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		gotInv <- inv
		return client.Result{Args: protocol.List{"ok"}, Kwargs: protocol.Dict{"n": int64(1)}}, nil
	}, client.DiscloseCaller(), client.Match(client.MatchPrefix), client.Invoke(client.InvokeRoundRobin))
	scripted.Equal(t, "REGISTER.Options", m.Options, protocol.Dict{"disclose_caller": true, "match": "prefix", "invoke": "roundrobin"})
	if reg.ID() != 77 {
		t.Fatalf("ID = %d", reg.ID())
	}
	scripted.Equal(t, "RegistrationIDs", c.RegistrationIDs("com.example"), []protocol.ID{77})

	r.Send(&protocol.Invocation{Request: 5, Registration: 77, Details: protocol.Dict{
		"caller": int64(9), "caller_authid": "alice", "caller_authrole": "user", "procedure": "com.example.deep"},
		Payload: protocol.Payload{Args: protocol.List{"x"}}})
	y := scripted.Expect[*protocol.Yield](r)
	if y.Request != 5 || y.Args[0] != "ok" || y.Kwargs["n"] != int64(1) {
		t.Fatalf("YIELD = %+v", y)
	}
	inv := <-gotInv
	if inv.Procedure != "com.example.deep" || inv.Caller != 9 || inv.CallerAuthID != "alice" || inv.CallerAuthRole != "user" || inv.Args[0] != "x" {
		t.Fatalf("invocation = %+v", inv)
	}
}

func TestHandlerErrorsBecomeErrorMessages(t *testing.T) {
	c, r := clienttest.Joined(t)
	clienttest.Register(t, c, r, "fail", 1, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		switch inv.Args[0] {
		case "typed":
			return client.Result{}, client.NewError("com.example.bad", protocol.List{"a"}, protocol.Dict{"b": int64(2)})
		case "plain":
			return client.Result{}, errors.New("plain failure")
		default:
			panic("handler exploded")
		}
	})
	for i, tc := range []struct {
		arg, uri string
		args     protocol.List
	}{
		{"typed", "com.example.bad", protocol.List{"a"}},
		{"plain", client.URIRuntimeError, protocol.List{"plain failure"}},
		{"panic", client.URIRuntimeError, protocol.List{"internal error"}},
	} {
		req := protocol.ID(10 + i)
		r.Send(&protocol.Invocation{Request: req, Registration: 1, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{tc.arg}}})
		e := scripted.Expect[*protocol.Error](r)
		if e.RequestType != protocol.TypeInvocation || e.Request != req || e.Error != tc.uri {
			t.Fatalf("%s: ERROR = %+v", tc.arg, e)
		}
		scripted.Equal(t, tc.arg+" args", e.Args, tc.args)
	}
}

func TestCalleeProgressiveResults(t *testing.T) {
	c, r := clienttest.Joined(t)
	clienttest.Register(t, c, r, "stream", 1, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		for i := range 2 {
			if err := inv.SendProgress(ctx, protocol.List{int64(i)}, nil); err != nil {
				return client.Result{}, err
			}
		}
		return client.Result{Args: protocol.List{"end"}}, nil
	})
	r.Send(&protocol.Invocation{Request: 3, Registration: 1, Details: protocol.Dict{"receive_progress": true}})
	for i := range 2 {
		y := scripted.Expect[*protocol.Yield](r)
		if y.Options["progress"] != true || y.Args[0] != int64(i) {
			t.Fatalf("progress YIELD %+v", y)
		}
	}
	y := scripted.Expect[*protocol.Yield](r)
	if y.Options["progress"] != nil || y.Args[0] != "end" {
		t.Fatalf("final YIELD %+v", y)
	}
}

func TestSendProgressRefusedWhenNotAsked(t *testing.T) {
	c, r := clienttest.Joined(t)
	clienttest.Register(t, c, r, "p", 1, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		return client.Result{}, inv.SendProgress(ctx, nil, nil)
	})
	r.Send(&protocol.Invocation{Request: 3, Registration: 1, Details: protocol.Dict{}})
	if e := scripted.Expect[*protocol.Error](r); e.Error != client.URIRuntimeError {
		t.Fatalf("ERROR = %+v", e)
	}
}

func TestInterruptCancelsHandler(t *testing.T) {
	c, r := clienttest.Joined(t)
	started := make(chan struct{})
	clienttest.Register(t, c, r, "slow", 1, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		close(started)
		<-ctx.Done()
		return client.Result{}, ctx.Err()
	})
	r.Send(&protocol.Invocation{Request: 8, Registration: 1, Details: protocol.Dict{}})
	<-started
	r.Send(&protocol.Interrupt{Request: 8, Options: protocol.Dict{"mode": "kill"}})
	e := scripted.Expect[*protocol.Error](r)
	if e.Request != 8 || e.Error != "wamp.error.canceled" {
		t.Fatalf("ERROR = %+v", e)
	}
}

func TestInterruptKillNoWaitSendsNothing(t *testing.T) {
	c, r := clienttest.Joined(t)
	started := make(chan struct{})
	clienttest.Register(t, c, r, "slow", 1, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		if inv.Args != nil {
			return client.Result{Args: protocol.List{"second"}}, nil
		}
		close(started)
		<-ctx.Done()
		return client.Result{}, ctx.Err()
	}, client.Concurrency(2))
	r.Send(&protocol.Invocation{Request: 8, Registration: 1, Details: protocol.Dict{}})
	<-started
	r.Send(&protocol.Interrupt{Request: 8, Options: protocol.Dict{"mode": "killnowait"}})
	r.Send(&protocol.Invocation{Request: 9, Registration: 1, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{int64(1)}}})
	y := scripted.Expect[*protocol.Yield](r)
	if y.Request != 9 {
		t.Fatalf("got answer for %d, want only 9's", y.Request)
	}
}

func TestInvocationTimeoutEndsHandler(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		var ended time.Duration
		start := time.Now()
		clienttest.Register(t, c, r, "slow", 1, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
			if inv.Timeout != 3*time.Second {
				return client.Result{}, errors.New("timeout not parsed")
			}
			<-ctx.Done()
			ended = time.Since(start)
			return client.Result{}, ctx.Err()
		})
		r.Send(&protocol.Invocation{Request: 4, Registration: 1, Details: protocol.Dict{"timeout": int64(3000)}})
		if e := scripted.Expect[*protocol.Error](r); e.Error != "wamp.error.timeout" {
			t.Fatalf("ERROR = %+v", e)
		}
		if ended != 3*time.Second {
			t.Fatalf("handler context ended after %v, want 3s", ended)
		}
	})
}

func TestProgressiveInvocationInputs(t *testing.T) {
	c, r := clienttest.Joined(t)
	clienttest.Register(t, c, r, "sum", 1, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		total := inv.Args[0].(int64)
		for in := range inv.Inputs() {
			total += in.Args[0].(int64)
		}
		return client.Result{Args: protocol.List{total}}, nil
	})
	r.Send(&protocol.Invocation{Request: 6, Registration: 1, Details: protocol.Dict{"progress": true}, Payload: protocol.Payload{Args: protocol.List{int64(1)}}})
	r.Send(&protocol.Invocation{Request: 6, Registration: 1, Details: protocol.Dict{"progress": true}, Payload: protocol.Payload{Args: protocol.List{int64(2)}}})
	r.Send(&protocol.Invocation{Request: 6, Registration: 1, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{int64(3)}}})
	y := scripted.Expect[*protocol.Yield](r)
	if y.Request != 6 || y.Args[0] != int64(6) {
		t.Fatalf("YIELD = %+v", y)
	}
}

func TestInvocationForUnknownRegistration(t *testing.T) {
	_, r := clienttest.Joined(t)
	r.Send(&protocol.Invocation{Request: 6, Registration: 404, Details: protocol.Dict{}})
	if e := scripted.Expect[*protocol.Error](r); e.Error != "wamp.error.no_such_registration" || e.Request != 6 {
		t.Fatalf("ERROR = %+v", e)
	}
}

func TestUnregisterAllAndNotFound(t *testing.T) {
	c, r := clienttest.Joined(t)
	h := func(context.Context, *client.Invocation) (client.Result, error) { return client.Result{}, nil }
	reg, _ := clienttest.Register(t, c, r, "p", 11, h)
	done := make(chan error, 1)
	go func() { done <- c.Unregister(ctxT(t), "p") }()
	u := scripted.Expect[*protocol.Unregister](r)
	if u.Registration != 11 {
		t.Fatalf("UNREGISTER = %+v", u)
	}
	r.Send(&protocol.Unregistered{Request: u.Request})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	<-reg.Done()
	if ids := c.RegistrationIDs("p"); len(ids) != 0 {
		t.Fatalf("ids after unregister: %v", ids)
	}
	if err := c.Unregister(ctxT(t), "p"); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("second Unregister = %v", err)
	}
	if err := reg.Unregister(ctxT(t)); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("reg.Unregister = %v", err)
	}
}

func TestRegisterErrorIsTyped(t *testing.T) {
	c, r := clienttest.Joined(t)
	done := make(chan error, 1)
	go func() {
		_, err := c.Register(ctxT(t), "p", func(context.Context, *client.Invocation) (client.Result, error) { return client.Result{}, nil })
		done <- err
	}()
	m := scripted.Expect[*protocol.Register](r)
	r.Send(&protocol.Error{RequestType: protocol.TypeRegister, Request: m.Request, Details: protocol.Dict{}, Error: "wamp.error.procedure_already_exists"})
	var we *client.Error
	if err := <-done; !errors.As(err, &we) || we.URI != "wamp.error.procedure_already_exists" {
		t.Fatalf("err = %v", err)
	}
}

func TestRegistrationRevoked(t *testing.T) {
	c, r := clienttest.Joined(t)
	reg, _ := clienttest.Register(t, c, r, "p", 12, func(context.Context, *client.Invocation) (client.Result, error) { return client.Result{}, nil })
	r.Send(&protocol.Unregistered{Request: 0, Details: protocol.Dict{"registration": int64(12), "reason": "wamp.error.testing"}})
	<-reg.Done()
	if ids := c.RegistrationIDs("p"); len(ids) != 0 {
		t.Fatalf("ids after revocation: %v", ids)
	}
}

func TestFullInvocationMailboxAnswersUnavailable(t *testing.T) {
	c, r := clienttest.Joined(t)
	started := make(chan struct{}, 4)
	release := make(chan struct{})
	clienttest.Register(t, c, r, "busy", 1, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		started <- struct{}{}
		<-release
		return client.Result{}, nil
	}, client.MailboxLimits(client.Limits{MaxMessages: 1}))
	r.Send(&protocol.Invocation{Request: 1, Registration: 1, Details: protocol.Dict{}})
	<-started                                                                           // the worker holds #1
	r.Send(&protocol.Invocation{Request: 2, Registration: 1, Details: protocol.Dict{}}) // queued
	r.Send(&protocol.Invocation{Request: 3, Registration: 1, Details: protocol.Dict{}}) // refused
	e := scripted.Expect[*protocol.Error](r)
	if e.Request != 3 || e.Error != "wamp.error.unavailable" {
		t.Fatalf("ERROR = %+v", e)
	}
	close(release)
	for _, want := range []protocol.ID{1, 2} {
		if y := scripted.Expect[*protocol.Yield](r); y.Request != want {
			t.Fatalf("YIELD for %d, want %d", y.Request, want)
		}
	}
}
