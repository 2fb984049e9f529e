package client

import (
	"crypto/tls"
	"log/slog"
	"math"
	"net/http"
	"time"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// Option configures Dial and Connect.
type Option func(*config)

type config struct {
	logger        *slog.Logger
	onError       func(error)
	outboundBytes int // bound of the queue to the connection's writer
	helloDetails  protocol.Dict
	closeTimeout  time.Duration
	joinTimeout   time.Duration
	auth          authConfig // WithAuth, WithAuthExtra
	policy        policy     // join_policy.go: WithUnverifiedRouter, WithPlaintextSecrets, WithSameHostRedirects
	reconnect     *Reconnect // nil: one session only
	stats         counters   // the client's statistics (stats.go)
	connectErr    error      // why the first connection failed (retry_connect.go)
	interceptors  []Interceptor
	keyRing       KeyRing // WithKeyRing (ppt.go)
	panicDetails  bool    // WithPanicDetails

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
	if c.outboundBytes <= 0 {
		c.outboundBytes = defaultOutboundBytes
	}
	return c
}

// codecFor returns the codec of the serializer named name: the one given
// to WithSerializers, else package codec's with default limits.
func (c *config) codecFor(name string) (codec.Codec, bool) {
	for _, cd := range c.codecs {
		if cd.Name() == name {
			return cd, true
		}
	}
	return codec.ByName(name)
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

// WithWriteQueue bounds, in bytes of encoded payload, what the session
// queues for the connection's writer (default 8 MiB). The session never
// waits for the connection itself: when the writer falls that far behind
// (a router that reads slowly, a large publish draining), the session stops
// taking new requests — Call, Publish and the other methods wait for room,
// bounded by their context and by the session's end — while it goes on
// handling what the router sends (results, events, interrupts) and the
// cancels of calls. A request larger than the bound still goes through,
// alone.
func WithWriteQueue(bytes int) Option { return func(c *config) { c.outboundBytes = bytes } }

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
// (default: codec.Default(), that is CBOR, MessagePack, JSON). The session
// encodes with the negotiated one of them.
func WithSerializers(cs ...codec.Codec) Option { return func(c *config) { c.codecs = cs } }

// WithTLSConfig sets the TLS configuration for wss://, rss:// and tcps://
// URLs.
func WithTLSConfig(t *tls.Config) Option { return func(c *config) { c.tlsConfig = t } }

// WithHTTPHeader adds headers to the WebSocket opening handshake (RawSocket
// has none).
func WithHTTPHeader(h http.Header) Option { return func(c *config) { c.header = h } }

// WithReadLimit bounds the size of one incoming message in bytes (default
// 16 MiB; a negative value removes the bound). It governs the transport's
// frame limit and the codecs' own message size limit alike (Dial builds the
// codecs of WithSerializers anew with it), so that a message within it is
// never refused by either. Over RawSocket it is announced to the router as
// a power of two between 512 bytes and 16 MiB (rounded down), and the
// router must not send more.
//
// A message over the limit costs only its operation, not the session: the
// transport reads it through without holding it (no more than the limit in
// memory), reads its type and request id from its first bytes, and the
// client then
//
//   - answers an INVOCATION with ERROR wamp.error.payload_size_exceeded
//     (URIPayloadSizeExceeded), so that the caller gets a typed error at
//     once, and ends a running invocation whose input chunk it was;
//   - fails the call (or other request) that a RESULT or ERROR answered
//     with a *MessageTooLargeError, matching ErrMessageTooLarge;
//   - drops an EVENT as a full mailbox does: Stats.EventsDropped counts it
//     and the error handler gets a *MessageTooLargeError;
//   - ends the session, as a protocol violation matching
//     ErrMessageTooLarge, for a session-level message (WELCOME, CHALLENGE,
//     ABORT, GOODBYE…), any other, and one whose first bytes do not tell
//     its type and request id.
func WithReadLimit(n int64) Option { return func(c *config) { c.readLimit = n } }

// dialCodecs returns the codecs Dial offers, their message size limit set
// to the read limit, when one is given.
func (c *config) dialCodecs() []codec.Codec {
	cs := c.codecs
	if len(cs) == 0 {
		cs = codec.Default()
	}
	if c.readLimit == 0 {
		return cs
	}
	size := math.MaxInt
	if c.readLimit > 0 && c.readLimit < int64(math.MaxInt) {
		size = int(c.readLimit)
	}
	out := make([]codec.Codec, 0, len(cs))
	for _, cd := range cs {
		var lim codec.Limits
		if l, ok := cd.(interface{ Limits() codec.Limits }); ok {
			lim = l.Limits()
		}
		if lim.MaxDecodedSize == codec.DefaultDecodedSizeRatio*lim.MaxMessageSize {
			lim.MaxDecodedSize = 0 // the default follows the new size
		}
		lim.MaxMessageSize = size
		if nc, ok := codec.New(cd.Name(), lim); ok {
			cd = nc
		}
		out = append(out, cd)
	}
	return out
}

// WithKeepalive sets the WebSocket or RawSocket ping interval and how long
// to wait for the pong before the connection is declared dead (defaults 30s
// and 10s). An interval of 0 turns pings off.
func WithKeepalive(interval, pongTimeout time.Duration) Option {
	return func(c *config) { c.pingInterval, c.pongTimeout = interval, pongTimeout }
}
