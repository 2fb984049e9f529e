package client

import (
	"errors"
	"slices"

	"github.com/wampgo/wampgo/actor"
	"github.com/wampgo/wampgo/protocol"
)

// cmdDrain asks the loop to remove every subscription and registration.
type cmdDrain struct {
	reply actor.Reply[drainReply]
}

func (*cmdDrain) isCommand() {}

// drainReply lists the mailboxes to wait for, and the first error of a
// removal.
type drainReply struct {
	mailboxes []drainable
	err       error
}

// handleDrain sends UNSUBSCRIBE and UNREGISTER for everything, and
// replies once the router has answered every one. Until its answer, a
// subscription still gets the events and a registration the invocations
// that the router sent before it took the removal in; then the local
// objects are retired, and their mailboxes drain (Client.draining is set).
// Without a session (reconnecting), they are retired at once.
func (s *loopState) handleDrain(c *cmdDrain) {
	var r drainReply
	for _, sub := range s.localSubs {
		if sub.mb != nil {
			r.mailboxes = append(r.mailboxes, sub.mb)
		}
	}
	for _, reg := range s.localRegs {
		if reg.mb != nil {
			r.mailboxes = append(r.mailboxes, reg.mb)
		}
	}
	waiting := 1
	answered := func(err error) {
		if err != nil && r.err == nil {
			r.err = err
		}
		if waiting--; waiting == 0 {
			c.reply <- r
		}
	}
	for _, e := range s.subs {
		waiting++
		s.removeAfterReply(&protocol.Unsubscribe{Subscription: e.id}, func() { s.dropSubEntry(e, nil) }, answered)
	}
	for _, reg := range slices.Clone(s.localRegs) {
		if id := reg.ID(); id != 0 && s.regs[id] == reg {
			waiting++
			s.removeAfterReply(&protocol.Unregister{Registration: id}, func() { s.dropReg(reg, errDrained) }, answered)
		}
	}
	// Whatever has no router id (held while reconnecting) goes now.
	for _, sub := range slices.Clone(s.localSubs) {
		if _, ok := s.subs[sub.ID()]; !ok {
			s.retireSub(sub)
		}
	}
	for _, reg := range slices.Clone(s.localRegs) {
		if reg.ID() == 0 || s.regs[reg.ID()] != reg {
			s.dropReg(reg, errDrained)
		}
	}
	answered(nil)
}

// errDrained ends what Drain removed.
var errDrained = errors.New("wampgo: drained")

// removeAfterReply sends an UNSUBSCRIBE or UNREGISTER (msg, without its
// request id) and runs retire once the router has answered (or the
// session has ended), then done with the router's error.
func (s *loopState) removeAfterReply(msg protocol.Message, retire func(), done func(error)) {
	req := s.nextID()
	protocol.SetRequestID(msg, req)
	s.request(req, msg, func(_ protocol.Message, err error) {
		retire()
		done(err)
	})
}

// endDraining ends a subscription's or registration's mailbox while the
// client drains: it takes no more work but handles what it holds, with
// the handlers' contexts left alive. It reports false when the client is
// not draining: the caller then ends the mailbox at once.
func (c *Client) endDraining(mb drainable) bool {
	if !c.watch.draining.Load() {
		return false
	}
	mb.CloseWhenDrained()
	return true
}
