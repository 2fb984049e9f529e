package rawsocket

import (
	"encoding/binary"
	"time"
)

// keepalivePing is the keepalive timer's ping (connstate.Keepalive), run
// PingInterval after the previous PONG: it sends the next PING and waits
// for its PONG, ending the connection with ErrPingTimeout when the peer
// shows no sign of life for PongTimeout.
func (c *Conn) keepalivePing() bool {
	c.pingSeq++
	return c.ping(c.pingSeq)
}

// ping sends PING number seq (its 8-byte payload) and waits for the PONG
// that echoes it, reporting whether the connection is still up. Only
// keepalivePing calls it.
//
// The PONG is read by the reader goroutine, so it cannot arrive while the
// reader waits for the session to take a message. The deadline therefore
// only counts time in which the reader waited on the network and nothing
// came: when bytes arrived, or the reader is busy elsewhere (decoding,
// delivering), the deadline starts again. Past it, fail records
// ErrPingTimeout and closes the connection.
func (c *Conn) ping(seq uint64) bool {
	frame := control{typ: FramePing, payload: binary.BigEndian.AppendUint64(nil, seq)}
	deadline := time.NewTimer(c.cfg.pongTimeout)
	defer deadline.Stop()
	seen := c.progress.Load()
	if c.w.Control(frame) != nil {
		return false
	}
	for {
		select {
		case got := <-c.pongc:
			if got == seq {
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
