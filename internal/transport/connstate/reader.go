package connstate

import (
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/internal/transport/oversize"
	"github.com/wampgo/wampgo/protocol"
)

// readLoop is the reader goroutine. It owns recvc and closes it on exit.
// It waits for data here, in a frame of its own, so that an idle
// connection's reader sits on a stack shallow enough for the runtime to
// shrink it; readOne then reads, decodes and delivers a message.
func (c *Conn) readLoop() {
	defer c.wg.Done()
	defer close(c.recvc)
	for {
		// A new wait counts as progress, stored before reading is, so
		// that keepalive, which loads reading first, never sees this
		// wait with the count of an earlier one (see ping).
		c.progress.Add(1)
		c.reading.Store(true)
		c.fr.Wait()
		if !c.readOne() {
			return
		}
	}
}

// readOne reads one message and delivers it (or its *protocol.TooLarge),
// reporting whether the reader goes on. A read error that matches
// protocol.ErrProtocolViolation, or a message that cannot be decoded, ends
// the read side only (violate); any other read error the connection
// (Fail).
func (c *Conn) readOne() bool {
	m, err := c.fr.Read()
	c.reading.Store(false)
	if err != nil {
		if errors.Is(err, protocol.ErrProtocolViolation) {
			c.violate(err)
		} else {
			c.Fail(err)
		}
		return false
	}
	CountRead(c.cfg.Traffic, int(m.Size))
	msg, err := c.decode(m)
	c.fr.Release()
	if err != nil {
		c.violate(err)
		return false
	}
	select {
	case c.recvc <- msg:
		return true
	case <-c.stop:
		return false
	}
}

// decode checks the frame type and decodes the message, or reads the head
// of one over the read limit (or the codec's own) into a
// *protocol.TooLarge. Every error it returns matches
// protocol.ErrProtocolViolation.
func (c *Conn) decode(m Message) (protocol.Message, error) {
	cd := c.cfg.Codec
	if c.cfg.CheckType && m.Binary != cd.Binary() {
		return nil, frameTypeError(c.cfg.Name, m.Binary, cd.Name())
	}
	if m.Over {
		return c.tooLarge(oversize.Item(cd, m.Data, m.Size, c.cfg.ReadLimit))
	}
	msg, err := cd.Decode(m.Data)
	if err != nil {
		if tl, err, ok := oversize.Refused(cd, m.Data, err); ok {
			return c.tooLarge(tl, err)
		}
		if !errors.Is(err, protocol.ErrProtocolViolation) {
			err = fmt.Errorf("%s: %w: %w", c.cfg.Name, err, protocol.ErrProtocolViolation)
		}
		return nil, err
	}
	return msg, nil
}

// tooLarge is what the session gets for a message over the read limit
// (or the codec's own): m, or err when its head could not be read.
func (c *Conn) tooLarge(m *protocol.TooLarge, err error) (protocol.Message, error) {
	if err != nil {
		sentinel := c.cfg.TooLarge
		if sentinel == nil {
			sentinel = protocol.ErrMessageTooLarge
		}
		return nil, fmt.Errorf("%w: %w", sentinel, err)
	}
	c.cfg.Timing.Log.Debug(c.cfg.Name+": message over the read limit discarded", "type", m.Of, "size", m.Size, "limit", m.Limit)
	return m, nil
}

// frameTypeError reports a data frame of the wrong type for the serializer.
func frameTypeError(name string, binary bool, serializer string) error {
	got, want := "text", "binary"
	if binary {
		got, want = want, got
	}
	return fmt.Errorf("%s: %s frame received, but serializer %q uses %s frames: %w",
		name, got, serializer, want, protocol.ErrProtocolViolation)
}
