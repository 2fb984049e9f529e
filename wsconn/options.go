package wsconn

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/connstate"
)

// Defaults for the zero fields of Options and AcceptOptions.
const (
	// DefaultReadLimit is the default largest message accepted: 16 MiB.
	DefaultReadLimit = 16 << 20
	// DefaultSendQueue is the default number of encoded messages that
	// Send may queue ahead of the writer.
	DefaultSendQueue = 16
	// DefaultCloseTimeout is the default bound on Close's graceful part.
	DefaultCloseTimeout = time.Second
)

// Options configures Dial. A nil *Options selects every default.
type Options struct {
	// Codecs lists the serializers to offer, most preferred first; each
	// codec's Subprotocol is offered in this order and the server picks
	// one. Nil or empty means codec.Default().
	Codecs []codec.Codec

	// TLSConfig configures TLS for wss:// URLs. It may not be combined
	// with HTTPClient (configure TLS on that client's Transport instead).
	// Nil means the crypto/tls defaults.
	TLSConfig *tls.Config

	// HTTPHeader holds extra headers for the handshake request, such as
	// Authorization or Origin. Dial does not modify it.
	HTTPHeader http.Header

	// FollowRedirects lets the handshake follow HTTP redirects to the same
	// scheme and host (port included). By default Dial fails on a
	// redirect with an error matching ErrRedirect; a redirect to another
	// scheme or host (a wss:// router sending the client to ws://, where
	// HTTPHeader and the URL's credentials would travel in plaintext)
	// fails it always, also with an HTTPClient of the caller's, whose
	// CheckRedirect then runs only for the redirects allowed here.
	FollowRedirects bool

	// HTTPClient performs the handshake request, through coder/websocket's
	// client. Its Transport must return a writable body for a 101
	// response, as *http.Transport does; its Timeout, if any, bounds the
	// handshake only. Nil means Dial's own lean client: it dials (NetDial,
	// TLS with TLSConfig) and runs the HTTP/1.1 upgrade itself, and frames
	// the connection without buffers held while idle; unless Compression is
	// set or an HTTP proxy applies (http.ProxyFromEnvironment), which take
	// coder/websocket's client over a new *http.Transport cloned from
	// http.DefaultTransport (with TLSConfig and NetDial), private to the
	// connection.
	HTTPClient *http.Client

	// ReadLimit is the largest message, in bytes, that the peer may send.
	// A longer one is read through and discarded, holding no more than
	// the limit in memory, and Receive delivers a *protocol.TooLarge in
	// its place (its type and ids, read from its head) so that the session
	// can fail the operation it belongs to; the connection goes on. When
	// its head cannot be read, the read side ends as for an undecodable
	// message, with an error matching ErrMessageTooLarge and
	// protocol.ErrProtocolViolation. Zero means
	// DefaultReadLimit; a negative value removes the limit (the codec's own
	// size limit still applies).
	ReadLimit int64

	// PingInterval is how long the connection waits after a keepalive
	// pong before sending the next WebSocket ping. Zero disables keepalive
	// pings; the connection then relies on TCP to notice a dead peer,
	// which may take hours.
	PingInterval time.Duration

	// PongTimeout is how long after a ping the peer has to show signs of
	// life (a pong or any other data) before the connection ends with
	// ErrPingTimeout. Time during which the connection's reader is held up
	// by a slow consumer of Receive does not count, as the pong waits
	// behind the messages not yet taken. It should exceed the time needed
	// to receive the largest message. Zero means PingInterval; it is
	// ignored when pings are disabled. Values above 5s are allowed, but a
	// ping that cannot even be written within 5s (coder/websocket's limit
	// for control frames) ends the connection then, with a network error.
	PongTimeout time.Duration

	// Compression selects permessage-deflate compression. The zero value,
	// websocket.CompressionDisabled, turns it off. With compression, Dial
	// uses coder/websocket's client (see HTTPClient).
	Compression websocket.CompressionMode

	// SendQueue is how many encoded messages Send may queue ahead of the
	// writer before it blocks. Zero means DefaultSendQueue; a negative
	// value means no queue (Send waits for the writer to take the message).
	SendQueue int

	// CloseTimeout bounds Close's graceful part: writing what Send has
	// queued, then the WebSocket closing handshake. When it expires, Close
	// closes the network connection. Zero means DefaultCloseTimeout.
	// coder/websocket bounds each step of the handshake by 5s of its own,
	// so a longer value only gives more time to the queued writes.
	CloseTimeout time.Duration

	// Logger receives debug records about the connection's life (the
	// negotiated subprotocol, why it ended). Nil discards them.
	Logger *slog.Logger

	// Traffic, if not nil, counts the bytes the connection reads and
	// writes (see Traffic).
	Traffic *Traffic

	// NetDial, if set, opens the network connection of the handshake
	// (network "tcp"; TLS, for wss://, is run over it by Dial) in place of
	// a net.Dialer: for a custom dialer, a connection that counts its
	// traffic, or an in-memory pipe. It may not be combined with
	// HTTPClient (whose Transport dials instead).
	NetDial func(ctx context.Context, network, addr string) (net.Conn, error)
}

// AcceptOptions configures Accept. A nil *AcceptOptions selects every
// default.
type AcceptOptions struct {
	// Codecs lists the serializers the server supports, most preferred
	// first. Accept selects the first of them whose subprotocol the client
	// offered, whatever the client's order. Nil or empty means
	// codec.Default().
	Codecs []codec.Codec

	// OriginPatterns lists host patterns (path.Match syntax) of the
	// origins allowed to connect besides the request's own host; see
	// websocket.AcceptOptions.OriginPatterns.
	OriginPatterns []string

	// InsecureSkipVerify disables the origin check, allowing cross-origin
	// requests from anywhere.
	InsecureSkipVerify bool

	// ReadLimit is as in Options.
	ReadLimit int64
	// PingInterval is as in Options.
	PingInterval time.Duration
	// PongTimeout is as in Options.
	PongTimeout time.Duration
	// Compression is as in Options; compression is used only if the
	// client asks for it too.
	Compression websocket.CompressionMode
	// SendQueue is as in Options.
	SendQueue int
	// CloseTimeout is as in Options.
	CloseTimeout time.Duration
	// Logger is as in Options.
	Logger *slog.Logger
}

// config is the options common to both sides, defaults applied.
type config struct {
	codecs    []codec.Codec
	readLimit int64
	timing    connstate.Timing // normalized
	traffic   *Traffic         // nil: not counted
}

func newConfig(codecs []codec.Codec, readLimit int64, ping, pong time.Duration,
	sendQueue int, closeTimeout time.Duration, log *slog.Logger) (config, error) {
	c := config{
		codecs:    codecs,
		readLimit: readLimit,
	}
	if len(c.codecs) == 0 {
		c.codecs = codec.Default()
	}
	for _, cd := range c.codecs {
		if cd == nil {
			return config{}, errors.New("wsconn: nil codec in Codecs")
		}
	}
	switch {
	case c.readLimit == 0:
		c.readLimit = DefaultReadLimit
	case c.readLimit < 0:
		c.readLimit = -1
	}
	t := connstate.Timing{PingInterval: ping, PongTimeout: pong, SendQueue: sendQueue, CloseTimeout: closeTimeout, Log: log}
	if err := t.Normalize("wsconn", DefaultSendQueue, DefaultCloseTimeout); err != nil {
		return config{}, err
	}
	c.timing = t
	return c, nil
}

func (o *Options) config() (config, error) {
	if o == nil {
		o = &Options{}
	}
	if o.TLSConfig != nil && o.HTTPClient != nil {
		return config{}, errors.New("wsconn: Options.TLSConfig and Options.HTTPClient are exclusive")
	}
	if o.NetDial != nil && o.HTTPClient != nil {
		return config{}, errors.New("wsconn: Options.NetDial and Options.HTTPClient are exclusive")
	}
	c, err := newConfig(o.Codecs, o.ReadLimit, o.PingInterval, o.PongTimeout,
		o.SendQueue, o.CloseTimeout, o.Logger)
	c.traffic = o.Traffic
	return c, err
}

func (o *AcceptOptions) config() (config, error) {
	if o == nil {
		o = &AcceptOptions{}
	}
	return newConfig(o.Codecs, o.ReadLimit, o.PingInterval, o.PongTimeout,
		o.SendQueue, o.CloseTimeout, o.Logger)
}

// subprotocols lists the codecs' subprotocols in order.
func subprotocols(codecs []codec.Codec) []string {
	sp := make([]string, len(codecs))
	for i, c := range codecs {
		sp[i] = c.Subprotocol()
	}
	return sp
}
