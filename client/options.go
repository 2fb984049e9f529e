package client

import (
	"crypto/tls"
	"log/slog"
	"net/http"
	"time"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// Option configures Dial and Connect.
type Option func(*config)

type config struct {
	logger       *slog.Logger
	onError      func(error)
	ids          IDGenerator
	helloDetails protocol.Dict
	closeTimeout time.Duration
	joinTimeout  time.Duration
	auth         authConfig // WithAuth, WithAuthExtra
	reconnect    *Reconnect // nil: one session only
	stats        counters   // the client's statistics (stats.go)
	connectErr   error      // why the first connection failed (retry_connect.go)
	interceptors []Interceptor

	// Used by Dial only.
	codecs       []codec.Codec
	tlsConfig    *tls.Config
	header       http.Header
	readLimit    int64
	pingInterval time.Duration
	pongTimeout  time.Duration
}

func newConfig(opts []Option) *config {
	c := &config{
		closeTimeout: 5 * time.Second,
		joinTimeout:  30 * time.Second,
		pingInterval: 30 * time.Second,
		pongTimeout:  10 * time.Second,
	}
	for _, o := range opts {
		o(c)
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	if c.ids == nil {
		c.ids = &SequentialIDs{}
	}
	return c
}

// WithLogger sets the logger for session events (joins, ends, dropped
// events, handler panics). The default discards everything.
func WithLogger(l *slog.Logger) Option { return func(c *config) { c.logger = l } }

// WithErrorHandler sets a function that receives errors that no caller is
// waiting for: *SlowConsumerError, *HandlerPanicError, failures to send a
// handler's reply, restores that failed after a reconnect. It runs on a
// goroutine of its own, one error at a time, in order; it may use the
// client.
func WithErrorHandler(f func(error)) Option { return func(c *config) { c.onError = f } }

// WithIDGenerator replaces the request-id generator (default: a fresh
// SequentialIDs).
func WithIDGenerator(g IDGenerator) Option { return func(c *config) { c.ids = g } }

// WithHelloDetails adds entries to HELLO.Details (for example "agent" or
// "authid"). The "roles" entry is always the client's own.
func WithHelloDetails(d protocol.Dict) Option {
	return func(c *config) {
		if c.helloDetails == nil {
			c.helloDetails = protocol.Dict{}
		}
		for k, v := range d {
			c.helloDetails[k] = v
		}
	}
}

// WithCloseTimeout bounds how long Close waits for the router's GOODBYE
// when its context has no earlier deadline (default 5s).
func WithCloseTimeout(d time.Duration) Option { return func(c *config) { c.closeTimeout = d } }

// WithJoinTimeout bounds how long Connect waits for WELCOME when its
// context has no earlier deadline (default 30s).
func WithJoinTimeout(d time.Duration) Option { return func(c *config) { c.joinTimeout = d } }

// WithSerializers sets the codecs Dial offers, in order of preference
// (default: JSON, MessagePack, CBOR).
func WithSerializers(cs ...codec.Codec) Option { return func(c *config) { c.codecs = cs } }

// WithTLSConfig sets the TLS configuration for wss:// URLs.
func WithTLSConfig(t *tls.Config) Option { return func(c *config) { c.tlsConfig = t } }

// WithHTTPHeader adds headers to the WebSocket opening handshake.
func WithHTTPHeader(h http.Header) Option { return func(c *config) { c.header = h } }

// WithReadLimit bounds the size of one incoming message in bytes.
func WithReadLimit(n int64) Option { return func(c *config) { c.readLimit = n } }

// WithKeepalive sets the WebSocket ping interval and how long to wait for
// the pong before the connection is declared dead (defaults 30s and 10s).
// An interval of 0 turns pings off.
func WithKeepalive(interval, pongTimeout time.Duration) Option {
	return func(c *config) { c.pingInterval, c.pongTimeout = interval, pongTimeout }
}

// WithAuth makes the client authenticate as authid, offering the methods in
// order of preference (without it, HELLO offers nothing and routers that
// allow it grant anonymous access).
//
// HELLO.Details then carries "authid" (left out when authid is empty, as
// WAMP-Cryptosign allows: the router identifies the client by its public
// key), "authmethods" (the methods' names, in the order given) and
// "authextra": the dict of WithAuthExtra merged with each method's own
// entries (Cryptosign's "pubkey", SCRAM's "nonce", "channel_binding"); two
// methods that need different values for one entry make the join fail.
// These replace any "authid", "authmethods" and "authextra" given with
// WithHelloDetails.
//
// The router answers with a CHALLENGE for one of the methods; the client
// answers it with AUTHENTICATE (see the method's constructor: Ticket,
// TicketFunc, WAMPCRA, Cryptosign and its variants, SCRAM, or
// ChallengeHandler for any other method), possibly for several rounds,
// until the router sends WELCOME or ABORT. On WELCOME the methods that
// authenticate the router check its proof (SCRAM's verifier), and
// Client.Session reports the authid, authrole, authmethod and authprovider
// the router granted. A WELCOME for a method that was not offered (such as
// "anonymous") is accepted as the router's decision: check
// Session().AuthMethod if that matters.
//
// Every authentication failure is an *AuthError matching
// ErrAuthentication:
//
//   - the router refused (ABORT such as wamp.error.not_authorized or
//     wamp.error.authentication_failed, or any ABORT after AUTHENTICATE):
//     its *AbortError, with the router's reason and message, is wrapped;
//   - a CHALLENGE for a method that was not offered (ErrAuthMethodNotOffered),
//     a CHALLENGE the method cannot use (ErrBadChallenge), a failed channel
//     binding (ErrChannelBinding), an error from a method (such as a
//     TicketFunc's), or a WELCOME whose proof of the router's identity is
//     missing or wrong (ErrRouterNotAuthenticated): the client sends ABORT
//     wamp.error.authentication_failed, with the error's text as the
//     message, and closes the connection.
//
// An error that concerns the configuration or the connection (a bad key,
// channel binding unavailable on a connection without TLS, SCRAM without
// authid) ends the join before HELLO is sent.
//
// Secrets (tickets, WAMP-CRA secrets, private keys, passwords and what is
// derived from them) never appear in errors, logs, ABORT messages or the
// printed form of the authenticators: String, GoString and every fmt verb
// print only the method's name.
//
// The whole exchange is bounded by the join timeout (WithJoinTimeout) and
// the context of Dial or Connect, which is passed to Authenticate (and so to
// a TicketFunc). Key derivation (salted WAMP-CRA, SCRAM) does not watch the
// context; its cost is bounded by KDFLimits instead.
func WithAuth(authid string, methods ...Authenticator) Option {
	return func(c *config) {
		c.auth.set = true
		c.auth.authid = authid
		c.auth.methods = methods
	}
}

// WithAuthExtra adds entries to HELLO.Details.authextra, passed through to
// the router as given (for example a Crossbar activation code). Entries
// that a method of WithAuth sets itself take that method's value.
func WithAuthExtra(extra protocol.Dict) Option {
	return func(c *config) {
		if c.auth.extra == nil {
			c.auth.extra = protocol.Dict{}
		}
		for k, v := range extra {
			c.auth.extra[k] = v
		}
	}
}
