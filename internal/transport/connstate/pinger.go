package connstate

import (
	"context"
	"encoding/binary"
	"sync/atomic"
)

// Pinger numbers a framing's keepalive pings and matches their answers,
// for a transport whose ping carries its number in an 8-octet payload that
// the answer echoes (RawSocket's PING, the lean WebSocket client's ping).
// Ping is called by the keepalive timer, one ping at a time; Answer by the
// reader. Its zero value is ready to use, and holds nothing between pings.
type Pinger struct {
	// answers takes the answers that may echo the ping in progress: made
	// by Ping for the ping and dropped after it, so that an idle
	// connection holds no channel; written by Answer.
	answers atomic.Pointer[chan uint64]
	seq     uint64 // the last ping's number; owned by Ping
}

// NewPinger returns a Pinger (the zero value).
func NewPinger() Pinger { return Pinger{} }

// Ping queues the next ping on c as a control frame of kind control, and
// waits for the answer that echoes it, ctx's end or the connection's.
func (p *Pinger) Ping(ctx context.Context, c *Conn, control uint8) error {
	p.seq++
	seq := p.seq
	answers := make(chan uint64, 1)
	p.answers.Store(&answers)
	defer p.answers.Store(nil)
	if err := c.Control(Frame{Control: control, P: binary.BigEndian.AppendUint64(nil, seq)}); err != nil {
		return err
	}
	for {
		select {
		case got := <-answers:
			if got == seq {
				return nil
			}
		case <-c.Done():
			return c.Err()
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Answer hands the payload of an answer to Ping, without waiting; one
// that echoes no ping (unsolicited, or late) is ignored.
func (p *Pinger) Answer(payload []byte) {
	answers := p.answers.Load()
	if len(payload) != 8 || answers == nil {
		return
	}
	select {
	case *answers <- binary.BigEndian.Uint64(payload):
	default:
	}
}
