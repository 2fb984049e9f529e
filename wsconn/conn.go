package wsconn

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

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
// connection ended on its own.
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
// where the serializer uses binary ones or the reverse) ends the read side
// only: the reader stops, Receive's channel is closed, Done is closed and
// Err returns an error matching protocol.ErrProtocolViolation. The write
// side stays open until Close, so that the session can still Send an ABORT
// (wamp.error.protocol_violation) and then Close, which flushes it before
// the WebSocket close frame. Keepalive pings stop with the reader. Every
// other cause ends both sides at once: Send then fails with Err's value.
type Conn struct {
	fr       framer   // the framing: lean (Dial's default) or coder/websocket's
	raw      *rawConn // the network connection under fr
	codec    codec.Codec
	binary   bool // codec's messages travel in binary frames, else in text ones
	cfg      config
	subproto string

	ctx    context.Context    // lives until Close: bounds the pings
	cancel context.CancelFunc // called by Close after the handshake
	wg     sync.WaitGroup     // the reader
	// readerDone is closed when the reader goroutine exits.
	readerDone chan struct{}

	w     *connstate.Writer[frame] // the write side: messages, and the lean framing's control frames
	ka    *connstate.Keepalive     // nil without pings
	recvc chan protocol.Message    // decoded messages: written by reader, closed by reader on exit

	st   *connstate.State // the end reason and the write side's stop
	stop chan struct{}    // closed by Close: ends the reader's delivery and keepalive

	// reading is true while the reader is in a websocket read (not
	// decoding, not waiting for the session). Written by the reader, read
	// by keepalive, with raw.progress.
	reading atomic.Bool

	closeOnce sync.Once
	closeErr  error // result of the first Close
}

// newConn makes the connection over raw, whose handshake is done, and
// starts it; newFramer makes its framing (which may keep c, to queue
// control frames and to end it).
func newConn(raw *rawConn, cd codec.Codec, cfg config, newFramer func(c *Conn) framer) *Conn {
	ctx, cancel := context.WithCancel(context.Background())
	c := &Conn{
		raw:        raw,
		codec:      cd,
		binary:     cd.Binary(),
		cfg:        cfg,
		subproto:   cd.Subprotocol(),
		ctx:        ctx,
		cancel:     cancel,
		readerDone: make(chan struct{}),
		recvc:      make(chan protocol.Message),
		st:         connstate.New(),
		stop:       make(chan struct{}),
	}
	c.fr = newFramer(c)
	c.w = connstate.NewWriter(c.st, cfg.sendQueue, c.writeBatch)
	c.wg.Add(1)
	go c.readLoop()
	c.ka = connstate.StartKeepalive(cfg.pingInterval, c.st.Done(), c.ping)
	cfg.log.Debug("wsconn: connected", "subprotocol", c.subproto)
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
func (c *Conn) Send(ctx context.Context, msg protocol.Message) error {
	select {
	case <-c.st.WritesStopped():
		return c.Err()
	default:
	}
	b, err := c.codec.Encode(msg)
	if err != nil {
		return fmt.Errorf("wsconn: send: %w", err)
	}
	return c.w.Send(ctx, frame{data: true, p: b})
}

// SendEncoded queues frames, each one message already encoded with the
// negotiated codec (see Serializer), to be written in order after what is
// queued before, back to back, in one network write when they fit. It
// blocks, and fails, as Send does. The
// connection owns frames and their bytes from then on; they are written
// as they are, not checked.
//
// SendEncoded may be called from any goroutine.
func (c *Conn) SendEncoded(ctx context.Context, frames [][]byte) error {
	if len(frames) == 0 {
		return nil
	}
	var few [8]frame // on the stack: the writer copies the frames it queues
	return c.w.Send(ctx, dataFrames(few[:0], frames)...)
}

// WriteEncoded is SendEncoded for a caller that is itself a writer
// goroutine, such as a session's: when no write is in progress it writes
// frames (and whatever is queued meanwhile) in the caller's goroutine and
// returns once they are written, with Err's value if the write failed;
// otherwise it queues them for the write in progress, as SendEncoded. A
// write stuck on the network is not cut short by ctx: Close, or a failure,
// ends it.
//
// WriteEncoded may be called from any goroutine.
func (c *Conn) WriteEncoded(ctx context.Context, frames [][]byte) error {
	if len(frames) == 0 {
		return nil
	}
	var few [8]frame // on the stack: the writer copies the frames it queues
	return c.w.Write(ctx, dataFrames(few[:0], frames)...)
}

// dataFrames appends encoded messages to dst as data frames.
func dataFrames(dst []frame, msgs [][]byte) []frame {
	for _, m := range msgs {
		dst = append(dst, frame{data: true, p: m})
	}
	return dst
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
func (c *Conn) Receive() <-chan protocol.Message { return c.recvc }

// Done is closed once the connection has ended, for any reason.
func (c *Conn) Done() <-chan struct{} { return c.st.Done() }

// Err returns why the connection ended, or nil while it runs. The value is
// the first cause and never changes: protocol.ErrTransportClosed after
// Close, ErrPingTimeout, an error matching ErrMessageTooLarge, a *CloseError
// for the peer's close frame, an error matching
// protocol.ErrProtocolViolation for an undecodable message, or a wrapped
// network error.
func (c *Conn) Err() error { return c.st.Err() }

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
func (c *Conn) Close() error {
	c.closeOnce.Do(func() { c.closeErr = c.shutdown() })
	return c.closeErr
}

func (c *Conn) shutdown() error {
	failed := c.Err() != nil && !errors.Is(c.Err(), protocol.ErrProtocolViolation)
	c.st.End(protocol.ErrTransportClosed)
	close(c.stop)
	c.st.StopWrites()

	// Past the deadline, closing the network connection fails whatever
	// read or write is in progress, so every step below returns soon.
	force := time.AfterFunc(c.cfg.closeTimeout, func() { c.raw.Close() })
	c.w.Quiesce() // the write in progress writes what was queued
	err := c.fr.closeHandshake()
	expired := !force.Stop()
	c.fr.closeNow()
	c.cancel()
	c.ka.Stop()
	c.wg.Wait()
	c.cfg.log.Debug("wsconn: closed", "err", err)

	switch {
	case failed:
		return nil
	case expired:
		return fmt.Errorf("wsconn: close: not done within %v, connection closed", c.cfg.closeTimeout)
	case err == nil, errors.Is(err, net.ErrClosed):
		return nil
	default:
		return fmt.Errorf("wsconn: close: %w", err)
	}
}

// fail ends the connection on a fatal error: records err, stops writes and
// closes the WebSocket at once (no handshake), which unblocks any read or
// write in progress. Any goroutine but Close's may call it.
func (c *Conn) fail(err error) {
	if c.st.End(err) {
		c.cfg.log.Debug("wsconn: connection failed", "err", err)
	}
	c.st.StopWrites()
	select {
	case <-c.stop:
		// Close is under way and closes the WebSocket itself.
	default:
		c.fr.closeNow()
	}
}
