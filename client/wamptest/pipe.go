package wamptest

import (
	"context"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/transport/memconn"
	"github.com/wampgo/wampgo/protocol"
)

// Pipe returns the client side of a new in-memory connection whose router
// side is served in a goroutine of the router's own (see WithPipeCodec for
// how messages travel). The pair itself starts no goroutine, so a router,
// its pipes and the clients on them can all live inside a testing/synctest
// bubble. Join a client to it with client.Connect, or use Connect:
//
//	c, err := client.Connect(ctx, r.Pipe(), "realm1")
//
// While the router is stopped (Stop) or after Close, the connection is
// already closed.
func (r *Router) Pipe() protocol.Transport {
	var clientSide, routerSide protocol.Transport
	if r.cfg.pipeCodec != nil {
		clientSide, routerSide = memconn.PipeCodec(r.cfg.pipeCodec)
	} else {
		clientSide, routerSide = memconn.Pipe("json")
	}
	if c := r.admit(routerSide, "memory"); c != nil {
		go c.serve()
	}
	return clientSide
}

// Dial opens an in-memory connection to the router, whatever url says,
// or fails with ErrStopped while the router is stopped or after Close. Its
// signature is client.Reconnect's Dial, so that a reconnecting client can
// live on pipes:
//
//	client.WithReconnect(client.Reconnect{URLs: []string{"mem://router"}, Dial: r.Dial})
func (r *Router) Dial(ctx context.Context, url string) (protocol.Transport, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	r.mu.Lock()
	down := r.stopped || r.closed
	r.mu.Unlock()
	if down {
		return nil, ErrStopped
	}
	return r.Pipe(), nil
}

// Connect joins a client to realm over a new in-memory pipe (Pipe). The
// options are the client's own (authentication, logging, reconnection…);
// as with client.Connect, the options of the connection Dial opens
// (WithTLSConfig, WithHTTPHeader, WithReadLimit, WithKeepalive) are
// refused with an error matching client.ErrInvalidArgument.
func (r *Router) Connect(ctx context.Context, realm string, opts ...client.Option) (*client.Client, error) {
	return client.Connect(ctx, r.Pipe(), realm, opts...)
}

// testTimeout bounds Client's join and Close.
const testTimeout = 10 * time.Second

// Client joins a client to realm over a new in-memory pipe, failing the
// test if it cannot, and closes the client when the test ends (before the
// router, when NewTestRouter made it).
func (r *Router) Client(tb testing.TB, realm string, opts ...client.Option) *client.Client {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	defer cancel()
	c, err := r.Connect(ctx, realm, opts...)
	if err != nil {
		tb.Fatalf("wamptest: join %s: %v", realm, err)
	}
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
		defer cancel()
		c.Close(ctx)
	})
	return c
}

// NewTestRouter returns a router closed when the test ends.
func NewTestRouter(tb testing.TB, opts ...Option) *Router {
	r := NewRouter(opts...)
	tb.Cleanup(r.Close)
	return r
}
