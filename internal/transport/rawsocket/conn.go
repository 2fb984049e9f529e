package rawsocket

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/connstate"
	"github.com/wampgo/wampgo/internal/transport/lazyio"
	"github.com/wampgo/wampgo/protocol"
)

// Conn is a WAMP transport over one RawSocket connection, made by Dial,
// Client, Server or a Listener. It implements protocol.Transport with the
// semantics of wsconn.Conn.
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
	nc        net.Conn // the stream: a *tls.Conn for rss://
	raw       net.Conn // the connection under nc (nc itself without TLS): closed to force
	codec     codec.Codec
	cfg       config
	sendLimit int64  // the peer's announced maximum length
	onEnd     func() // called once when the connection ends; may be nil

	fr   frameReader   // owned by the reader
	lr   lazyio.Reader // under fr; owned by the reader
	sink io.Writer     // nc: where writeBatch writes

	wg sync.WaitGroup // the reader

	w     *connstate.Writer[control] // the write side: messages, PINGs and PONGs
	ka    *connstate.Keepalive       // nil without pings
	pongc chan uint64                // PONG payloads that may answer a keepalive PING: written by reader, read by keepalive
	recvc chan protocol.Message      // decoded messages: written by reader, closed by reader on exit

	st   *connstate.State // the end reason and the write side's stop
	stop chan struct{}    // closed by Close: ends the reader's delivery

	// progress counts the network reads that returned data and the
	// reader's waits for a frame; reading is true while the reader waits
	// for a frame (not decoding, not waiting for the session). Written by
	// the reader, read by keepalive.
	progress atomic.Uint64
	reading  atomic.Bool

	pingSeq uint64 // the last keepalive PING's number; owned by the keepalive timer's pings, one at a time

	closeOnce sync.Once
	closeErr  error // result of the first Close
}

// control is a frame for the writer.
type control struct {
	typ     FrameType
	payload []byte
	raw     bool // payload is written as is, without a prefix (SendBytes)
}

// newConn starts the connection's goroutines on a stream whose handshake
// is done. sendLimit is the peer's announced maximum length.
func newConn(nc net.Conn, cd codec.Codec, cfg config, sendLimit int64) *Conn {
	c := &Conn{
		nc:        nc,
		raw:       nc,
		codec:     cd,
		cfg:       cfg,
		sendLimit: sendLimit,
		pongc:     make(chan uint64, 1),
		recvc:     make(chan protocol.Message),
		st:        connstate.New(),
		stop:      make(chan struct{}),
	}
	c.w = connstate.NewWriter(c.st, cfg.sendQueue, c.writeBatch)
	if tc, ok := nc.(*tls.Conn); ok {
		c.raw = tc.NetConn()
	}
	c.lr.R = progressReader{nc, &c.progress}
	c.sink = nc
	c.fr = frameReader{
		// bufio's smallest buffer: lr does the buffering, lazily.
		r:     bufio.NewReaderSize(&c.lr, 16),
		limit: cfg.readLimit,
	}
	return c
}

// start runs the goroutines. Separate from newConn so that a Listener can
// set onEnd first.
func (c *Conn) start() {
	c.wg.Add(1)
	go c.readLoop()
	c.ka = connstate.StartKeepalive(c.cfg.pingInterval, c.st.Done(), c.keepalivePing)
	c.cfg.log.Debug("rawsocket: connected", "serializer", c.codec.Name(),
		"readLimit", c.cfg.readLimit, "sendLimit", c.sendLimit)
}

// progressReader counts the reads that return data.
type progressReader struct {
	r io.Reader
	n *atomic.Uint64
}

func (p progressReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		p.n.Add(1)
	}
	return n, err
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
func (c *Conn) Send(ctx context.Context, msg protocol.Message) error {
	select {
	case <-c.st.WritesStopped():
		return c.Err()
	default:
	}
	b, err := c.codec.Encode(msg)
	if err != nil {
		return fmt.Errorf("rawsocket: send: %w", err)
	}
	if err := c.CheckSend(msg.Type(), len(b)); err != nil {
		return err
	}
	return c.queue(ctx, control{typ: FrameMessage, payload: b})
}

// SendEncoded queues frames, each one message already encoded with the
// connection's codec, to be written in order (see protocol.Transport). A
// frame over the peer's limit fails it with CheckSend's error before any of
// them is queued. It blocks and fails as Send does.
func (c *Conn) SendEncoded(ctx context.Context, frames [][]byte) error {
	for _, f := range frames {
		if err := c.CheckSend(0, len(f)); err != nil {
			return err
		}
	}
	var few [8]control // on the stack: the writer copies the frames it queues
	return c.w.Send(ctx, messageFrames(few[:0], frames)...)
}

// WriteEncoded is SendEncoded for a caller that is itself a writer
// goroutine, such as a session's: when no write is in progress it writes
// frames (and whatever is queued meanwhile) in the caller's goroutine and
// returns once they are written, with Err's value if the write failed;
// otherwise it queues them for the write in progress, as SendEncoded. A
// write stuck on the network is not cut short by ctx: Close, or a failure,
// ends it.
func (c *Conn) WriteEncoded(ctx context.Context, frames [][]byte) error {
	for _, f := range frames {
		if err := c.CheckSend(0, len(f)); err != nil {
			return err
		}
	}
	var few [8]control // on the stack: the writer copies the frames it queues
	return c.w.Write(ctx, messageFrames(few[:0], frames)...)
}

// messageFrames appends encoded messages to dst as message frames.
func messageFrames(dst []control, frames [][]byte) []control {
	for _, f := range frames {
		dst = append(dst, control{typ: FrameMessage, payload: f})
	}
	return dst
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
	return c.queue(ctx, control{typ: FrameMessage, payload: payload})
}

// SendBytes queues b to be written to the stream as is, without a frame
// prefix, in order with the messages: for tests that play a hostile peer
// (malformed prefixes, frames cut short). Options.Traffic does not count
// these bytes. It blocks and fails as Send does.
func (c *Conn) SendBytes(ctx context.Context, b []byte) error {
	return c.queue(ctx, control{raw: true, payload: b})
}

func (c *Conn) queue(ctx context.Context, f control) error { return c.w.Send(ctx, f) }

// Receive returns the channel of decoded messages. It is closed when the
// reader stops: after the connection ended and every message decoded before
// was delivered, or at Close. Only one goroutine should receive from it.
func (c *Conn) Receive() <-chan protocol.Message { return c.recvc }

// Done is closed once the connection has ended, for any reason.
func (c *Conn) Done() <-chan struct{} { return c.st.Done() }

// Err returns why the connection ended, or nil while it runs. The value is
// the first cause and never changes: protocol.ErrTransportClosed after
// Close, ErrPingTimeout, ErrPeerClosed (wrapped), an error matching
// protocol.ErrProtocolViolation (ErrBadFrame, ErrMessageTooLarge, or an
// undecodable message), or a wrapped network error.
func (c *Conn) Err() error { return c.st.Err() }

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
func (c *Conn) Close() error {
	c.closeOnce.Do(func() { c.closeErr = c.shutdown() })
	return c.closeErr
}

func (c *Conn) shutdown() error {
	failed := c.Err() != nil && !errors.Is(c.Err(), protocol.ErrProtocolViolation)
	c.end(protocol.ErrTransportClosed)
	close(c.stop)
	c.st.StopWrites()

	// Past the deadline, closing the network connection fails whatever
	// read or write is in progress, so every step below returns soon.
	force := time.AfterFunc(c.cfg.closeTimeout, func() { c.raw.Close() })
	c.w.Quiesce() // the write in progress writes what was queued
	err := c.nc.Close()
	expired := !force.Stop()
	c.raw.Close() // a *tls.Conn whose close_notify failed leaves it open
	c.ka.Stop()
	c.wg.Wait()
	c.cfg.log.Debug("rawsocket: closed", "err", err)

	switch {
	case failed:
		return nil
	case expired:
		return fmt.Errorf("rawsocket: close: not done within %v, connection closed", c.cfg.closeTimeout)
	case err == nil || closedErr(err):
		return nil
	default:
		return fmt.Errorf("rawsocket: close: %w", err)
	}
}

// end records err as the end reason unless one was recorded (see
// connstate.State.End), then runs onEnd. It reports whether err was the
// first. Any goroutine may call it.
func (c *Conn) end(err error) bool {
	if !c.st.End(err) {
		return false
	}
	if c.onEnd != nil {
		c.onEnd()
	}
	return true
}

// fail ends the connection on a fatal error: records err, stops writes and
// closes the network connection at once, which unblocks any read or write
// in progress. Any goroutine but Close's may call it.
func (c *Conn) fail(err error) {
	if c.end(err) {
		c.cfg.log.Debug("rawsocket: connection failed", "err", err)
	}
	c.st.StopWrites()
	select {
	case <-c.stop:
		// Close is under way and closes the connection itself.
	default:
		c.raw.Close()
	}
}

// violate ends the read side on input that breaks the protocol. Unlike
// fail, it keeps the stream and the writer up until Close, so that the
// session can still send ABORT. Only the reader calls it.
func (c *Conn) violate(err error) {
	if c.end(err) {
		c.cfg.log.Debug("rawsocket: protocol violation, read side ended", "err", err)
	}
}
