package rawsocket

import (
	"crypto/tls"
	"errors"
	"log/slog"
	"time"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/connstate"
)

// Defaults for the zero fields of Options and ServerOptions.
const (
	// DefaultReadLimit is the default maximum message length announced
	// in the handshake: 16 MiB, the most RawSocket allows.
	DefaultReadLimit = MaxMaxLength
	// DefaultSendQueue is the default number of encoded messages that
	// Send may queue ahead of the writer.
	DefaultSendQueue = 16
	// DefaultCloseTimeout is the default bound on Close's graceful part.
	DefaultCloseTimeout = time.Second
	// DefaultHandshakeTimeout bounds a server's wait for a client's
	// handshake request.
	DefaultHandshakeTimeout = 10 * time.Second
)

// Options configures Dial. A nil *Options selects every default.
type Options struct {
	// Codecs lists the serializers to request, most preferred first. A
	// RawSocket handshake names one serializer: Dial requests the first,
	// and only when the router answers that it does not support it
	// (ErrSerializerUnsupported) does it connect again with the next.
	// Nil or empty means codec.Default().
	Codecs []codec.Codec

	// TLSConfig configures TLS for rss:// and tcps:// URLs. Nil means the
	// crypto/tls defaults with the URL's host as ServerName.
	TLSConfig *tls.Config

	// ReadLimit is the largest message, in bytes, that the router may
	// send. It is announced in the handshake as a power of two between
	// 512 bytes and 16 MiB: the value is rounded down to one (and up to
	// 512). A longer message is read through and discarded, and Receive
	// delivers a *protocol.TooLarge in its place; when its head cannot be
	// read, the read side ends with an error matching ErrMessageTooLarge
	// and protocol.ErrProtocolViolation. Zero or a
	// negative value means DefaultReadLimit.
	ReadLimit int64

	// PingInterval is how long the connection waits after a keepalive
	// PONG before sending the next PING. Zero disables keepalive pings.
	PingInterval time.Duration

	// PongTimeout is how long after a PING the peer has to show signs of
	// life (a PONG or any other data) before the connection ends with
	// ErrPingTimeout. Time during which the reader is held up by a slow
	// consumer of Receive does not count. Zero means PingInterval.
	PongTimeout time.Duration

	// SendQueue is how many encoded messages Send may queue ahead of the
	// writer before it blocks. Zero means DefaultSendQueue; a negative
	// value means no queue.
	SendQueue int

	// CloseTimeout bounds Close's graceful part (writing what Send has
	// queued). Zero means DefaultCloseTimeout.
	CloseTimeout time.Duration

	// Logger receives debug records about the connection's life. Nil
	// discards them.
	Logger *slog.Logger

	// Traffic, if not nil, counts the bytes of the messages the connection
	// reads and writes, by the rules of connstate.Traffic: the payloads of
	// message frames only, not their 4-octet prefixes, PING and PONG
	// frames, or the handshake.
	Traffic *connstate.Traffic
}

// ServerOptions configures the server side (Server, Listen). A nil
// *ServerOptions selects every default.
type ServerOptions struct {
	// Codecs lists the serializers the server supports. A client that
	// requests another one is answered CodeSerializerUnsupported. Nil or
	// empty means codec.Default().
	Codecs []codec.Codec

	// MaxConnections bounds how many connections a Listener serves at
	// once; a client beyond it is answered CodeConnectionLimit. Zero means
	// no bound. Server ignores it.
	MaxConnections int

	// HandshakeTimeout bounds the wait for a client's handshake request.
	// Zero means DefaultHandshakeTimeout.
	HandshakeTimeout time.Duration

	// ReadLimit, PingInterval, PongTimeout, SendQueue, CloseTimeout,
	// Logger and Traffic are as in Options (ReadLimit is announced in the
	// reply). A Traffic given here is shared by every connection served.
	ReadLimit    int64
	PingInterval time.Duration
	PongTimeout  time.Duration
	SendQueue    int
	CloseTimeout time.Duration
	Logger       *slog.Logger
	Traffic      *connstate.Traffic
}

// config is the options common to both sides, defaults applied.
type config struct {
	codecs    []codec.Codec
	readExp   uint8              // announced exponent
	readLimit int64              // announced and enforced
	timing    connstate.Timing   // normalized
	traffic   *connstate.Traffic // nil: not counted
}

func newConfig(codecs []codec.Codec, readLimit int64, ping, pong time.Duration,
	sendQueue int, closeTimeout time.Duration, log *slog.Logger) (config, error) {
	c := config{
		codecs: codecs,
	}
	if len(c.codecs) == 0 {
		c.codecs = codec.Default()
	}
	for _, cd := range c.codecs {
		if cd == nil {
			return config{}, errors.New("rawsocket: nil codec in Codecs")
		}
		if _, ok := SerializerOf(cd); !ok {
			return config{}, errors.New("rawsocket: codec " + cd.Name() + " has no RawSocket serializer id")
		}
	}
	if readLimit <= 0 {
		readLimit = DefaultReadLimit
	}
	c.readExp, c.readLimit = lengthExponent(readLimit)
	t := connstate.Timing{PingInterval: ping, PongTimeout: pong, SendQueue: sendQueue, CloseTimeout: closeTimeout, Log: log}
	if err := t.Normalize("rawsocket", DefaultSendQueue, DefaultCloseTimeout); err != nil {
		return config{}, err
	}
	c.timing = t
	return c, nil
}

func (o *Options) config() (config, error) {
	if o == nil {
		o = &Options{}
	}
	c, err := newConfig(o.Codecs, o.ReadLimit, o.PingInterval, o.PongTimeout,
		o.SendQueue, o.CloseTimeout, o.Logger)
	c.traffic = o.Traffic
	return c, err
}

func (o *ServerOptions) config() (config, time.Duration, error) {
	if o == nil {
		o = &ServerOptions{}
	}
	cfg, err := newConfig(o.Codecs, o.ReadLimit, o.PingInterval, o.PongTimeout,
		o.SendQueue, o.CloseTimeout, o.Logger)
	cfg.traffic = o.Traffic
	hs := o.HandshakeTimeout
	if hs <= 0 {
		hs = DefaultHandshakeTimeout
	}
	return cfg, hs, err
}
