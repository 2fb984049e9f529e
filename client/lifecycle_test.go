package client_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

func TestCloseHandshakeFailsPending(t *testing.T) {
	c, r := clienttest.Joined(t)
	call := c.Call(ctxT(t), "pending", nil, nil)
	scripted.Expect[*protocol.Call](r)
	done := make(chan error, 1)
	go func() {
		done <- c.Close(ctxT(t), client.CloseReason("wamp.close.system_shutdown"), client.CloseDetails(protocol.Dict{"message": "bye"}))
	}()
	g := scripted.Expect[*protocol.Goodbye](r)
	if g.Reason != "wamp.close.system_shutdown" || g.Details["message"] != "bye" {
		t.Fatalf("GOODBYE = %+v", g)
	}
	r.Send(&protocol.Goodbye{Reason: "wamp.close.goodbye_and_out", Details: protocol.Dict{}})
	if err := <-done; err != nil {
		t.Fatalf("Close = %v", err)
	}
	if _, err := await(t, call); !errors.Is(err, client.ErrClosed) {
		t.Fatalf("pending call: %v", err)
	}
	if err := c.Wait(ctxT(t)); err != nil {
		t.Fatalf("Wait = %v", err)
	}
	if _, err := c.Publish(ctxT(t), "t", nil, nil); !errors.Is(err, client.ErrClosed) {
		t.Fatalf("Publish after close: %v", err)
	}
	if _, err := await(t, c.Call(ctxT(t), "p", nil, nil)); !errors.Is(err, client.ErrClosed) {
		t.Fatalf("Call after close: %v", err)
	}
	if err := c.Close(ctxT(t)); err != nil {
		t.Fatalf("second Close = %v", err)
	}
}

func TestCloseDefaultReasonAndBoundedWait(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t, client.WithCloseTimeout(2*time.Second))
		start := time.Now()
		done := make(chan error, 1)
		go func() { done <- c.Close(context.Background()) }()
		g := scripted.Expect[*protocol.Goodbye](r)
		if g.Reason != "wamp.close.normal" {
			t.Fatalf("reason %s", g.Reason)
		}
		// The router never answers: Close still returns, after the bound.
		if err := <-done; err != nil {
			t.Fatalf("Close = %v", err)
		}
		<-c.Done()
		if took := time.Since(start); took != 2*time.Second {
			t.Fatalf("Close took %v, want the 2s bound", took)
		}
	})
}

func TestRouterGoodbyeIsAnswered(t *testing.T) {
	c, r := clienttest.Joined(t)
	r.Send(&protocol.Goodbye{Reason: "wamp.close.system_shutdown", Details: protocol.Dict{}})
	g := scripted.Expect[*protocol.Goodbye](r)
	if g.Reason != "wamp.close.goodbye_and_out" {
		t.Fatalf("reply %+v", g)
	}
	err := c.Wait(ctxT(t))
	var ge *client.GoodbyeError
	if !errors.As(err, &ge) || ge.Reason != "wamp.close.system_shutdown" {
		t.Fatalf("Wait = %v", err)
	}
}

func TestRouterAbortEndsSession(t *testing.T) {
	c, r := clienttest.Joined(t)
	call := c.Call(ctxT(t), "p", nil, nil)
	scripted.Expect[*protocol.Call](r)
	r.Send(&protocol.Abort{Reason: "wamp.close.system_shutdown", Details: protocol.Dict{"message": "going down"}})
	var ae *client.AbortError
	if err := c.Wait(ctxT(t)); !errors.As(err, &ae) || ae.Message() != "going down" {
		t.Fatalf("Wait = %v", err)
	}
	if _, err := await(t, call); !errors.Is(err, client.ErrClosed) || !errors.As(err, &ae) {
		t.Fatalf("pending call: %v", err)
	}
}

func TestTransportLossFailsPending(t *testing.T) {
	c, r := clienttest.Joined(t)
	call := c.Call(ctxT(t), "p", nil, nil)
	scripted.Expect[*protocol.Call](r)
	r.Transport().Close()
	if _, err := await(t, call); !errors.Is(err, client.ErrClosed) {
		t.Fatalf("pending call: %v", err)
	}
	if err := c.Wait(ctxT(t)); err == nil {
		t.Fatal("Wait = nil after connection loss")
	}
}

// Every router message that is wrong for an established session ends it
// with ABORT wamp.error.protocol_violation, and pending operations fail.
func TestOutOfStateMessagesAbort(t *testing.T) {
	for _, tc := range []struct {
		name string
		msg  protocol.Message
	}{
		{"WELCOME after join", &protocol.Welcome{Session: 1, Details: protocol.Dict{"roles": scripted.Roles()}}},
		{"HELLO", &protocol.Hello{Realm: "r", Details: protocol.Dict{"roles": protocol.Dict{"caller": protocol.Dict{}}}}},
		{"CHALLENGE after join", &protocol.Challenge{AuthMethod: "ticket", Extra: protocol.Dict{}}},
		{"RESULT for unknown call", &protocol.Result{Request: 999, Details: protocol.Dict{}}},
		{"ERROR for unknown call", &protocol.Error{RequestType: protocol.TypeCall, Request: 999, Details: protocol.Dict{}, Error: "x.y"}},
		{"ERROR for unknown subscribe", &protocol.Error{RequestType: protocol.TypeSubscribe, Request: 999, Details: protocol.Dict{}, Error: "x.y"}},
		{"SUBSCRIBED unasked", &protocol.Subscribed{Request: 999, Subscription: 1}},
		{"REGISTERED unasked", &protocol.Registered{Request: 999, Registration: 1}},
		{"PUBLISHED unasked", &protocol.Published{Request: 999, Publication: 1}},
		{"UNSUBSCRIBED unasked", &protocol.Unsubscribed{Request: 999}},
		{"UNREGISTERED unasked", &protocol.Unregistered{Request: 999}},
		{"CALL to a client", &protocol.Call{Request: 1, Options: protocol.Dict{}, Procedure: "p"}},
		{"PUBLISH to a client", &protocol.Publish{Request: 1, Options: protocol.Dict{}, Topic: "t"}},
		{"YIELD to a client", &protocol.Yield{Request: 1, Options: protocol.Dict{}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, r := clienttest.Joined(t)
			call := c.Call(ctxT(t), "p", nil, nil)
			scripted.Expect[*protocol.Call](r)
			r.Send(tc.msg)
			a := scripted.Expect[*protocol.Abort](r)
			if a.Reason != "wamp.error.protocol_violation" {
				t.Fatalf("ABORT = %+v", a)
			}
			if _, err := await(t, call); !errors.Is(err, client.ErrClosed) || !errors.Is(err, client.ErrProtocolViolation) {
				t.Fatalf("pending call: %v", err)
			}
			if err := c.Wait(ctxT(t)); !errors.Is(err, client.ErrProtocolViolation) {
				t.Fatalf("Wait = %v", err)
			}
		})
	}
}

func TestSequentialRequestIDs(t *testing.T) {
	c, r := clienttest.Joined(t)
	for want := protocol.ID(1); want <= 3; want++ {
		c.Call(ctxT(t), "p", nil, nil)
		if m := scripted.Expect[*protocol.Call](r); m.Request != want {
			t.Fatalf("request id %d, want %d", m.Request, want)
		}
	}
}

// A request refused before it reached the connection (its payload cannot
// be encoded) gives its id back: the router sees ids increase by one.
func TestUnsentRequestReusesItsID(t *testing.T) {
	c, j := clienttest.JoinedWith(t, clienttest.Setup{Codec: codec.JSON()})
	r := j.Router
	var ee *codec.EncodeError
	if _, err := await(t, c.Call(ctxT(t), "p", protocol.List{math.NaN()}, nil)); !errors.As(err, &ee) {
		t.Fatalf("unencodable call: %v", err)
	}
	if _, err := c.Publish(ctxT(t), "t", protocol.List{math.Inf(1)}, nil); !errors.As(err, &ee) {
		t.Fatalf("unencodable publish: %v", err)
	}
	c.Call(ctxT(t), "p", nil, nil)
	if m := scripted.Expect[*protocol.Call](r); m.Request != 1 {
		t.Fatalf("first sent request has id %d, want 1", m.Request)
	}
}
