package connstate

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// Config is what a Conn needs besides its Framing.
type Config struct {
	// Name prefixes the Conn's errors and log records: "wsconn",
	// "rawsocket".
	Name  string
	Codec codec.Codec
	// ReadLimit is the read limit Framing.Read applies, for the
	// *protocol.TooLarge items (negative: none).
	ReadLimit int64
	Timing    Timing   // normalized
	Traffic   *Traffic // nil: not counted
	// TooLarge is the sentinel the end reason of a message over the read
	// limit whose head cannot be read matches (protocol.ErrMessageTooLarge
	// when nil).
	TooLarge error
	// CheckType makes a message in a frame of the other type than the
	// codec's (Message.Binary against codec.Binary) a protocol violation.
	CheckType bool
	// CheckSend, if not nil, checks an encoded message of n octets (of
	// type t, 0 when unknown) before it is queued; its error fails that
	// send only.
	CheckSend func(t protocol.MessageType, n int) error
	// OnEnd, if not nil, runs once when the connection ends.
	OnEnd func()
}

// Conn is the skeleton of a transport's connection, shared by wsconn and
// internal/transport/rawsocket: the reader goroutine, the writer
// (Writer: no goroutine of its own while idle), the keepalive timer and
// the end state, around the transport's Framing. Its methods implement
// protocol.Transport's contract; the transports' Conn types forward to
// them.
//
// # Goroutines
//
// A Conn runs one goroutine for its life, the reader: it waits for data
// (Framing.Wait, on a shallow stack), reads and decodes one message at a
// time and delivers it on Receive's channel; it reads the next only once
// the message is taken, so a slow consumer slows the peer down. Sends
// write in the sender's goroutine or one started for the write (Writer).
// Keepalive pings run on a timer. None of these outlives Close, and the
// owner must call Close in every case.
//
// # Ending
//
// The connection ends at the first of: Close; an error reading or
// writing; the peer's close; a ping timeout; input that breaks the
// protocol. Err then reports the first cause, once and for all
// (protocol.ErrTransportClosed after Close). Input that breaks the
// protocol (an error matching protocol.ErrProtocolViolation) ends the
// read side only: the write side stays open until Close, so that the
// session can still send an ABORT, which Close flushes.
//
// Every method may be called from any goroutine, but Receive's channel is
// meant for one reader.
type Conn struct {
	cfg Config
	fr  Framing

	// pingMu guards pingCancel and closed. closed is set by Close once
	// the closing handshake is over, when it cancels the ping still
	// waiting, if any (not before: cancelling a ping's write in progress
	// may close the connection, as coder/websocket does); pingCancel is
	// that ping's cancel function, nil between pings.
	pingMu     sync.Mutex
	pingCancel context.CancelFunc
	closed     bool
	wg         sync.WaitGroup // the reader: done when its goroutine exits

	// w and st are embedded, not separate objects: every idle
	// connection holds them.
	w     Writer[Frame]
	ka    *Keepalive            // nil without pings
	recvc chan protocol.Message // decoded messages: written by reader, closed by reader on exit
	st    State                 // the end reason and the write side's stop
	stop  chan struct{}         // closed by Close: ends the reader's delivery

	// progress counts the network reads that returned data (the
	// framing's, through Progress) and the reader's waits for a message;
	// reading is true while the reader waits or reads (not decoding, not
	// delivering). Read by keepalive.
	progress atomic.Uint64
	reading  atomic.Bool

	closeOnce sync.Once
	closeErr  error // result of the first Close
}

// NewConn makes the connection over a stream whose handshake is done;
// newFraming makes its framing (which may keep c, to queue control frames
// and to count progress). Start runs it.
func NewConn(cfg Config, newFraming func(c *Conn) Framing) *Conn {
	c := &Conn{
		cfg:   cfg,
		recvc: make(chan protocol.Message),
		stop:  make(chan struct{}),
	}
	c.st.init()
	c.w.init(&c.st, cfg.Timing.SendQueue, c.writeBatch)
	c.fr = newFraming(c)
	return c
}

// Start runs the reader and arms the keepalive timer.
func (c *Conn) Start() {
	c.wg.Add(1)
	go c.readLoop()
	c.ka = StartKeepalive(c.cfg.Timing.PingInterval, c.st.Done(), c.ping)
}

// Progress returns the counter the framing adds one to for each network
// read that returned data.
func (c *Conn) Progress() *atomic.Uint64 { return &c.progress }

// WaitReader returns once the reader goroutine has exited (at once if it
// never started): the framing may then read itself
// (Framing.CloseHandshake).
func (c *Conn) WaitReader() { c.wg.Wait() }

// Send encodes msg with the codec and queues it for writing. It returns
// at once, sending nothing, if msg cannot be encoded (the codec's error) or
// CheckSend refuses it. Otherwise it blocks until the message is queued,
// ctx is done (ctx's error), or the write side has stopped (Err's value).
// A queued message is written in order with the others; a write that
// fails later ends the connection and is reported by Err. msg is not
// retained.
func (c *Conn) Send(ctx context.Context, msg protocol.Message) error {
	if c.st.StoppedWrites() {
		return c.Err()
	}
	b, err := c.cfg.Codec.Encode(msg)
	if err != nil {
		return fmt.Errorf("%s: send: %w", c.cfg.Name, err)
	}
	if c.cfg.CheckSend != nil {
		if err := c.cfg.CheckSend(msg.Type(), len(b)); err != nil {
			return err
		}
	}
	return c.w.Send(ctx, Frame{P: b})
}

// SendEncoded queues frames, each one message already encoded with the
// codec, to be written in order after what was queued before, back to
// back; CheckSend's refusal of any fails it before one is queued. It
// blocks, and fails, as Send does. The connection owns frames' bytes from
// then on.
func (c *Conn) SendEncoded(ctx context.Context, frames [][]byte) error {
	if len(frames) == 0 {
		return nil
	}
	if err := c.checkEncoded(frames); err != nil {
		return err
	}
	var few [8]Frame // on the stack: the writer copies the frames it queues
	return c.w.Send(ctx, messageFrames(few[:0], frames)...)
}

// WriteEncoded is SendEncoded for a caller that is itself a writer
// goroutine, such as a session's: when no write is in progress it writes
// frames (and whatever is queued meanwhile) in the caller's goroutine and
// returns once they are written, with Err's value if the write failed;
// otherwise it queues them for the write in progress and waits until they
// are written. A write stuck on the network is not cut short by ctx:
// Close, or a failure, ends it.
func (c *Conn) WriteEncoded(ctx context.Context, frames [][]byte) error {
	if len(frames) == 0 {
		return nil
	}
	if err := c.checkEncoded(frames); err != nil {
		return err
	}
	var few [8]Frame // on the stack: the writer copies the frames it queues
	return c.w.Write(ctx, messageFrames(few[:0], frames)...)
}

func (c *Conn) checkEncoded(frames [][]byte) error {
	if c.cfg.CheckSend == nil {
		return nil
	}
	for _, f := range frames {
		if err := c.cfg.CheckSend(0, len(f)); err != nil {
			return err
		}
	}
	return nil
}

// messageFrames appends encoded messages to dst as message frames.
func messageFrames(dst []Frame, msgs [][]byte) []Frame {
	for _, m := range msgs {
		dst = append(dst, Frame{P: m})
	}
	return dst
}

// SendFrame queues f as it is, in order with the messages, blocking and
// failing as Send does: for tests that play a hostile peer.
func (c *Conn) SendFrame(ctx context.Context, f Frame) error { return c.w.Send(ctx, f) }

// Control queues a control frame of the framing's without waiting for
// room (Writer.Control). It fails once the write side stopped.
func (c *Conn) Control(f Frame) error { return c.w.Control(f) }

// WriteControl writes a control frame of the framing's and returns once
// it is written (Writer.Write): for the answer to the peer's close, which
// must leave before the connection ends.
func (c *Conn) WriteControl(f Frame) error { return c.w.Write(context.Background(), f) }

// Receive returns the channel of decoded messages. It is closed when the
// reader stops: after the connection ended and every message decoded
// before was delivered, or at Close.
func (c *Conn) Receive() <-chan protocol.Message { return c.recvc }

// Done is closed once the connection has ended, for any reason.
func (c *Conn) Done() <-chan struct{} { return c.st.Done() }

// Err returns why the connection ended, or nil while it runs; the first
// cause, which never changes.
func (c *Conn) Err() error { return c.st.Err() }

// Close ends the connection and releases everything it holds: it stops
// accepting messages, lets the writer write those already queued, runs
// the framing's closing handshake, all within CloseTimeout, past which it
// closes the network connection; then it waits for the goroutines to
// exit. Later calls wait for the first and return its result: nil when
// the handshake completed or the connection had already failed, otherwise
// the error met (a handshake cut short by CloseTimeout is one).
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
	timeout := c.cfg.Timing.CloseTimeout
	force := time.AfterFunc(timeout, c.fr.CloseNow)
	c.w.Quiesce() // the write in progress writes what was queued
	err := c.fr.CloseHandshake()
	expired := !force.Stop()
	c.fr.CloseNow()
	c.endPing()
	c.ka.Stop()
	c.wg.Wait()
	c.cfg.Timing.Log.Debug(c.cfg.Name+": closed", "err", err)

	switch {
	case failed:
		return nil
	case expired:
		return fmt.Errorf("%s: close: not done within %v, connection closed", c.cfg.Name, timeout)
	case err == nil, errors.Is(err, net.ErrClosed):
		return nil
	default:
		return fmt.Errorf("%s: close: %w", c.cfg.Name, err)
	}
}

// end records err as the end reason unless one was recorded, then runs
// OnEnd. It reports whether err was the first.
func (c *Conn) end(err error) bool {
	if !c.st.End(err) {
		return false
	}
	if c.cfg.OnEnd != nil {
		c.cfg.OnEnd()
	}
	return true
}

// Fail ends the connection on a fatal error: records err, stops writes
// and closes the network connection at once, which unblocks any read or
// write in progress. Any goroutine but Close's may call it.
func (c *Conn) Fail(err error) {
	if c.end(err) {
		c.cfg.Timing.Log.Debug(c.cfg.Name+": connection failed", "err", err)
	}
	c.st.StopWrites()
	select {
	case <-c.stop:
		// Close is under way and closes the connection itself.
	default:
		c.fr.CloseNow()
	}
}

// violate ends the read side on input that breaks the protocol. Unlike
// Fail, it keeps the stream and the writer up until Close, so that the
// session can still send ABORT. Only the reader calls it.
func (c *Conn) violate(err error) {
	if c.end(err) {
		c.cfg.Timing.Log.Debug(c.cfg.Name+": protocol violation, read side ended", "err", err)
	}
}

// writeBatch is the Writer's write: the framing's, and a failure ends the
// connection.
func (c *Conn) writeBatch(batch []Frame) error {
	if err := c.fr.WriteBatch(batch); err != nil {
		// The end reason: this error, or the earlier one that made the
		// write fail (such as Close's protocol.ErrTransportClosed).
		c.Fail(fmt.Errorf("%s: write: %w", c.cfg.Name, err))
		return c.Err()
	}
	return nil
}

// Framing returns the connection's framing (for a transport's tests).
func (c *Conn) Framing() Framing { return c.fr }
