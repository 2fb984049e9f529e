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
	"github.com/wampgo/wampgo/internal/connstate"
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
// A Conn runs a reader, a writer and, when pings are enabled, a keepalive
// goroutine. The reader reads one frame at a time, answers PING with PONG
// (through the writer), and decodes and delivers each message on
// Receive's channel; it reads the next frame only once the message is
// taken, so a slow consumer slows the peer down. Send encodes in the
// caller's goroutine, checks the length against the peer's limit, and
// queues the bytes. The writer blocks for the first frame queued, takes
// every other one already waiting without blocking, and writes them all
// through one buffer with one flush: a lone message goes out at once, a
// burst in one write. None of these goroutines outlives Close, and the
// owner must call Close in every case, also after the connection ended on
// its own.
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

	fr frameReader   // owned by the reader
	bw *bufio.Writer // owned by the writer

	wg sync.WaitGroup // reader, writer, keepalive

	sendq chan control          // messages: written by Send, read by writer
	ctrlq chan control          // PING and PONG frames: written by reader and keepalive, read by writer
	pongc chan uint64           // PONG payloads that may answer a keepalive PING: written by reader, read by keepalive
	recvc chan protocol.Message // decoded messages: written by reader, closed by reader on exit

	st    *connstate.State // the end reason and the write side's stop
	stop  chan struct{}    // closed by Close: ends the reader's delivery and keepalive
	wdone chan struct{}    // closed by the writer on exit

	// progress counts the network reads that returned data and the
	// reader's waits for a frame; reading is true while the reader waits
	// for a frame (not decoding, not waiting for the session). Written by
	// the reader, read by keepalive.
	progress atomic.Uint64
	reading  atomic.Bool

	closeOnce sync.Once
	closeErr  error // result of the first Close
}

// control is a frame for the writer.
type control struct {
	typ     FrameType
	payload []byte
	raw     bool // payload is written as is, without a prefix (SendBytes)
}

// ioBuffer is the size of the read and write buffers.
const ioBuffer = 32 << 10

// newConn starts the connection's goroutines on a stream whose handshake
// is done. sendLimit is the peer's announced maximum length.
func newConn(nc net.Conn, cd codec.Codec, cfg config, sendLimit int64) *Conn {
	c := &Conn{
		nc:        nc,
		raw:       nc,
		codec:     cd,
		cfg:       cfg,
		sendLimit: sendLimit,
		bw:        bufio.NewWriterSize(nc, ioBuffer),
		sendq:     make(chan control, cfg.sendQueue),
		ctrlq:     make(chan control, 4),
		pongc:     make(chan uint64, 1),
		recvc:     make(chan protocol.Message),
		st:        connstate.New(),
		stop:      make(chan struct{}),
		wdone:     make(chan struct{}),
	}
	if tc, ok := nc.(*tls.Conn); ok {
		c.raw = tc.NetConn()
	}
	c.fr = frameReader{
		r:     bufio.NewReaderSize(progressReader{nc, &c.progress}, ioBuffer),
		limit: cfg.readLimit,
	}
	return c
}

// start runs the goroutines. Separate from newConn so that a Listener can
// set onEnd first.
func (c *Conn) start() {
	c.wg.Add(2)
	go c.readLoop()
	go c.writeLoop()
	if c.cfg.pingInterval > 0 {
		c.wg.Add(1)
		go c.keepalive()
	}
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
	for _, f := range frames {
		if err := c.queue(ctx, control{typ: FrameMessage, payload: f}); err != nil {
			return err
		}
	}
	return nil
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

func (c *Conn) queue(ctx context.Context, f control) error {
	select {
	case c.sendq <- f:
		return nil
	case <-c.st.WritesStopped():
		return c.Err()
	case <-ctx.Done():
		return ctx.Err()
	}
}

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
	<-c.wdone // the writer writes what was queued, then exits
	err := c.nc.Close()
	expired := !force.Stop()
	c.raw.Close() // a *tls.Conn whose close_notify failed leaves it open
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
