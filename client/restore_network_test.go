package client_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/faultproxy"
	"github.com/wampgo/wampgo/protocol"
)

// The scenario over real connections: the service's TCP path goes
// silent (the proxy stalls it; no FIN, no RST), its keepalive notices and
// it rejoins on a new connection while the router, which does not ping,
// still holds the dead session and its procedure. fox-wamp cannot play
// the router here: it accepts a second REGISTER of a held procedure
// (testdata/router/QUIRKS.md) and has no wamp.session.kill, so the
// in-process router serves WebSocket and RawSocket over TCP.
func TestRestoreThroughAHalfOpenConnection(t *testing.T) {
	m := startMiniRouter(t)
	for _, tr := range []struct {
		name string
		addr string
		url  func(p *faultproxy.Proxy) string
	}{
		{"websocket", strings.TrimPrefix(m.wsURL(), "ws://"), func(p *faultproxy.Proxy) string { return p.URL("") }},
		{"rawsocket", strings.TrimPrefix(m.rsURL(t), "rs://"), func(p *faultproxy.Proxy) string { return "rs://" + p.Addr() }},
	} {
		for _, kill := range []bool{false, true} {
			name := tr.name
			if kill {
				name += "/kill-stale-session"
			}
			t.Run(name, func(t *testing.T) {
				proc := protocol.URI("com.wampgo.halfopen." + strings.ReplaceAll(name, "/", "."))
				testRestoreThroughAHalfOpenConnection(t, m, tr.addr, tr.url, proc, kill)
			})
		}
	}
}

func testRestoreThroughAHalfOpenConnection(t *testing.T, m *miniRouter, addr string, url func(*faultproxy.Proxy) string, proc protocol.URI, kill bool) {
	proxy := faultproxy.New(t, addr)
	rc, states := watchedReconnect()
	rc.AttemptTimeout, rc.KillStaleSession = time.Second, kill
	c, err := client.Dial(ctxT(t), url(proxy), interopRealm,
		client.WithReconnect(rc), client.WithKeepalive(250*time.Millisecond, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	waitState(t, states, client.StateJoined)
	reg, err := c.Register(ctxT(t), proc, func(context.Context, *client.Invocation) (client.Result, error) {
		return client.Result{Args: protocol.List{"ours"}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	peer := dialRealm(t, m.wsURL(), interopRealm)

	proxy.Stall()
	waitState(t, states, client.StateLeft)
	if kill {
		// The client kills its own stale session and restores at once.
		waitState(t, states, client.StateJoined)
	} else {
		waitState(t, states, client.StateRestoring)
		short, cancel := context.WithTimeout(ctxT(t), time.Second)
		defer cancel()
		if err := c.WaitJoined(short); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("WaitJoined while the router holds the procedure: %v", err)
		}
		if n := c.Stats().RestoresPending; n != 1 {
			t.Fatalf("RestoresPending = %d", n)
		}
		// The stalled bytes (our close) reach the router: it drops the
		// dead session, and the next retry restores the registration.
		proxy.Resume()
		if err := c.WaitJoined(ctxT(t)); err != nil {
			t.Fatal(err)
		}
	}
	select {
	case <-reg.Done():
		t.Fatal("the registration was given up")
	default:
	}
	res, err := peer.Call(ctxT(t), proc, nil, nil).Await(ctxT(t))
	if err != nil || res.Args[0] != "ours" {
		t.Fatalf("peer's call after the restore: %+v, %v", res, err)
	}
}
