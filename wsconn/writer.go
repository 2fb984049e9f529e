package wsconn

import "fmt"

// writeBatch writes a batch of frames through the framing, in order.
// connstate.Writer calls it, on the goroutine of the sender that found no
// write in progress, one batch at a time. A write error is fatal: it ends
// the connection.
func (c *Conn) writeBatch(batch []frame) error {
	if err := c.fr.writeBatch(batch); err != nil {
		// The end reason: this error, or the earlier one that made the
		// write fail (such as Close's protocol.ErrTransportClosed).
		c.fail(fmt.Errorf("wsconn: write: %w", err))
		return c.Err()
	}
	return nil
}
