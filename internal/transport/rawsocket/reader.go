package rawsocket

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/internal/transport/connstate"
	"github.com/wampgo/wampgo/internal/transport/oversize"
	"github.com/wampgo/wampgo/protocol"
)

// readLoop is the reader goroutine. It reads one frame at a time (never
// with a caller's context or deadline: only Close, a failure or the peer
// end a read), answers PINGs, hands PONGs to keepalive, and decodes and
// delivers messages on recvc. It owns recvc and closes it on exit.
//
// A stream error is fatal (fail); a frame or message that breaks the
// protocol ends the read side only (violate), leaving the writer running
// for the session's ABORT.
func (c *Conn) readLoop() {
	defer c.wg.Done()
	defer close(c.recvc)
	for {
		// A new wait counts as progress, stored before reading so that
		// keepalive, which loads reading first, never sees this wait with
		// the count of an earlier one (see ping).
		c.progress.Add(1)
		c.reading.Store(true)
		typ, p, err := c.fr.ReadFrame()
		c.reading.Store(false)
		if err != nil {
			if errors.Is(err, protocol.ErrProtocolViolation) {
				c.violate(err)
			} else {
				c.fail(readError(err))
			}
			return
		}
		var ok bool
		switch typ {
		case FramePing:
			ok = c.pong(p)
		case FramePong:
			c.gotPong(p)
			ok = true
		default:
			if c.fr.over > 0 {
				ok = c.deliverTooLarge(p, c.fr.over)
			} else {
				ok = c.deliver(p)
			}
		}
		if !ok {
			return
		}
	}
}

// deliver counts a message read (Traffic), decodes it and hands it to the
// session, reporting whether the reader should go on.
func (c *Conn) deliver(p []byte) bool {
	connstate.CountRead(c.cfg.traffic, len(p))
	msg, err := c.codec.Decode(p)
	if m, merr, ok := oversize.Refused(c.codec, p, err); ok {
		return c.handOver(m, merr)
	}
	if err != nil {
		c.violate(violation(err))
		return false
	}
	select {
	case c.recvc <- msg:
		return true
	case <-c.stop:
		return false
	}
}

// deliverTooLarge counts a message read over the read limit (n bytes, of
// which head is the start) and hands the session a *protocol.TooLarge in
// its place, reporting whether the reader should go on. A head that cannot
// be read ends the read side, as an undecodable message does.
func (c *Conn) deliverTooLarge(head []byte, n int) bool {
	connstate.CountRead(c.cfg.traffic, n)
	return c.handOver(oversize.Item(c.codec, head, int64(n), c.cfg.readLimit))
}

// handOver delivers m, the stand-in of a message over the read limit (or
// the codec's own), or ends the read side with err when its head could not
// be read; it reports whether the reader should go on.
func (c *Conn) handOver(m *protocol.TooLarge, err error) bool {
	if err != nil {
		c.violate(fmt.Errorf("%w: %w", ErrMessageTooLarge, err))
		return false
	}
	c.cfg.log.Debug("rawsocket: message over the read limit discarded", "type", m.Of, "size", m.Size, "limit", m.Limit)
	select {
	case c.recvc <- m:
		return true
	case <-c.stop:
		return false
	}
}

// pong queues the PONG that answers a PING with payload p, reporting
// whether the reader should go on. A PING whose echo the peer itself would
// not accept breaks the protocol.
func (c *Conn) pong(p []byte) bool {
	if int64(len(p)) > c.sendLimit {
		c.violate(fmt.Errorf("%w: PING of %d bytes cannot be echoed: over the peer's limit of %d bytes: %w",
			ErrBadFrame, len(p), c.sendLimit, protocol.ErrProtocolViolation))
		return false
	}
	return c.w.Control(control{typ: FramePong, payload: append([]byte(nil), p...)}) == nil
}

// gotPong hands a PONG that may answer a keepalive PING to keepalive,
// without waiting: keepalive compares it with the PING it sent, and an
// unsolicited PONG is ignored.
func (c *Conn) gotPong(p []byte) {
	if len(p) != 8 {
		return
	}
	select {
	case c.pongc <- binary.BigEndian.Uint64(p):
	default:
	}
}
