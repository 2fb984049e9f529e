package wsconn

import "fmt"

// writeLoop is the writer goroutine: it writes the encoded messages that
// Send queues, in order, one write in flight. Each websocket Write is one
// frame and one flush, so there is nothing to gain from batching: the loop
// takes messages as they come. It owns wdone and closes it on exit.
//
// It stops when wstop is closed. After Close it first writes what is still
// queued (Close bounds that with CloseTimeout); after a fatal error it drops
// the queue, as the connection is gone. A write error is fatal.
func (c *Conn) writeLoop() {
	defer c.wg.Done()
	defer close(c.wdone)
	for {
		select {
		case b := <-c.sendq:
			if !c.write(b) {
				return
			}
		case <-c.wstop:
			select {
			case <-c.stop:
				c.flush()
			default:
			}
			return
		}
	}
}

// flush writes what is queued without waiting for more.
func (c *Conn) flush() {
	for {
		select {
		case b := <-c.sendq:
			if !c.write(b) {
				return
			}
		default:
			return
		}
	}
}

// write writes one message with the connection's context, reporting
// whether it succeeded. A failure ends the connection.
func (c *Conn) write(b []byte) bool {
	c.cfg.traffic.wrote(len(b)) // before: the peer's answer may be read before Write returns
	if err := c.ws.Write(c.ctx, c.frame, b); err != nil {
		c.fail(fmt.Errorf("wsconn: write: %w", err))
		return false
	}
	return true
}
