package wsconn

import (
	"context"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/connstate"
	"github.com/wampgo/wampgo/protocol"
)

// Conn is a WAMP transport over one WebSocket connection, made by Dial or
// Accept. It implements protocol.Transport.
//
// # Concurrency
//
// Send, Close, Done, Err and Serializer may be called from any goroutine,
// concurrently. Receive's channel is meant for one reader, the session.
//
// # Goroutines
//
// A Conn runs one goroutine for its life, the reader. It reads and decodes
// one message at a time and delivers it on Receive's channel; it reads the
// next only once the message is taken, so a slow consumer slows the peer
// down (TCP backpressure) instead of queueing without bound. The write
// side has no goroutine of its own while idle (connstate.Writer): Send
// encodes in the caller's goroutine and queues the bytes; a goroutine
// started for the write writes them, with every message queued behind them
// meanwhile, gathered into one network write, and ends when the queue is
// empty. WriteEncoded lets a caller that is itself a writer goroutine (a
// session's) write in its own goroutine instead. Keepalive pings run on a
// timer, on a goroutine that lives for one ping. None of these outlives
// Close, and the owner must call Close in every case, also after the
// connection ended on its own. (The skeleton is connstate.Conn's, shared
// with RawSocket; the WebSocket framing is Dial's own lean client's, or
// coder/websocket's for Accept and for Dial with an HTTPClient, compression
// or a proxy.)
//
// An idle connection holds no read or write buffer of its own on Dial's
// lean path: frame headers are read into a small array, messages into
// buffers sized to them or pooled, and writes go out through a pooled
// buffer.
//
// # Ending
//
// The connection ends at the first of: Close; an error reading or writing;
// the peer's close frame; a ping timeout; a message that breaks the protocol.
// A message over the read limit does not end it: Receive delivers a
// *protocol.TooLarge in its place (see Options.ReadLimit).
// Then Done is closed and Err reports the first cause, once and for all
// (protocol.ErrTransportClosed after Close). Receive's channel is closed
// once the reader stops: every message decoded before the end is delivered
// first, unless Close was called.
//
// # After a protocol violation
//
// A message that cannot be decoded (malformed, invalid, or in a text frame
// where the serializer uses binary ones or the reverse), or a frame that
// breaks RFC 6455, ends the read side only: the reader stops, Receive's
// channel is closed, Done is closed and Err returns an error matching
// protocol.ErrProtocolViolation. The write side stays open until Close, so
// that the session can still Send an ABORT (wamp.error.protocol_violation)
// and then Close, which flushes it before the WebSocket close frame.
// Keepalive pings stop with the reader. Every other cause ends both sides
// at once: Send then fails with Err's value.
type Conn struct {
	c        *connstate.Conn
	raw      *rawConn // the network connection
	codec    codec.Codec
	subproto string
}

// newConn makes the connection over raw, whose handshake is done, and
// starts it; newFramer makes its framing.
func newConn(raw *rawConn, cd codec.Codec, cfg config, newFraming func(c *connstate.Conn) connstate.Framing) *Conn {
	c := &Conn{raw: raw, codec: cd, subproto: cd.Subprotocol()}
	c.c = connstate.NewConn(connstate.Config{
		Name:      "wsconn",
		Codec:     cd,
		ReadLimit: cfg.readLimit,
		Timing:    cfg.timing,
		Traffic:   cfg.traffic,
		CheckType: true,
	}, func(cc *connstate.Conn) connstate.Framing {
		raw.progress = cc.Progress()
		return newFraming(cc)
	})
	c.c.Start()
	cfg.timing.Log.Debug("wsconn: connected", "subprotocol", c.subproto)
	return c
}

// Send encodes msg with the negotiated codec and queues it for writing.
// It returns the codec's error at once if msg cannot be encoded (nothing
// is sent then). Otherwise it blocks until the message is queued (at once
// unless SendQueue messages wait behind a write in progress), ctx is done
// (it returns ctx's error), or the write side has stopped (it returns
// Err's value: protocol.ErrTransportClosed after Close). A queued message
// is written in order with the others; a write that fails later ends the
// connection and is reported by Err. A Send that races with Close may be
// accepted and then dropped.
//
// Send may be called from any goroutine. msg is not retained.
func (c *Conn) Send(ctx context.Context, msg protocol.Message) error { return c.c.Send(ctx, msg) }

// SendEncoded queues frames, each one message already encoded with the
// negotiated codec (see Serializer), to be written in order after what is
// queued before, back to back, in one network write when they fit. It
// blocks, and fails, as Send does. The connection owns frames and their
// bytes from then on; they are written as they are, not checked.
//
// SendEncoded may be called from any goroutine.
func (c *Conn) SendEncoded(ctx context.Context, frames [][]byte) error {
	return c.c.SendEncoded(ctx, frames)
}

// WriteEncoded is SendEncoded for a caller that is itself a writer
// goroutine, such as a session's: when no write is in progress it writes
// frames (and whatever is queued meanwhile) in the caller's goroutine and
// returns once they are written, with Err's value if the write failed;
// otherwise it queues them for the write in progress, as SendEncoded, and
// waits until they are written. A write stuck on the network is not cut
// short by ctx: Close, or a failure, ends it.
//
// WriteEncoded may be called from any goroutine.
func (c *Conn) WriteEncoded(ctx context.Context, frames [][]byte) error {
	return c.c.WriteEncoded(ctx, frames)
}

// WriteStats reports how many message frames were written (counted as
// each write starts, so a frame the peer has read is counted) and in how
// many writes to the network connection they left (pings and close frames
// included in the latter).
func (c *Conn) WriteStats() (frames, writes uint64) {
	return c.raw.frames.Load(), c.raw.writes.Load()
}

// Receive returns the channel of decoded messages. It is closed when the
// reader stops: after the connection ended and every message decoded before
// was delivered, or at Close. Only one goroutine should receive from it.
func (c *Conn) Receive() <-chan protocol.Message { return c.c.Receive() }

// Done is closed once the connection has ended, for any reason.
func (c *Conn) Done() <-chan struct{} { return c.c.Done() }

// Err returns why the connection ended, or nil while it runs. The value is
// the first cause and never changes: protocol.ErrTransportClosed after
// Close, ErrPingTimeout, an error matching ErrMessageTooLarge, a *CloseError
// for the peer's close frame, an error matching
// protocol.ErrProtocolViolation for an undecodable message or a bad frame,
// or a wrapped network error.
func (c *Conn) Err() error { return c.c.Err() }

// Serializer returns the negotiated codec's name, such as "json".
func (c *Conn) Serializer() string { return c.codec.Name() }

// Subprotocol returns the negotiated WebSocket subprotocol, such as
// "wamp.2.json".
func (c *Conn) Subprotocol() string { return c.subproto }

// Close ends the connection and releases everything it holds. It stops
// accepting messages, lets the writer write those already queued, sends a
// WebSocket close frame (1000, normal closure) and waits for the peer's,
// all within CloseTimeout; after that it closes the network connection.
// Then it waits for the connection's goroutines to exit.
//
// Close may be called from any goroutine, more than once; later calls wait
// for the first and return its result. It returns nil when the closing
// handshake completed or the connection had already failed, and otherwise
// the error met (a handshake cut short by CloseTimeout is one).
func (c *Conn) Close() error { return c.c.Close() }
