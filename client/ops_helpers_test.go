package client_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/memconn"
	"github.com/wampgo/wampgo/internal/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// opsJoin returns a client joined to a scripted router announcing roles
// (scripted.Roles() when nil), closed at the end of the test. It works
// inside a synctest bubble too.
func opsJoin(t *testing.T, roles protocol.Dict, opts ...client.Option) (*client.Client, *scripted.Router) {
	t.Helper()
	if roles == nil {
		roles = scripted.Roles()
	}
	ct, rt := memconn.Pipe("json")
	r := scripted.New(t, rt)
	type res struct {
		c   *client.Client
		err error
	}
	done := make(chan res, 1)
	go func() {
		c, err := client.Connect(context.Background(), ct, "realm1", opts...)
		done <- res{c, err}
	}()
	r.Welcome(4242, roles)
	got := <-done
	if got.err != nil {
		t.Fatalf("Connect: %v", got.err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		rt.Close()
		got.c.Close(ctx)
		<-got.c.Done()
	})
	return got.c, r
}

// opsCtx is a context bounded for one test step.
func opsCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// opsSubscribe subscribes h to topic, answering SUBSCRIBE with id.
func opsSubscribe(t *testing.T, c *client.Client, r *scripted.Router, topic string, id protocol.ID, h client.EventHandler, opts ...client.SubscribeOption) *client.Subscription {
	t.Helper()
	type res struct {
		sub *client.Subscription
		err error
	}
	out := make(chan res, 1)
	go func() {
		sub, err := c.Subscribe(context.Background(), topic, h, opts...)
		out <- res{sub, err}
	}()
	m := scripted.Expect[*protocol.Subscribe](r)
	r.Send(&protocol.Subscribed{Request: m.Request, Subscription: id})
	got := <-out
	if got.err != nil {
		t.Fatalf("Subscribe: %v", got.err)
	}
	return got.sub
}

// opsRegister registers h for proc, answering REGISTER with id.
func opsRegister(t *testing.T, c *client.Client, r *scripted.Router, proc string, id protocol.ID, h client.Handler, opts ...client.RegisterOption) (*client.Registration, *protocol.Register) {
	t.Helper()
	type res struct {
		reg *client.Registration
		err error
	}
	out := make(chan res, 1)
	go func() {
		reg, err := c.Register(context.Background(), proc, h, opts...)
		out <- res{reg, err}
	}()
	m := scripted.Expect[*protocol.Register](r)
	r.Send(&protocol.Registered{Request: m.Request, Registration: id})
	got := <-out
	if got.err != nil {
		t.Fatalf("Register: %v", got.err)
	}
	return got.reg, m
}

// memDialer opens in-memory connections for a reconnecting client and hands
// the router side of each to the test; dials fail while fail is set.
type memDialer struct {
	mu      sync.Mutex
	fail    error
	dials   int
	routers chan protocol.Transport
}

func newMemDialer() *memDialer { return &memDialer{routers: make(chan protocol.Transport, 8)} }

func (d *memDialer) dial(ctx context.Context, url string) (protocol.Transport, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.dials++
	if d.fail != nil {
		return nil, d.fail
	}
	ct, rt := memconn.Pipe("json")
	d.routers <- rt
	return ct, nil
}

func (d *memDialer) setFail(err error) {
	d.mu.Lock()
	d.fail = err
	d.mu.Unlock()
}

func (d *memDialer) dialCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.dials
}

// next returns the scripted router of the next connection.
func (d *memDialer) next(t *testing.T) *scripted.Router {
	t.Helper()
	select {
	case rt := <-d.routers:
		t.Cleanup(func() { rt.Close() })
		return scripted.New(t, rt)
	case <-time.After(time.Minute):
		t.Fatal("the client did not dial")
		return nil
	}
}

// closeClient closes c within a bounded time and waits for its end.
func closeClient(t *testing.T, c *client.Client) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	c.Close(ctx)
	<-c.Done()
}
