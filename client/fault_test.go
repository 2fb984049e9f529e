package client_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/faultproxy"
	"github.com/wampgo/wampgo/internal/testkit/routertest"
	"github.com/wampgo/wampgo/protocol"
)

// faultRouter is a router the fault suite runs against, over one transport.
type faultRouter struct {
	// pongTimeout is the client's keepalive pong timeout. The in-process
	// router answers PINGs from this process, whose CPUs the suite under
	// -race keeps busy: it gets more time than fox-wamp, in a process of
	// its own.
	pongTimeout time.Duration

	addr string                            // host:port the proxy forwards to
	url  func(p *faultproxy.Proxy) string  // the client's URL through the proxy
	peer func(t *testing.T) *client.Client // a client straight to the router
}

// faultRouters are the routers and transports of the fault suite:
// fox-wamp over WebSocket, and the in-process router over RawSocket (no
// router that make test installs speaks RawSocket).
var faultRouters = []struct {
	name  string
	start func(t *testing.T) faultRouter
}{
	{"websocket", func(t *testing.T) faultRouter {
		r := routertest.Start(t)
		return faultRouter{
			pongTimeout: time.Second,
			addr:        r.Addr(),
			url:         func(p *faultproxy.Proxy) string { return p.URL(routertest.Path) },
			peer:        func(t *testing.T) *client.Client { return dialReal(t, r) },
		}
	}},
	{"rawsocket", func(t *testing.T) faultRouter {
		m := startMiniRouter(t)
		url := m.rsURL(t)
		return faultRouter{
			pongTimeout: 3 * time.Second,
			addr:        strings.TrimPrefix(url, "rs://"),
			url:         func(p *faultproxy.Proxy) string { return "rs://" + p.Addr() },
			peer:        func(t *testing.T) *client.Client { return dialRealm(t, url, interopRealm) },
		}
	}},
}

// Network faults between the client and the router, injected by a TCP
// proxy, over each transport. For each: the call in flight fails typed, the
// client reconnects on its own, its registration and subscription are back,
// and calls work again.
func TestNetworkFaults(t *testing.T) {
	for _, fr := range faultRouters {
		t.Run(fr.name, func(t *testing.T) { testNetworkFaults(t, fr.start(t)) })
	}
}

func testNetworkFaults(t *testing.T, r faultRouter) {
	faults := []struct {
		name   string
		inject func(p *faultproxy.Proxy)
		heal   func(p *faultproxy.Proxy)
	}{
		{"drop", (*faultproxy.Proxy).Drop, nil},
		{"reset", (*faultproxy.Proxy).Reset, nil},
		// A stall keeps TCP up: only the keepalive's pong timeout notices.
		// The routers never ping, so they learn of the dead session only
		// when the stalled bytes (our close) flow again: heal with Resume.
		{"stall", (*faultproxy.Proxy).Stall, (*faultproxy.Proxy).Resume},
		// A black hole also swallows the reconnection attempts until healed.
		{"black-hole", func(p *faultproxy.Proxy) { p.BlackHole(true) }, func(p *faultproxy.Proxy) { p.BlackHole(false) }},
		{"refuse-then-drop", func(p *faultproxy.Proxy) { p.Refuse(true); p.Drop() }, func(p *faultproxy.Proxy) { p.Refuse(false) }},
	}
	for _, f := range faults {
		t.Run(f.name, func(t *testing.T) {
			proxy := faultproxy.New(t, r.addr)
			rc, states := watchedReconnect()
			rc.AttemptTimeout = time.Second
			c, err := client.Dial(ctxT(t), r.url(proxy), interopRealm,
				client.WithReconnect(rc), client.WithKeepalive(250*time.Millisecond, r.pongTimeout))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { c.Close(context.Background()) })
			waitState(t, states, client.StateJoined)
			peer := r.peer(t) // straight to the router, not through the proxy

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
