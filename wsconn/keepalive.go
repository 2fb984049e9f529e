package wsconn

import (
	"context"
	"fmt"
	"time"
)

// ping sends one ping and waits for its pong, reporting whether the
// connection is still up. Only the keepalive timer (connstate.Keepalive)
// calls it.
//
// The pong is read by the reader goroutine, so it cannot arrive while the
// reader waits for the session to take a message. The deadline therefore
// only counts time in which the reader waited on the network, in one read,
// and nothing came: when bytes arrived, the reader started another read, or
// it is busy elsewhere (decoding, delivering), the deadline starts again. Past it, fail records ErrPingTimeout first and then
// closes the connection, which unblocks the ping (whose write may itself be
// stuck on a dead peer).
func (c *Conn) ping() bool {
	ctx, cancel := context.WithCancel(c.ctx)
	defer cancel()
	pong := make(chan error, 1)
	go func() { pong <- c.fr.ping(ctx) }() // always waited for below

	deadline := time.NewTimer(c.cfg.pongTimeout)
	defer deadline.Stop()
	seen := c.raw.progress.Load()
	done := c.st.Done()
	for {
		select {
		case err := <-pong:
			if done == nil {
				return false
			}
			if err != nil {
				// Usually the connection failed and that error is
				// already recorded; if not, this one is the cause.
				c.fail(fmt.Errorf("wsconn: ping: %w", err))
				return false
			}
			return true
		case <-done:
			// Wait for the ping without cancelling it: cancelling a
			// write in progress would close the WebSocket, which must
			// stay up for an ABORT after a protocol violation. The ping
			// returns at the latest when Close closes the WebSocket.
			done = nil
			deadline.Stop()
		case <-deadline.C:
			if n := c.raw.progress.Load(); n != seen || !c.reading.Load() {
				seen = n
				deadline.Reset(c.cfg.pongTimeout)
				continue
			}
			c.fail(ErrPingTimeout)
			<-pong
			return false
		}
	}
}
