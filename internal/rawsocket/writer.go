package rawsocket

import (
	"fmt"

	"github.com/wampgo/wampgo/internal/connstate"
)

// writeLoop is the writer goroutine, the only one writing to the stream.
// It blocks for the first frame queued (a message from Send, or a PING or
// PONG), then takes every frame already queued without blocking, and
// flushes once: a burst of messages costs one write call, a lone message
// no added latency. It owns wdone and closes it on exit.
//
// It stops when wstop is closed. After Close it first writes what is still
// queued (Close bounds that with CloseTimeout); after a fatal error it drops
// the queue, as the connection is gone. A write error is fatal.
func (c *Conn) writeLoop() {
	defer c.wg.Done()
	defer close(c.wdone)
	for {
		select {
		case f := <-c.sendq:
			c.put(f)
		case f := <-c.ctrlq:
			c.put(f)
		case <-c.st.WritesStopped():
			select {
			case <-c.stop:
				c.drain()
			default:
			}
			return
		}
		if !c.drain() {
			return
		}
	}
}

// drain buffers every frame queued, without waiting for more, then
// flushes, reporting whether the writes succeeded. A failure ends the
// connection.
func (c *Conn) drain() bool {
	for {
		select {
		case f := <-c.sendq:
			c.put(f)
		case f := <-c.ctrlq:
			c.put(f)
		default:
			if err := c.bw.Flush(); err != nil {
				c.fail(fmt.Errorf("rawsocket: write: %w", err))
				return false
			}
			return true
		}
	}
}

// put buffers one frame. bufio.Writer keeps its first error and returns it
// from every later call, so errors are checked once, at Flush. A message
// frame's payload counts as written here, before it is: the peer's answer
// may be read before the flush returns.
func (c *Conn) put(f control) {
	if !f.raw {
		if f.typ == FrameMessage {
			connstate.CountWritten(c.cfg.traffic, len(f.payload))
		}
		// Appended to the buffer's free space: no allocation unless
		// fewer than headerLen bytes are free.
		c.bw.Write(appendHeader(c.bw.AvailableBuffer(), f.typ, len(f.payload)))
	}
	c.bw.Write(f.payload)
}
