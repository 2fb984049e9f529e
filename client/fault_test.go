package client_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/faultproxy"
	"github.com/wampgo/wampgo/internal/routertest"
	"github.com/wampgo/wampgo/protocol"
)

// Network faults between the client and fox-wamp, injected by a TCP proxy.
// For each: the call in flight fails typed, the client reconnects on its
// own, its registration and subscription are back, and calls work again.
func TestNetworkFaults(t *testing.T) {
	faults := []struct {
		name   string
		inject func(p *faultproxy.Proxy)
		heal   func(p *faultproxy.Proxy)
	}{
		{"drop", (*faultproxy.Proxy).Drop, nil},
		{"reset", (*faultproxy.Proxy).Reset, nil},
		// A stall keeps TCP up: only the keepalive's pong timeout notices.
		// fox-wamp never pings, so it learns of the dead session only when
		// the stalled bytes (our close) flow again: heal with Resume.
		{"stall", (*faultproxy.Proxy).Stall, (*faultproxy.Proxy).Resume},
		// A black hole also swallows the reconnection attempts until healed.
		{"black-hole", func(p *faultproxy.Proxy) { p.BlackHole(true) }, func(p *faultproxy.Proxy) { p.BlackHole(false) }},
		{"refuse-then-drop", func(p *faultproxy.Proxy) { p.Refuse(true); p.Drop() }, func(p *faultproxy.Proxy) { p.Refuse(false) }},
	}
	r := routertest.Start(t)
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			proxy := faultproxy.New(t, r.Addr())
			rc, states := watchedReconnect()
			rc.AttemptTimeout = time.Second
			c, err := client.Dial(ctxT(t), proxy.URL(routertest.Path), interopRealm,
				client.WithReconnect(rc), client.WithKeepalive(250*time.Millisecond, time.Second))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close(context.Background()) })
			waitState(t, states, client.StateJoined)
			peer := dialReal(t, r) // straight to the router, not through the proxy

			proc := "com.wampgo.fault." + f.name
			topic := "com.wampgo.fault.news." + f.name
			if _, err := c.Register(ctxT(t), proc, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
				return client.Result{Args: protocol.List{"ours"}}, nil
			}); err != nil {
				t.Fatal(err)
			}
			events := make(chan string, 4)
			if _, err := c.Subscribe(ctxT(t), topic, func(_ context.Context, ev *client.Event) { events <- ev.Args[0].(string) }); err != nil {
				t.Fatal(err)
			}
			release, started := make(chan struct{}), make(chan struct{}, 1)
			defer close(release)
			if _, err := peer.Register(ctxT(t), proc+".slow", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
				started <- struct{}{}
				select {
				case <-release:
				case <-ctx.Done():
				}
				return client.Result{}, nil
			}); err != nil {
				t.Fatal(err)
			}
			inflight := c.Call(context.Background(), proc+".slow", nil, nil)
			<-started // the call is at the callee: truly in flight

			f.inject(proxy)
			waitState(t, states, client.StateLeft)
			if _, err := inflight.Await(ctxT(t)); !errors.Is(err, client.ErrSessionLost) {
				t.Fatalf("in-flight call: %v", err)
			}
			if f.heal != nil {
				f.heal(proxy)
			}
			waitState(t, states, client.StateJoined)

			res, err := peer.Call(ctxT(t), proc, nil, nil).Await(ctxT(t))
			if err != nil || res.Args[0] != "ours" {
				t.Fatalf("peer's call to the restored registration: %+v, %v", res, err)
			}
			if _, err := peer.Publish(ctxT(t), topic, protocol.List{"after " + f.name}, nil, client.Acknowledge()); err != nil {
				t.Fatal(err)
			}
			select {
			case got := <-events:
				if got != "after "+f.name {
					t.Fatalf("event %q", got)
				}
			case <-time.After(10 * time.Second):
				t.Fatal("no event on the restored subscription")
			}
			if _, err := c.Call(ctxT(t), "wamp.session.count", nil, nil).Await(ctxT(t)); err != nil {
				t.Fatalf("call after recovery: %v", err)
			}
		})
	}
}
