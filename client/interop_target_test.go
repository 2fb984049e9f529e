package client_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/routertest"
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/wsconn"
)

// The router the TestRealRouter… suite runs against. Unset, it is fox-wamp
// (started by internal/testkit/routertest). Set, WAMPGO_ROUTER_URL names one or
// more routers, comma-separated, over any transport Dial speaks, such as
// "ws://127.0.0.1:8080/ws,rs://127.0.0.1:8081"; WAMPGO_ROUTER_REALM names
// the realm (default wampgo_interop). `make interop` runs the suite.
const (
	routerURLEnv   = "WAMPGO_ROUTER_URL"
	routerRealmEnv = "WAMPGO_ROUTER_REALM"
)

// interopTarget is one way to reach the router under test: a URL (so a
// transport) and a serializer.
type interopTarget struct {
	url   string
	realm string
	codec codec.Codec
}

// URL returns the router's URL.
func (it interopTarget) URL() string { return it.url }

// options are the client options that select the target's serializer.
func (it interopTarget) options() []client.Option {
	return []client.Option{client.WithSerializers(it.codec)}
}

// forEachInteropTarget runs f, in a subtest named transport/serializer,
// for every URL of the router under test and every serializer it accepts
// there. A serializer the router refuses in negotiation is skipped with a
// note; any other failure to join fails the subtest.
func forEachInteropTarget(t *testing.T, f func(t *testing.T, r interopTarget)) {
	realm := os.Getenv(routerRealmEnv)
	if realm == "" {
		realm = interopRealm
	}
	var urls []string
	for u := range strings.SplitSeq(os.Getenv(routerURLEnv), ",") {
		if u = strings.TrimSpace(u); u != "" {
			urls = append(urls, u)
		}
	}
	if len(urls) == 0 {
		urls = []string{routertest.Start(t).URL()}
	}
	forEachTargetAt(t, urls, realm, f)
}

// forEachTargetAt is forEachInteropTarget for the routers at urls, in realm.
func forEachTargetAt(t *testing.T, urls []string, realm string, f func(t *testing.T, r interopTarget)) {
	for _, u := range urls {
		scheme, _, _ := strings.Cut(u, "://")
		for _, cd := range codec.Default() {
			target := interopTarget{url: u, realm: realm, codec: cd}
			t.Run(scheme+"/"+cd.Name(), func(t *testing.T) {
				if err := target.probe(); err != nil {
					if refusedSerializer(err) {
						t.Skipf("%s does not offer %s: %v", u, cd.Name(), err)
					}
					t.Fatalf("join %s with %s: %v", u, cd.Name(), err)
				}
				f(t, target)
			})
		}
	}
}

// probes caches each target's probe result for the test binary's life.
var probes sync.Map // interopTarget key string → error (nil allowed via probeResult)

type probeResult struct{ err error }

// probe joins once with the target's serializer, reporting the error.
func (it interopTarget) probe() error {
	key := it.url + " " + it.realm + " " + it.codec.Name()
	if r, ok := probes.Load(key); ok {
		return r.(probeResult).err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, it.url, it.realm, it.options()...)
	if err == nil {
		c.Close(ctx)
	}
	probes.Store(key, probeResult{err})
	return err
}

// refusedSerializer reports whether err is a router's refusal of the
// serializer: no WebSocket subprotocol agreed, or RawSocket's error reply.
func refusedSerializer(err error) bool {
	var ne *wsconn.NegotiationError
	return errors.As(err, &ne) || errors.Is(err, rawsocket.ErrSerializerUnsupported)
}
