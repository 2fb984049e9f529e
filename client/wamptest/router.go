package wamptest

import (
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// ErrStopped is returned by Dial, and ends the connections Pipe returns,
// while the router is stopped (Stop) or after Close.
var ErrStopped = errors.New("wamptest: router stopped")

// Router is an in-process WAMP router. Its methods are safe for concurrent
// use; see the package documentation for the model.
type Router struct {
	cfg config

	mu       sync.Mutex
	closed   bool                     // Close was called; guarded by mu
	stopped  bool                     // Stop was called and Start was not; guarded by mu
	conns    map[*conn]struct{}       // every connection being served; guarded by mu
	sessions map[protocol.ID]*session // every joined session, by id; guarded by mu
	realms   map[protocol.URI]*realm  // realms with sessions or retained events; guarded by mu
	logs     map[protocol.ID]*Log     // message logs by session id, kept after the session; guarded by mu
	lastID   protocol.ID              // last registration or subscription id; guarded by mu
	rand     *rand.Rand               // ids and the random invocation policy; guarded by mu
	lns      []func()                 // closes the listeners, with the router; guarded by mu
	wg       sync.WaitGroup           // Serve calls, Pipe goroutines, timer callbacks
}

type config struct {
	logger      *slog.Logger
	closeGrace  time.Duration
	pipeCodec   codec.Codec
	lenientIDs  bool
	accept      *wsconn.AcceptOptions
	users       []User
	noAnonymous bool
	noLog       bool
	seed        *[2]uint64
}

// Option configures NewRouter.
type Option func(*config)

// WithLogger sets the logger for connection events and protocol
// violations. The default discards everything.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithCloseGrace bounds how long the router waits for a peer at the end of
// a connection: for the client's GOODBYE after the router sent one, and
// for queued messages to be written. Past it, transports are closed. The
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

// WithUser adds an account the router authenticates with the methods its
// credentials allow (see User). May be given several times.
func WithUser(u User) Option { return func(c *config) { c.users = append(c.users, u) } }

// WithoutAnonymous refuses anonymous sessions: a HELLO must name a method
// a user of WithUser can authenticate with, or it gets ABORT
// wamp.error.no_matching_auth_method.
func WithoutAnonymous() Option { return func(c *config) { c.noAnonymous = true } }

// WithoutMessageLog turns the message logs off, for long or heavy tests
// where keeping every message would cost too much memory: Log then returns
// nil.
func WithoutMessageLog() Option { return func(c *config) { c.noLog = true } }

// WithSeed makes the router's random choices repeatable: session and
// publication ids and the callee the random invocation policy picks. By
// default they are drawn from a random seed.
func WithSeed(seed uint64) Option {
	return func(c *config) { c.seed = &[2]uint64{seed, seed ^ 0x9e3779b97f4a7c15} }
}

// NewRouter returns a router ready to serve connections. Close it when
// done: it ends every session and waits for the router's goroutines.
func NewRouter(opts ...Option) *Router {
	cfg := config{closeGrace: time.Second, pipeCodec: codec.JSON()}
	for _, o := range opts {
		o(&cfg)
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	seed := cfg.seed
	if seed == nil {
		seed = &[2]uint64{rand.Uint64(), rand.Uint64()}
	}
	return &Router{
		cfg:      cfg,
		conns:    map[*conn]struct{}{},
		sessions: map[protocol.ID]*session{},
		realms:   map[protocol.URI]*realm{},
		logs:     map[protocol.ID]*Log{},
		rand:     rand.New(rand.NewPCG(seed[0], seed[1])),
	}
}

// Serve runs one connection: the opening handshake, then the session,
// until the session or the transport ends. It closes t before it returns.
// While the router is stopped or after Close, it closes t at once.
func (r *Router) Serve(t protocol.Transport) {
	if c := r.admit(t, "custom"); c != nil {
		c.serve()
	}
}

// Close ends every session: joined sessions get GOODBYE
// wamp.close.system_shutdown and have the close grace to answer, others get
// ABORT. Then it closes every transport and waits until every goroutine of
// the router has exited, Serve calls included, and closes the listeners.
// Connections offered after Close are closed at once. Close is safe to call
// more than once.
func (r *Router) Close() {
	r.mu.Lock()
	if !r.closed {
		r.closed = true
		for c := range r.conns {
			c.gate.open()
			c.shutdown()
		}
		r.reapHeld()
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
	case <-grace.C:
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
	r.mu.Lock()
	lns := r.lns
	r.lns = nil
	r.mu.Unlock()
	for _, closeListener := range lns {
		closeListener()
	}
}

// admit registers a new connection, or closes t and returns nil while the
// router is stopped or after Close.
func (r *Router) admit(t protocol.Transport, kind string) *conn {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed || r.stopped {
		t.Close()
		return nil
	}
	c := newConn(r, t, kind)
	r.conns[c] = struct{}{}
	r.wg.Add(1)
	return c
}

// globalID draws a global-scope id (publication) uniformly from [1, 2^53]
// (basic/building_blocks.md, "IDs"). Called with r.mu held.
func (r *Router) globalID() protocol.ID { return r.rand.Uint64N(protocol.MaxID) + 1 }

// newSessionID draws a session id no joined session has. Called with r.mu
// held.
func (r *Router) newSessionID() protocol.ID {
	id := r.globalID()
	for r.sessions[id] != nil {
		id = r.globalID()
	}
	return id
}

// routerID returns the next router-scope id (registration, subscription).
// Called with r.mu held.
func (r *Router) routerID() protocol.ID {
	r.lastID = r.lastID%protocol.MaxID + 1
	return r.lastID
}
