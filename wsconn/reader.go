package wsconn

import (
	"fmt"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/internal/transport/connstate"
	"github.com/wampgo/wampgo/internal/transport/oversize"
	"github.com/wampgo/wampgo/protocol"
)

// readLoop is the reader goroutine. It reads one message at a time with
// ioCtx (never a caller's: coder/websocket closes the whole connection when
// a Read's context ends), decodes it and delivers it on recvc. It owns recvc
// and closes it on exit.
//
// A read error is fatal (fail); an undecodable message ends the read side
// only (violate), leaving the writer running for the session's ABORT.
func (c *Conn) readLoop() {
	defer c.wg.Done()
	defer close(c.recvc)
	for {
		c.raw.progress.Add(1)
		c.reading.Store(true)
		typ, data, size, over, err := c.read()
		c.reading.Store(false)
		if err != nil {
			c.fail(readError(err, c.cfg.readLimit))
			return
		}
		connstate.CountRead(c.cfg.traffic, int(size))
		var msg protocol.Message
		if over {
			msg, err = c.tooLarge(typ, data, size)
		} else {
			msg, err = c.decode(typ, data)
		}
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

// read reads one data message with ioCtx. A message over the read limit
// is read through in bounded memory (oversize.ReadMessage): data is then
// its head only, size its whole length, and over is set.
func (c *Conn) read() (typ websocket.MessageType, data []byte, size int64, over bool, err error) {
	typ, r, err := c.ws.Reader(c.ioCtx)
	if err != nil {
		return 0, nil, 0, false, err
	}
	data, size, over, err = oversize.ReadMessage(r, c.cfg.readLimit)
	return typ, data, size, over, err
}

// tooLarge checks the frame type of a message over the read limit and
// reads its head: what the session gets in its place, or an error that
// matches protocol.ErrProtocolViolation when the head cannot be read.
func (c *Conn) tooLarge(typ websocket.MessageType, head []byte, size int64) (protocol.Message, error) {
	if typ != c.frame {
		return nil, frameTypeError(typ, c.codec.Name())
	}
	return c.tooLargeItem(oversize.Item(c.codec, head, size, c.cfg.readLimit))
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

// decode checks the frame type and decodes data. Every error it returns
// matches protocol.ErrProtocolViolation.
func (c *Conn) decode(typ websocket.MessageType, data []byte) (protocol.Message, error) {
	if typ != c.frame {
		return nil, frameTypeError(typ, c.codec.Name())
	}
	msg, err := c.codec.Decode(data)
	if err != nil {
		if m, err, ok := oversize.Refused(c.codec, data, err); ok {
			return c.tooLargeItem(m, err)
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
