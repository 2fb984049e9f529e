package client_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// trail records what interceptors saw, in order.
type trail struct {
	mu    sync.Mutex
	steps []string
}

func (tr *trail) add(s string) {
	tr.mu.Lock()
	tr.steps = append(tr.steps, s)
	tr.mu.Unlock()
}

func (tr *trail) take() []string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	s := tr.steps
	tr.steps = nil
	return s
}

// recording returns an interceptor named name that records every hook and
// adds the header _hdr_<name> to outgoing calls and publications.
func recording(name string, tr *trail) client.Interceptor {
	return client.Interceptor{
		Call: func(next client.CallFunc) client.CallFunc {
			return func(ctx context.Context, procedure protocol.URI, args protocol.List, kwargs protocol.Dict, opts ...client.CallOption) *client.Call {
				tr.add(name + " call " + procedure)
				return next(ctx, procedure, args, kwargs, append(opts, client.RawOptions(protocol.Dict{"_hdr_" + name: "1"}))...)
			}
		},
		Publish: func(next client.PublishFunc) client.PublishFunc {
			return func(ctx context.Context, topic protocol.URI, args protocol.List, kwargs protocol.Dict, opts ...client.PublishOption) (protocol.ID, error) {
				tr.add(name + " publish " + topic)
				id, err := next(ctx, topic, args, kwargs, append(opts, client.RawOptions(protocol.Dict{"_hdr_" + name: "1"}))...)
				if err != nil {
					tr.add(name + " publish failed")
				}
				return id, err
			}
		},
		Invocation: func(next client.Handler) client.Handler {
			return func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
				tr.add(name + " invocation " + inv.Procedure)
				res, err := next(ctx, inv)
				tr.add(name + " invocation done")
				return res, err
			}
		},
		Event: func(next client.EventHandler) client.EventHandler {
			return func(ctx context.Context, ev *client.Event) {
				tr.add(name + " event " + ev.Topic)
				next(ctx, ev)
			}
		},
	}
}

func TestInterceptorsWrapEveryDirection(t *testing.T) {
	tr := &trail{}
	c, r := clienttest.Joined(t, client.WithInterceptors(recording("a", tr)), client.WithInterceptors(recording("b", tr)))
	ctx := ctxT(t)

	call := c.Call(ctx, "com.p", nil, nil)
	m := scripted.Expect[*protocol.Call](r)
	if m.Options["_hdr_a"] != "1" || m.Options["_hdr_b"] != "1" {
		t.Fatalf("CALL.Options = %v, want both headers", m.Options)
	}
	r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
	if _, err := call.Await(ctx); err != nil {
		t.Fatal(err)
	}
	scripted.Equal(t, "call steps", tr.take(), []string{"a call com.p", "b call com.p"})

	done := make(chan error, 1)
	go func() {
		_, err := c.Publish(ctx, "com.t", nil, nil, client.Acknowledge())
		done <- err
	}()
	p := scripted.Expect[*protocol.Publish](r)
	if p.Options["_hdr_a"] != "1" || p.Options["_hdr_b"] != "1" {
		t.Fatalf("PUBLISH.Options = %v", p.Options)
	}
	r.Send(&protocol.Error{RequestType: protocol.TypePublish, Request: p.Request, Details: protocol.Dict{}, Error: "wamp.error.not_authorized"})
	if err := <-done; err == nil {
		t.Fatal("the ERROR did not fail Publish")
	}
	scripted.Equal(t, "publish steps", tr.take(), []string{"a publish com.t", "b publish com.t", "b publish failed", "a publish failed"})

	handled := make(chan *client.Invocation, 1)
	clienttest.Register(t, c, r, "com.q", 5, func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		tr.add("handler")
		handled <- inv
		return client.Result{}, nil
	})
	r.Send(&protocol.Invocation{Request: 1, Registration: 5, Details: protocol.Dict{"_trace": "x"}})
	scripted.Expect[*protocol.Yield](r)
	if inv := <-handled; inv.Details["_trace"] != "x" {
		t.Fatalf("the handler saw Details %v", inv.Details)
	}
	scripted.Equal(t, "invocation steps", tr.take(),
		[]string{"a invocation com.q", "b invocation com.q", "handler", "b invocation done", "a invocation done"})

	events := make(chan struct{}, 1)
	clienttest.Subscribe(t, c, r, "com.e", 6, func(context.Context, *client.Event) { tr.add("event handler"); events <- struct{}{} })
	r.Send(&protocol.Event{Subscription: 6, Publication: 1, Details: protocol.Dict{}})
	<-events
	scripted.Equal(t, "event steps", tr.take(), []string{"a event com.e", "b event com.e", "event handler"})
}

func TestInterceptorMayRefuse(t *testing.T) {
	errDenied := errors.New("denied by policy")
	deny := client.Interceptor{
		Publish: func(next client.PublishFunc) client.PublishFunc {
			return func(ctx context.Context, topic protocol.URI, args protocol.List, kwargs protocol.Dict, opts ...client.PublishOption) (protocol.ID, error) {
				if topic == "com.secret" {
					return 0, errDenied
				}
				return next(ctx, topic, args, kwargs, opts...)
			}
		},
	}
	c, r := clienttest.Joined(t, client.WithInterceptors(deny))
	if _, err := c.Publish(ctxT(t), "com.secret", nil, nil); !errors.Is(err, errDenied) {
		t.Fatalf("Publish = %v", err)
	}
	if _, err := c.Publish(ctxT(t), "com.open", nil, nil); err != nil {
		t.Fatal(err)
	}
	if p := scripted.Expect[*protocol.Publish](r); p.Topic != "com.open" {
		t.Fatalf("sent %s", scripted.Describe(p))
	}
}
