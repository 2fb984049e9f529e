package wsconn

import (
	"fmt"

	"github.com/wampgo/wampgo/internal/transport/connstate"
	"github.com/wampgo/wampgo/internal/transport/oversize"
	"github.com/wampgo/wampgo/internal/transport/wsframe"
	"github.com/wampgo/wampgo/protocol"
)

// readLoop is the reader goroutine. It reads one message at a time through
// the framing (never with a caller's context: only Close, a failure or the
// peer end a read), decodes it and delivers it on recvc. It owns recvc and
// closes it on exit.
//
// A read error is fatal (fail); an undecodable message ends the read side
// only (violate), leaving the writer running for the session's ABORT.
func (c *Conn) readLoop() {
	defer c.wg.Done()
	defer close(c.readerDone)
	defer close(c.recvc)
	for {
		c.raw.progress.Add(1)
		c.reading.Store(true)
		m, err := c.fr.read()
		c.reading.Store(false)
		if err != nil {
			c.fail(err)
			return
		}
		connstate.CountRead(c.cfg.traffic, int(m.Size))
		var msg protocol.Message
		if m.Over {
			msg, err = c.tooLarge(m)
		} else {
			msg, err = c.decode(m)
		}
		c.fr.release()
		if err != nil {
			c.violate(err)
			return
		}
		select {
		case c.recvc <- msg:
		case <-c.stop:
			return
		}
	}
}

// tooLarge checks the frame type of a message over the read limit and
// reads its head: what the session gets in its place, or an error that
// matches protocol.ErrProtocolViolation when the head cannot be read.
func (c *Conn) tooLarge(m wsframe.Message) (protocol.Message, error) {
	if m.Binary != c.binary {
		return nil, frameTypeError(m.Binary, c.codec.Name())
	}
	return c.tooLargeItem(oversize.Item(c.codec, m.Data, m.Size, c.cfg.readLimit))
}

// tooLargeItem is what the session gets for a message over the read limit
// (or the codec's own): m, or err when its head could not be read.
func (c *Conn) tooLargeItem(m *protocol.TooLarge, err error) (protocol.Message, error) {
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMessageTooLarge, err)
	}
	c.cfg.log.Debug("wsconn: message over the read limit discarded", "type", m.Of, "size", m.Size, "limit", m.Limit)
	return m, nil
}

// decode checks the frame type and decodes the message. Every error it
// returns matches protocol.ErrProtocolViolation.
func (c *Conn) decode(m wsframe.Message) (protocol.Message, error) {
	if m.Binary != c.binary {
		return nil, frameTypeError(m.Binary, c.codec.Name())
	}
	msg, err := c.codec.Decode(m.Data)
	if err != nil {
		if tl, err, ok := oversize.Refused(c.codec, m.Data, err); ok {
			return c.tooLargeItem(tl, err)
		}
		return nil, violation(err)
	}
	return msg, nil
}

// violate ends the read side on a message that breaks the protocol. Unlike
// fail, it keeps the WebSocket and the writer up until Close, so that the
// session can still send ABORT. Only the reader calls it.
func (c *Conn) violate(err error) {
	if c.st.End(err) {
		c.cfg.log.Debug("wsconn: protocol violation, read side ended", "err", err)
	}
}
