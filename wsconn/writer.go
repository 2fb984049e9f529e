package wsconn

import (
	"fmt"

	"github.com/wampgo/wampgo/internal/transport/connstate"
)

// writeBatch writes a batch of encoded messages, in order, each one data
// frame, with the network connection held (rawConn.hold) so that the
// frames leave in one system call. connstate.Writer calls it, on the
// goroutine of the sender that found no write in progress, one batch at a
// time. A write error is fatal: it ends the connection.
func (c *Conn) writeBatch(batch [][]byte) error {
	c.raw.hold()
	// Counted before they are written: the peer's answer may be read
	// before Write returns.
	c.raw.frames.Add(uint64(len(batch)))
	for _, b := range batch {
		connstate.CountWritten(c.cfg.traffic, len(b))
		if err := c.ws.Write(c.ioCtx, c.frame, b); err != nil {
			c.raw.release()
			return c.writeFailed(err)
		}
	}
	if err := c.raw.release(); err != nil {
		return c.writeFailed(err)
	}
	return nil
}

// writeFailed ends the connection on a write error and returns the end
// reason: this error, or the earlier one that made the write fail (such as
// Close's protocol.ErrTransportClosed).
func (c *Conn) writeFailed(err error) error {
	c.fail(fmt.Errorf("wsconn: write: %w", err))
	return c.Err()
}
