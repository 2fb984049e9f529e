package rawsocket

import (
	"encoding/binary"
	"time"
)

// keepalive is the keepalive goroutine, run when PingInterval > 0. It
// sends a PING PingInterval after the previous PONG and ends the
// connection with ErrPingTimeout when the peer shows no sign of life for
// PongTimeout. It stops when the connection ends (done).
func (c *Conn) keepalive() {
	defer c.wg.Done()
	t := time.NewTimer(c.cfg.pingInterval)
	defer t.Stop()
	for seq := uint64(1); ; seq++ {
		select {
		case <-c.st.Done():
			return
		case <-t.C:
		}
		if !c.ping(seq) {
			return
		}
		t.Reset(c.cfg.pingInterval)
	}
}

// ping sends PING number seq (its 8-byte payload) and waits for the PONG
// that echoes it, reporting whether the connection is still up. Only
// keepalive calls it.
//
// The PONG is read by the reader goroutine, so it cannot arrive while the
// reader waits for the session to take a message. The deadline therefore
// only counts time in which the reader waited on the network and nothing
// came: when bytes arrived, or the reader is busy elsewhere (decoding,
// delivering), the deadline starts again. Past it, fail records
// ErrPingTimeout and closes the connection.
func (c *Conn) ping(seq uint64) bool {
	frame := control{typ: FramePing, payload: binary.BigEndian.AppendUint64(nil, seq)}
	ctrlq := c.ctrlq // nil once the PING is queued
	deadline := time.NewTimer(c.cfg.pongTimeout)
	defer deadline.Stop()
	seen := c.progress.Load()
	for {
		select {
		case ctrlq <- frame:
			ctrlq = nil
		case got := <-c.pongc:
			if got == seq && ctrlq == nil {
				return true
			}
		case <-c.st.Done():
			return false
		case <-deadline.C:
			// reading is loaded first: if the reader is waiting, the
			// progress its wait began with is in n.
			reading := c.reading.Load()
			if n := c.progress.Load(); n != seen || !reading {
				seen = n
				deadline.Reset(c.cfg.pongTimeout)
				continue
			}
			c.fail(ErrPingTimeout)
			return false
		}
	}
}
