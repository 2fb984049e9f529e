package rawsocket

import (
	"fmt"

	"github.com/wampgo/wampgo/internal/transport/connstate"
	"github.com/wampgo/wampgo/internal/transport/lazyio"
)

// writeBatch writes a batch of frames (messages, PINGs, PONGs), gathered
// in a pooled buffer: a burst of messages costs one write call, and an
// idle connection holds no write buffer. A frame too large to gather is
// written through, after what was gathered before it. connstate.Writer
// calls it, on the goroutine of the sender that found no write in
// progress, one batch at a time. A write error is fatal.
func (c *Conn) writeBatch(batch []control) error {
	bp := lazyio.GetBuffer()
	buf := (*bp)[:0]
	var err error
	for _, f := range batch {
		if !f.raw {
			if f.typ == FrameMessage {
				// Counted before it is written: the peer's answer may
				// be read before the write returns.
				connstate.CountWritten(c.cfg.traffic, len(f.payload))
			}
			if len(buf)+headerLen > cap(buf) {
				if err = c.writeOut(buf); err != nil {
					break
				}
				buf = buf[:0]
			}
			buf = appendHeader(buf, f.typ, len(f.payload))
		}
		if len(buf)+len(f.payload) <= cap(buf) {
			buf = append(buf, f.payload...)
			continue
		}
		if err = c.writeOut(buf); err != nil {
			break
		}
		buf = buf[:0]
		if err = c.writeOut(f.payload); err != nil {
			break
		}
	}
	if err == nil {
		err = c.writeOut(buf)
	}
	*bp = buf[:0]
	lazyio.PutBuffer(bp)
	if err != nil {
		// The end reason: this error, or the earlier one that made the
		// write fail (such as Close's protocol.ErrTransportClosed).
		c.fail(fmt.Errorf("rawsocket: write: %w", err))
		return c.Err()
	}
	return nil
}

// writeOut writes b to the stream, if not empty.
func (c *Conn) writeOut(b []byte) error {
	if len(b) == 0 {
		return nil
	}
	_, err := c.sink.Write(b)
	return err
}
