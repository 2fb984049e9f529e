package connstate

import (
	"context"
	"fmt"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// ping sends one keepalive ping and waits for its answer, reporting
// whether the connection is still up. Only the keepalive timer calls it.
//
// The answer is read by the reader goroutine, so it cannot arrive while
// the reader waits for the session to take a message. The deadline
// therefore only counts time in which the reader waited on the network and
// nothing came: when bytes arrived, the reader started another wait, or it
// is busy elsewhere (decoding, delivering), the deadline starts again.
// Past it, Fail records protocol.ErrPingTimeout first and then closes the
// connection, which unblocks the ping (whose write may itself be stuck on
// a dead peer).
func (c *Conn) ping() bool {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c.holdPing(cancel)
	defer c.holdPing(nil)
	pong := make(chan error, 1)
	go func() { pong <- c.fr.Ping(ctx) }() // always waited for below

	timeout := c.cfg.Timing.PongTimeout
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	seen := c.progress.Load()
	done := c.st.Done()
	for {
		select {
		case err := <-pong:
			if done == nil {
				return false
			}
			if err != nil {
				select {
				case <-c.st.Done():
					// The connection ended meanwhile: after a
					// protocol violation, its write side must stay.
					return false
				default:
				}
				// Usually the connection failed and that error is
				// already recorded; if not, this one is the cause.
				c.Fail(fmt.Errorf("%s: ping: %w", c.cfg.Name, err))
				return false
			}
			return true
		case <-done:
			// Wait for the ping without cancelling it: cancelling a
			// write in progress may close the connection (as
			// coder/websocket does), which must stay up for an ABORT
			// after a protocol violation. Close ends the ping (endPing).
			done = nil
			deadline.Stop()
		case <-deadline.C:
			// reading is loaded first: if the reader is waiting, the
			// progress its wait began with is in n.
			reading := c.reading.Load()
			if n := c.progress.Load(); n != seen || !reading {
				seen = n
				deadline.Reset(timeout)
				continue
			}
			c.Fail(protocol.ErrPingTimeout)
			<-pong
			return false
		}
	}
}

// holdPing records cancel as the cancel function of the ping in progress
// (nil: the ping is over); once Close is done with the connection
// (endPing), it cancels it at once instead.
func (c *Conn) holdPing(cancel context.CancelFunc) {
	c.pingMu.Lock()
	defer c.pingMu.Unlock()
	if c.closed && cancel != nil {
		cancel()
		return
	}
	c.pingCancel = cancel
}

// endPing is called by Close once the closing handshake is over: it
// cancels the ping in progress, if any, and every later one.
func (c *Conn) endPing() {
	c.pingMu.Lock()
	defer c.pingMu.Unlock()
	c.closed = true
	if c.pingCancel != nil {
		c.pingCancel()
	}
}
