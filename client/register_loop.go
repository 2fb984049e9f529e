package client

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/wampgo/wampgo/mailbox"
	"github.com/wampgo/wampgo/protocol"
)

func (s *loopState) handleRegister(c *cmdRegister) {
	if err := c.ctx.Err(); err != nil {
		c.reply <- err // held while reconnecting; the caller gave up
		return
	}
	if err := s.admit("Register", c.msg, encoded{conn: c.checked}); err != nil {
		c.reply <- err
		return
	}
	c.reg.start()
	req := s.nextID()
	c.msg.Request = req
	s.request(req, c.msg, func(msg protocol.Message, err error) {
		if err != nil {
			c.reg.end(err)
			c.reply <- err
			return
		}
		reg := c.reg
		if err := s.attachReg(reg, msg.(*protocol.Registered).Registration); err != nil {
			s.fail(err)
			reg.end(err)
			c.reply <- closedError(err)
			return
		}
		s.localRegs = append(s.localRegs, reg)
		if c.ctx.Err() != nil {
			// The caller gave up: withdraw the registration.
			s.removeReg(reg, func(error) {})
		}
		c.reply <- nil
	})
}

// attachReg records reg under the router's registration id.
func (s *loopState) attachReg(reg *Registration, id protocol.ID) error {
	if _, dup := s.regs[id]; dup {
		return violation(protocol.TypeRegistered, "Registration", fmt.Sprintf("%d is already one of ours", id))
	}
	reg.id.Store(id)
	reg.session = s.sess.ID
	s.regs[id] = reg
	s.regProc[reg.procedure] = append(s.regProc[reg.procedure], id)
	s.publishRegIndex(reg.procedure)
	return nil
}

// forgetReg drops reg from the list restored after a reconnect.
func (s *loopState) forgetReg(reg *Registration) {
	s.localRegs = slices.DeleteFunc(s.localRegs, func(x *Registration) bool { return x == reg })
	s.restored(reg)
}

func (s *loopState) handleUnregister(c *cmdUnregister) {
	if c.reg != nil {
		if c.reg.removed {
			c.reply <- fmt.Errorf("%w: registration already removed", ErrNotFound)
			return
		}
		s.removeReg(c.reg, func(err error) { c.reply <- err })
		return
	}
	ids := c.ids
	if len(ids) == 0 {
		ids = s.regProc[c.procedure]
	}
	var regs []*Registration
	if s.t == nil && len(c.ids) == 0 {
		// Reconnecting: no router ids exist; remove the local ones.
		for _, r := range s.localRegs {
			if r.procedure == c.procedure {
				regs = append(regs, r)
			}
		}
		ids = nil
	}
	for _, id := range ids {
		r := s.regs[id]
		if r == nil || r.procedure != c.procedure {
			c.reply <- fmt.Errorf("%w: no registration %d of %q", ErrNotFound, id, c.procedure)
			return
		}
		regs = append(regs, r)
	}
	if len(regs) == 0 {
		c.reply <- fmt.Errorf("%w: no registration of %q", ErrNotFound, c.procedure)
		return
	}
	waiting := len(regs)
	var first error
	for _, r := range regs {
		s.removeReg(r, func(err error) {
			if err != nil && first == nil {
				first = err
			}
			if waiting--; waiting == 0 {
				c.reply <- first
			}
		})
	}
}

// removeReg forgets a registration locally, ends its handlers and sends
// UNREGISTER; done gets the outcome.
func (s *loopState) removeReg(r *Registration, done func(error)) {
	id := r.ID()
	s.dropReg(r, errors.New("wampgo: unregistered"))
	if s.t == nil || id == 0 {
		done(nil) // reconnecting: the router has forgotten it already
		return
	}
	req := s.nextID()
	s.request(req, &protocol.Unregister{Request: req, Registration: id}, func(_ protocol.Message, err error) {
		done(err)
	})
}

func (s *loopState) dropReg(r *Registration, cause error) {
	r.removed = true
	s.forgetReg(r)
	id := r.ID()
	delete(s.regs, id)
	s.regProc[r.procedure] = slices.DeleteFunc(s.regProc[r.procedure], func(x protocol.ID) bool { return x == id })
	if len(s.regProc[r.procedure]) == 0 {
		delete(s.regProc, r.procedure)
	}
	s.publishRegIndex(r.procedure)
	r.end(cause)
}

// handleRegistrationRevoked handles UNREGISTERED with request 0: the router
// withdrew a registration on its own.
func (s *loopState) handleRegistrationRevoked(m *protocol.Unregistered) {
	id, _ := idFromDetails(m.Details, "registration")
	r := s.regs[id]
	if r == nil {
		return
	}
	reason, _ := m.Details["reason"].(string)
	s.c.cfg.logger.Warn("wampgo: registration revoked by the router", "procedure", r.procedure, "registration", id, "reason", reason)
	s.dropReg(r, fmt.Errorf("wampgo: registration revoked: %s", reason))
}

// start gives r its context and its mailbox, whose worker goroutines
// exist only while invocations run. The loop calls it when it takes the
// Register.
func (r *Registration) start() {
	c := r.c
	r.ctx, r.cancel = context.WithCancelCause(c.base)
	r.mb = mailbox.NewTracked(&c.handlers, r.cfg.limits.mailbox(), r.cfg.concurrency, r.run, func(p *mailbox.PanicError) {
		c.reportPanic("invocation of "+r.procedure, p)
	})
}

// end stops the registration's mailbox and ends its handlers' contexts.
// Only the loop calls it.
func (r *Registration) end(cause error) {
	if r.mb == nil {
		return // never started
	}
	if r.c.endDraining(r.mb) {
		return
	}
	r.cancel(cause)
	r.c.closeMailbox(r.mb)
}
