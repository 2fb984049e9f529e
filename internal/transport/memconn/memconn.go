// Package memconn provides an in-memory pair of connected WAMP transports
// for tests: what one side sends, the other receives, in order, with the
// semantics of package wsconn's connections (Done, Err, Receive closed at
// the end, a protocol violation that ends only the read side).
//
// The pair starts no goroutines: Send hands a message straight to the
// peer's buffered Receive channel, so nothing needs reaping and a test that
// forgets Close leaks nothing but memory.
package memconn

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// QueueSize is how many messages each direction buffers before Send
// blocks.
const QueueSize = 64

// ErrPeerClosed is the end reason of a side whose peer called Close; it
// matches protocol.ErrPeerClosed.
var ErrPeerClosed = fmt.Errorf("memconn: %w", protocol.ErrPeerClosed)

// Pipe returns a connected pair whose Serializer reports serializer.
// Messages travel by pointer, not serialized: the receiver gets the very
// value that was sent, so neither side may modify a message after sending
// it or after receiving it (protocol.Message's own rule), and nothing is
// validated. Use PipeCodec to exercise a codec.
//
// Both values are *Conn, for Fail and SendRaw.
func Pipe(serializer string) (client, router protocol.Transport) {
	a, b := newPair(serializer, nil)
	return a, b
}

// PipeCodec returns a connected pair that serializes every message with c:
// Send encodes (reporting an encode error to its caller) and decodes on the
// receiver's behalf, so each side receives its own copy, as over a network.
// A message that fails to decode ends the receiving side's read side with
// the decode error, as a malformed frame would.
//
// Both values are *Conn, for Fail and SendRaw.
func PipeCodec(c codec.Codec) (client, router protocol.Transport) {
	a, b := newPair(c.Name(), c)
	return a, b
}

// Conn is one side of a pair. It implements protocol.Transport; all its
// methods may be called from any goroutine, and Receive's channel is meant
// for one reader.
//
// A side ends at the first of: its Close (ErrTransportClosed; the peer
// ends with ErrPeerClosed), Fail on either side (both end with the given
// error), or a message from the peer that fails to decode (with PipeCodec
// or SendRaw; only this side ends, with the decode error, which matches
// protocol.ErrProtocolViolation). Ending closes Done and sets Err for good,
// and closes Receive's channel after the messages already queued on it.
//
// After a protocol violation, as with wsconn, the side that ended can still
// Send (an ABORT) until Close; what its peer sends to it meanwhile is
// dropped.
type Conn struct {
	name  string
	codec codec.Codec // nil: messages travel by pointer
	peer  *Conn
	in    *direction // peer to this side; Receive is in.c
	out   *direction // this side to peer; peer.in

	mu        sync.Mutex
	err       error         // guarded by mu
	done      chan struct{} // closed by end once err is set
	wstop     chan struct{} // closed when this side may no longer send
	wstopOnce sync.Once
}

// direction carries messages one way. Senders hold mu's read lock while
// they block on c; shut wakes them with closing, then takes the write lock
// before closing c, so no send ever meets a closed channel.
type direction struct {
	c         chan protocol.Message
	closing   chan struct{}
	closeOnce sync.Once
	mu        sync.RWMutex
	closed    bool // guarded by mu
}

func newDirection() *direction {
	return &direction{c: make(chan protocol.Message, QueueSize), closing: make(chan struct{})}
}

// shut closes the direction: pending and later sends are dropped, the
// receiver gets what is queued, then sees the channel closed.
func (d *direction) shut() {
	d.closeOnce.Do(func() {
		close(d.closing)
		d.mu.Lock()
		d.closed = true
		close(d.c)
		d.mu.Unlock()
	})
}

func newPair(name string, c codec.Codec) (*Conn, *Conn) {
	ab, ba := newDirection(), newDirection()
	a := &Conn{name: name, codec: c, in: ba, out: ab, done: make(chan struct{}), wstop: make(chan struct{})}
	b := &Conn{name: name, codec: c, in: ab, out: ba, done: make(chan struct{}), wstop: make(chan struct{})}
	a.peer, b.peer = b, a
	return a, b
}

// Send delivers msg to the peer's Receive channel. With a codec it encodes
// msg first and returns the encode error, if any, sending nothing. It
// blocks while the peer's queue is full, until ctx is done (ctx's error) or
// this side can no longer send (Err's value). A message sent to a peer
// whose read side has ended is dropped without error, as on a network.
func (c *Conn) Send(ctx context.Context, msg protocol.Message) error {
	if c.stopped() {
		return c.Err()
	}
	if c.codec == nil {
		return c.deliver(ctx, msg)
	}
	b, err := c.codec.Encode(msg)
	if err != nil {
		return fmt.Errorf("memconn: send: %w", err)
	}
	return c.sendBytes(ctx, b)
}

// SendEncoded delivers frames, each one message encoded with the pair's
// codec (for a pair made by Pipe: the codec named by its serializer), as
// if the peer had read them from the wire: a pair made by PipeCodec decodes
// them on the peer's behalf; one made by Pipe decodes them here and sends
// the messages by pointer. A frame that fails to decode ends the peer's
// read side, as SendRaw does. It blocks like Send.
func (c *Conn) SendEncoded(ctx context.Context, frames [][]byte) error {
	if c.stopped() {
		return c.Err()
	}
	cd := c.codec
	if cd == nil {
		var ok bool
		if cd, ok = codec.ByName(c.name); !ok {
			return fmt.Errorf("memconn: SendEncoded: no codec named %q", c.name)
		}
	}
	for _, b := range frames {
		m, err := cd.Decode(b)
		if err != nil {
			if !errors.Is(err, protocol.ErrProtocolViolation) {
				err = fmt.Errorf("memconn: %w: %w", err, protocol.ErrProtocolViolation)
			}
			c.peer.violate(err)
			return nil
		}
		if err := c.deliver(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// SendRaw delivers data as if the peer had read it from the wire: the peer
// decodes it with the pair's codec, and a decode failure ends the peer's
// read side. Use it to inject malformed input. It fails on a pair made by
// Pipe, which has no codec.
func (c *Conn) SendRaw(ctx context.Context, data []byte) error {
	if c.codec == nil {
		return errors.New("memconn: SendRaw needs a pair made by PipeCodec")
	}
	if c.stopped() {
		return c.Err()
	}
	return c.sendBytes(ctx, data)
}

func (c *Conn) sendBytes(ctx context.Context, b []byte) error {
	m, err := c.codec.Decode(b)
	if err != nil {
		if !errors.Is(err, protocol.ErrProtocolViolation) {
			err = fmt.Errorf("memconn: %w: %w", err, protocol.ErrProtocolViolation)
		}
		c.peer.violate(err)
		return nil
	}
	return c.deliver(ctx, m)
}

// deliver queues m on the peer's Receive channel.
func (c *Conn) deliver(ctx context.Context, m protocol.Message) error {
	d := c.out
	d.mu.RLock()
	defer d.mu.RUnlock()
	if d.closed {
		return c.dropped()
	}
	select {
	case d.c <- m:
		return nil
	case <-d.closing:
		return c.dropped()
	case <-c.wstop:
		return c.Err()
	case <-ctx.Done():
		return ctx.Err()
	}
}

// dropped is Send's result when the peer's read side has ended: nil after a
// violation on the peer (the message is lost, as on a network), this
// side's end reason when the pair has ended.
func (c *Conn) dropped() error {
	if c.stopped() {
		return c.Err()
	}
	return nil
}

// Receive returns the channel of messages from the peer. It is closed when
// this side ends, after the messages queued before.
func (c *Conn) Receive() <-chan protocol.Message { return c.in.c }

// Close ends both sides: this one with protocol.ErrTransportClosed, the
// peer with ErrPeerClosed (unless either ended before). It is safe to call
// more than once and returns nil.
func (c *Conn) Close() error {
	c.endPair(protocol.ErrTransportClosed, ErrPeerClosed)
	return nil
}

// Fail ends both sides with err, as if the connection between them were
// lost (unless a side ended before: its first cause stays).
func (c *Conn) Fail(err error) {
	c.endPair(err, err)
}

// Done is closed once this side has ended.
func (c *Conn) Done() <-chan struct{} { return c.done }

// Err returns why this side ended, or nil while it runs.
func (c *Conn) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// Serializer returns the serializer name given to Pipe, or the codec's.
func (c *Conn) Serializer() string { return c.name }

func (c *Conn) endPair(mine, peers error) {
	c.end(mine)
	c.peer.end(peers)
	c.stopWrites()
	c.peer.stopWrites()
	c.in.shut()
	c.out.shut()
}

// violate ends this side's read side with err; this side can still send.
func (c *Conn) violate(err error) {
	c.end(err)
	c.in.shut()
}

func (c *Conn) end(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err == nil {
		c.err = err
		close(c.done)
	}
}

func (c *Conn) stopWrites() { c.wstopOnce.Do(func() { close(c.wstop) }) }

func (c *Conn) stopped() bool {
	select {
	case <-c.wstop:
		return true
	default:
		return false
	}
}
