package wsconn

import (
	"fmt"

	"github.com/wampgo/wampgo/internal/connstate"
)

// writeLoop is the writer goroutine: it writes the batches of encoded
// messages that Send and SendEncoded queue, in order, one write in flight.
// It owns wdone and closes it on exit.
//
// It batches: it waits for one batch, then takes every batch already
// queued without waiting, and writes them all with the network connection
// held (rawConn.hold), so that the frames leave in one system call when
// the queue drains. A lone message is written at once, with no added
// latency.
//
// It stops when wstop is closed. After Close it first writes what is still
// queued (Close bounds that with CloseTimeout); after a fatal error it drops
// the queue, as the connection is gone. A write error is fatal.
func (c *Conn) writeLoop() {
	defer c.wg.Done()
	defer close(c.wdone)
	for {
		select {
		case batch := <-c.sendq:
			if !c.writeQueued(batch) {
				return
			}
		case <-c.st.WritesStopped():
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
	select {
	case batch := <-c.sendq:
		c.writeQueued(batch)
	default:
	}
}

// writeQueued writes batch and every batch queued behind it, gathered
// into as few network writes as possible, reporting whether it succeeded.
// A failure ends the connection.
func (c *Conn) writeQueued(batch [][]byte) bool {
	c.raw.hold()
	for {
		for _, b := range batch {
			connstate.CountWritten(c.cfg.traffic, len(b)) // before: the peer's answer may be read before Write returns
			if err := c.ws.Write(c.ioCtx, c.frame, b); err != nil {
				c.raw.release()
				c.fail(fmt.Errorf("wsconn: write: %w", err))
				return false
			}
		}
		c.raw.frames.Add(uint64(len(batch)))
		select {
		case batch = <-c.sendq:
			continue
		default:
		}
		break
	}
	if err := c.raw.release(); err != nil {
		c.fail(fmt.Errorf("wsconn: write: %w", err))
		return false
	}
	return true
}
