package wamptest

import (
	"log/slog"
	"math/rand/v2"
	"net/http"
	"sync"
	"time"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/memconn"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// Router is an in-process WAMP router. Its methods are safe for concurrent
// use; see the package documentation for the model.
type Router struct {
	cfg config

	mu       sync.Mutex
	closed   bool                     // Close was called; guarded by mu
	conns    map[*conn]struct{}       // every connection being served; guarded by mu
	sessions map[protocol.ID]*session // every joined session, by id; guarded by mu
	realms   map[protocol.URI]*realm  // realms with at least one session; guarded by mu
	lastID   protocol.ID              // last registration or subscription id; guarded by mu
	wg       sync.WaitGroup           // Serve calls, Pipe goroutines, timer callbacks
}

type config struct {
	logger     *slog.Logger
	closeGrace time.Duration
	pipeCodec  codec.Codec
	lenientIDs bool
	accept     *wsconn.AcceptOptions
}

// Option configures New.
type Option func(*config)

// WithLogger sets the logger for connection events and protocol
// violations. The default discards everything.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithCloseGrace bounds how long the router waits for a peer at the end of
// a connection: for the client's GOODBYE after Close sent one, and for
// queued messages to be written. Past it, transports are closed. The
// default is one second.
func WithCloseGrace(d time.Duration) Option { return func(c *config) { c.closeGrace = d } }

// WithPipeCodec sets the codec that Pipe's connections serialize every
// message with, as a network connection would (the default is JSON, so
// handlers see the same Go types as over WebSocket). A nil codec passes
// messages by pointer without serializing them: the fastest choice, for
// benchmarks of the routing itself, but values keep the Go types their
// sender used.
func WithPipeCodec(c codec.Codec) Option { return func(cfg *config) { cfg.pipeCodec = c } }

// WithLenientRequestIDs turns off the check that a client's request ids
// follow the session-scope sequence 1, 2, 3, … (basic/building_blocks.md,
// "Protocol Errors"), for clients with another id generator. A CALL whose
// id matches a call in progress with progressive invocations is then taken
// as its continuation, and any other CALL as a new call.
func WithLenientRequestIDs() Option { return func(c *config) { c.lenientIDs = true } }

// WithAcceptOptions sets the options Handler passes to wsconn.Accept.
func WithAcceptOptions(o *wsconn.AcceptOptions) Option { return func(c *config) { c.accept = o } }

// New returns a router ready to serve connections.
func NewRouter(opts ...Option) *Router {
	cfg := config{closeGrace: time.Second, pipeCodec: codec.JSON()}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	return &Router{
		cfg:      cfg,
		conns:    map[*conn]struct{}{},
		sessions: map[protocol.ID]*session{},
		realms:   map[protocol.URI]*realm{},
	}
}

// Serve runs one connection: the opening handshake, then the session,
// until the session or the transport ends. It closes t before it returns.
// After Close, it closes t at once.
func (r *Router) Serve(t protocol.Transport) {
	if c := r.admit(t); c != nil {
		c.serve()
	}
}

// Pipe returns the client side of a new in-memory connection whose router
// side is served in a goroutine of the router's own (see WithPipeCodec for
// how messages travel). Connect a client to it:
//
//	c, err := client.Connect(ctx, r.Pipe(), "realm1")
func (r *Router) Pipe() protocol.Transport {
	var clientSide, routerSide protocol.Transport
	if r.cfg.pipeCodec != nil {
		clientSide, routerSide = memconn.PipeCodec(r.cfg.pipeCodec)
	} else {
		clientSide, routerSide = memconn.Pipe("json")
	}
	if c := r.admit(routerSide); c != nil {
		go c.serve()
	}
	return clientSide
}

// Handler returns an HTTP handler that upgrades each request to a WAMP
// WebSocket connection (wsconn.Accept) and serves it.
func (r *Router) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		t, err := wsconn.Accept(w, req, r.cfg.accept)
		if err != nil {
			r.cfg.logger.Debug("wamptest: websocket accept failed", "err", err)
			return
		}
		r.Serve(t)
	})
}

// Close ends every session: joined sessions get GOODBYE
// wamp.close.system_shutdown and have the close grace to answer, others get
// ABORT. Then it closes every transport and waits until every goroutine of
// the router has exited, Serve calls included. Connections offered after
// Close are closed at once. Close is safe to call more than once.
func (r *Router) Close() {
	r.mu.Lock()
	if !r.closed {
		r.closed = true
		for c := range r.conns {
			c.shutdown()
		}
	}
	r.mu.Unlock()

	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(done)
	}()
	grace := time.NewTimer(r.cfg.closeGrace)
	defer grace.Stop()
	select {
	case <-done:
		return
	case <-grace.C:
	}
	r.mu.Lock()
	stuck := make([]*conn, 0, len(r.conns))
	for c := range r.conns {
		stuck = append(stuck, c)
	}
	r.mu.Unlock()
	for _, c := range stuck {
		c.t.Close()
	}
	<-done
}

// admit registers a new connection, or closes t and returns nil after
// Close.
func (r *Router) admit(t protocol.Transport) *conn {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		t.Close()
		return nil
	}
	c := newConn(r, t)
	r.conns[c] = struct{}{}
	r.wg.Add(1)
	return c
}

// globalID draws a global-scope id (session, publication) uniformly from
// [1, 2^53] (basic/building_blocks.md, "IDs").
func globalID() protocol.ID { return rand.Uint64N(protocol.MaxID) + 1 }

// routerID returns the next router-scope id (registration, subscription).
// Called with r.mu held.
func (r *Router) routerID() protocol.ID {
	r.lastID = r.lastID%protocol.MaxID + 1
	return r.lastID
}
