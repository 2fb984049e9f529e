package rawsocket

import (
	"context"
	"crypto/tls"
	"net"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/connstate"
	"github.com/wampgo/wampgo/protocol"
)

// Conn is a WAMP transport over one RawSocket connection, made by Dial,
// Client, Server or a Listener. It implements protocol.Transport with the
// semantics of wsconn.Conn, on the same skeleton (connstate.Conn) with
// RawSocket's framing (rawFramer).
//
// # Concurrency
//
// Send, Close, Done, Err, Serializer and the limit and TLS accessors may be
// called from any goroutine, concurrently. Receive's channel is meant for
// one reader, the session.
//
// # Goroutines
//
// A Conn runs one goroutine for its life, the reader. It reads one frame at
// a time, answers PING with PONG, and decodes and delivers each message on
// Receive's channel; it reads the next frame only once the message is
// taken, so a slow consumer slows the peer down. The write side has no
// goroutine of its own while idle (connstate.Writer): Send encodes in the
// caller's goroutine, checks the length against the peer's limit and
// queues the frame; a goroutine started for the write writes it, with
// every frame queued behind it meanwhile, through one buffer with one
// flush, and ends when the queue is empty. WriteEncoded lets a caller that
// is itself a writer goroutine (a session's) write in its own goroutine
// instead. Keepalive pings run on a timer, on a goroutine that lives for
// one ping. None of these outlives Close, and the owner must call Close in
// every case, also after the connection ended on its own.
//
// An idle connection holds no read or write buffer but a small read array:
// payloads are read into pooled buffers (or, when large, buffers sized to
// them) released once decoded, and writes go out through a pooled buffer.
//
// # Ending
//
// The connection ends at the first of: Close; an error reading or writing
// (the peer closing the stream is ErrPeerClosed); a ping timeout; a frame
// or message that breaks the protocol. Then Done is closed and Err reports
// the first cause, once and for all (protocol.ErrTransportClosed after
// Close). Receive's channel is closed once the reader stops: every message
// decoded before the end is delivered first, unless Close was called.
//
// # After a protocol violation
//
// A frame that breaks the protocol (ErrBadFrame, a PING or PONG over our
// limit or a message over it whose head cannot be read: ErrMessageTooLarge)
// or a message that cannot be decoded ends the read
// side only, with an error matching protocol.ErrProtocolViolation. The
// write side stays open until Close, so that the session can still Send an
// ABORT and then Close, which flushes it before closing the stream.
type Conn struct {
	c         *connstate.Conn
	nc        net.Conn // the stream: a *tls.Conn for rss://
	codec     codec.Codec
	cfg       config
	sendLimit int64  // the peer's announced maximum length
	onEnd     func() // called once when the connection ends; may be nil; set before start
}

// control is a frame for the writer: its FrameType in Control (a message
// has FrameMessage, 0), or rawBytes for bytes written as they are.
type control = connstate.Frame

// rawBytes is the Control of a frame written without a prefix (SendBytes).
const rawBytes = 0xFF

// newConn makes the connection on a stream whose handshake is done.
// sendLimit is the peer's announced maximum length. start runs it.
func newConn(nc net.Conn, cd codec.Codec, cfg config, sendLimit int64) *Conn {
	c := &Conn{nc: nc, codec: cd, cfg: cfg, sendLimit: sendLimit}
	c.c = connstate.NewConn(connstate.Config{
		Name:      "rawsocket",
		Codec:     cd,
		ReadLimit: cfg.readLimit,
		Timing:    cfg.timing,
		Traffic:   cfg.traffic,
		TooLarge:  ErrMessageTooLarge,
		CheckSend: c.CheckSend,
		OnEnd: func() {
			if c.onEnd != nil {
				c.onEnd()
			}
		},
	}, func(cc *connstate.Conn) connstate.Framing { return newRawFramer(cc, c) })
	return c
}

// start runs the goroutines. Separate from newConn so that a Listener can
// set onEnd first.
func (c *Conn) start() {
	c.c.Start()
	c.cfg.timing.Log.Debug("rawsocket: connected", "serializer", c.codec.Name(),
		"readLimit", c.cfg.readLimit, "sendLimit", c.sendLimit)
}

// Send encodes msg with the negotiated codec and queues it for the writer.
// It returns at once, sending nothing, if msg cannot be encoded (the
// codec's error) or its encoding is longer than the peer's announced
// maximum (a *codec.EncodeError matching ErrMessageTooLarge); the
// connection stays up in both cases. Otherwise it blocks until the writer accepts the message,
// ctx is done (it returns ctx's error), or the write side has stopped (it
// returns Err's value: protocol.ErrTransportClosed after Close). An
// accepted message is written whole, in order with the others; a write
// that fails later ends the connection and is reported by Err.
//
// Send may be called from any goroutine. msg is not retained.
func (c *Conn) Send(ctx context.Context, msg protocol.Message) error { return c.c.Send(ctx, msg) }

// SendEncoded queues frames, each one message already encoded with the
// connection's codec, to be written in order (see protocol.Transport). A
// frame over the peer's limit fails it with CheckSend's error before any of
// them is queued. It blocks and fails as Send does.
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
func (c *Conn) WriteEncoded(ctx context.Context, frames [][]byte) error {
	return c.c.WriteEncoded(ctx, frames)
}

// CheckSend reports whether a message of n encoded bytes (of type t, or 0
// when unknown) fits the peer's maximum length: nil, or an
// *codec.EncodeError matching ErrMessageTooLarge, as the codec's own
// refusals, because such a message is the sender's fault and only its
// operation should fail. Nothing of a refused message is ever written.
func (c *Conn) CheckSend(t protocol.MessageType, n int) error {
	if int64(n) <= c.sendLimit {
		return nil
	}
	return &codec.EncodeError{Codec: c.codec.Name(), Err: &SendLimitError{Type: t, Size: n, Limit: c.sendLimit}}
}

// SendRaw queues payload as one message frame, as is: not encoded, not
// checked against the peer's limit. It is for tests that play a hostile
// peer; it blocks and fails as Send does.
func (c *Conn) SendRaw(ctx context.Context, payload []byte) error {
	return c.c.SendFrame(ctx, control{Control: uint8(FrameMessage), P: payload})
}

// SendBytes queues b to be written to the stream as is, without a frame
// prefix, in order with the messages: for tests that play a hostile peer
// (malformed prefixes, frames cut short). Options.Traffic does not count
// these bytes. It blocks and fails as Send does.
func (c *Conn) SendBytes(ctx context.Context, b []byte) error {
	return c.c.SendFrame(ctx, control{Control: rawBytes, P: b})
}

// Receive returns the channel of decoded messages. It is closed when the
// reader stops: after the connection ended and every message decoded before
// was delivered, or at Close. Only one goroutine should receive from it.
func (c *Conn) Receive() <-chan protocol.Message { return c.c.Receive() }

// Done is closed once the connection has ended, for any reason.
func (c *Conn) Done() <-chan struct{} { return c.c.Done() }

// Err returns why the connection ended, or nil while it runs. The value is
// the first cause and never changes: protocol.ErrTransportClosed after
// Close, ErrPingTimeout, ErrPeerClosed (wrapped), an error matching
// protocol.ErrProtocolViolation (ErrBadFrame, ErrMessageTooLarge, or an
// undecodable message), or a wrapped network error.
func (c *Conn) Err() error { return c.c.Err() }

// Serializer returns the negotiated codec's name, such as "json".
func (c *Conn) Serializer() string { return c.codec.Name() }

// ReadLimit returns the maximum message length this side announced: the
// longest message the peer may send.
func (c *Conn) ReadLimit() int64 { return c.cfg.readLimit }

// SendLimit returns the maximum message length the peer announced: Send
// refuses longer messages.
func (c *Conn) SendLimit() int64 { return c.sendLimit }

// TLSConnectionState returns the state of the TLS connection under c, and
// false when c does not run over TLS. Its ExportKeyingMaterial works, so it
// serves for TLS channel binding. Safe to call from any goroutine.
func (c *Conn) TLSConnectionState() (tls.ConnectionState, bool) {
	if tc, ok := c.nc.(*tls.Conn); ok {
		return tc.ConnectionState(), true
	}
	return tls.ConnectionState{}, false
}

// Close ends the connection and releases everything it holds. It stops
// accepting messages, lets the writer write and flush those already
// queued, and closes the stream (with TLS, after its close_notify), all
// within CloseTimeout; past it, it closes the network connection under the
// stream. Then it waits for the connection's goroutines to exit.
//
// Close may be called from any goroutine, more than once; later calls wait
// for the first and return its result. It returns nil when everything
// queued was written and the stream closed cleanly, or when the connection
// had already failed; otherwise the error met.
func (c *Conn) Close() error { return c.c.Close() }
