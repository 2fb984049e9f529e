package client

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/wampgo/wampgo/mailbox"
	"github.com/wampgo/wampgo/protocol"
)

// subEntry is one router subscription with the local handlers sharing it.
type subEntry struct {
	id    protocol.ID
	topic protocol.URI
	subs  []*Subscription
}

// parkedEvent is an event that found a Block-policy mailbox full: the loop
// stops reading until sub's mailbox has room, then delivers it to sub and
// to the handlers after it.
type parkedEvent struct {
	ev   *Event
	size int
	sub  *Subscription
	rest []*Subscription
}

func (s *loopState) handleSubscribe(c *cmdSubscribe) {
	if err := c.ctx.Err(); err != nil {
		c.reply <- err // held while reconnecting; the caller gave up
		return
	}
	if err := s.admit("Subscribe", c.msg, encoded{conn: c.checked}); err != nil {
		c.reply <- err
		return
	}
	c.sub.start()
	req := s.nextID()
	c.msg.Request = req
	s.request(req, c.msg, func(msg protocol.Message, err error) {
		if err != nil {
			c.sub.end(err)
			c.reply <- err
			return
		}
		sub := c.sub
		if err := s.attachSub(sub, msg.(*protocol.Subscribed).Subscription); err != nil {
			s.fail(err)
			sub.end(err)
			c.reply <- closedError(err)
			return
		}
		s.localSubs = append(s.localSubs, sub)
		if c.ctx.Err() != nil {
			// The caller gave up: take the subscription back.
			s.removeSub(sub, func(error) {})
		}
		c.reply <- nil
	})
}

// attachSub records sub under the router's subscription id. An id that
// already stands for another topic is a protocol violation.
func (s *loopState) attachSub(sub *Subscription, id protocol.ID) error {
	e := s.subs[id]
	if e != nil && e.topic != sub.topic {
		return violation(protocol.TypeSubscribed, "Subscription",
			fmt.Sprintf("%d is already the subscription to %q, not %q", id, e.topic, sub.topic))
	}
	sub.id.Store(id)
	if e == nil {
		e = &subEntry{id: id, topic: sub.topic}
		s.subs[id] = e
		s.subTopic[sub.topic] = append(s.subTopic[sub.topic], id)
	}
	e.subs = append(e.subs, sub)
	s.publishSubIndex(sub.topic)
	return nil
}

// forgetSub drops sub from the list restored after a reconnect.
func (s *loopState) forgetSub(sub *Subscription) {
	s.localSubs = slices.DeleteFunc(s.localSubs, func(x *Subscription) bool { return x == sub })
	s.restored(sub)
}

func (s *loopState) handleUnsubscribe(c *cmdUnsubscribe) {
	if c.sub != nil {
		if c.sub.removed {
			c.reply <- fmt.Errorf("%w: subscription already removed", ErrNotFound)
			return
		}
		s.removeSub(c.sub, func(err error) { c.reply <- err })
		return
	}
	ids := c.ids
	if len(ids) == 0 {
		ids = s.subTopic[c.topic]
	}
	if s.t == nil && len(c.ids) == 0 {
		// Reconnecting: no router ids exist; remove the local handlers.
		removed := false
		for _, sub := range slices.Clone(s.localSubs) {
			if sub.topic == c.topic {
				s.removeSub(sub, func(error) {})
				removed = true
			}
		}
		if !removed {
			c.reply <- fmt.Errorf("%w: no subscription to %q", ErrNotFound, c.topic)
			return
		}
		c.reply <- nil
		return
	}
	var entries []*subEntry
	for _, id := range ids {
		e := s.subs[id]
		if e == nil || e.topic != c.topic {
			c.reply <- fmt.Errorf("%w: no subscription %d to %q", ErrNotFound, id, c.topic)
			return
		}
		entries = append(entries, e)
	}
	if len(entries) == 0 {
		c.reply <- fmt.Errorf("%w: no subscription to %q", ErrNotFound, c.topic)
		return
	}
	waiting := len(entries)
	var first error
	for _, e := range entries {
		s.dropSubEntry(e, ErrClosed)
		s.sendUnsubscribe(e.id, func(err error) {
			if err != nil && first == nil {
				first = err
			}
			if waiting--; waiting == 0 {
				c.reply <- first
			}
		})
	}
}

// removeSub removes one local handler; the router subscription goes when
// its last handler does. done gets the outcome.
func (s *loopState) removeSub(sub *Subscription, done func(error)) {
	s.retireSub(sub)
	id := sub.ID()
	e := s.subs[id]
	if e == nil {
		done(nil) // reconnecting: the router has forgotten it already
		return
	}
	e.subs = slices.DeleteFunc(e.subs, func(x *Subscription) bool { return x == sub })
	if len(e.subs) > 0 {
		done(nil)
		return
	}
	s.dropSubEntry(e, nil)
	s.sendUnsubscribe(id, done)
}

// dropSubEntry forgets a router subscription locally and ends its handlers.
func (s *loopState) dropSubEntry(e *subEntry, cause error) {
	delete(s.subs, e.id)
	s.subTopic[e.topic] = slices.DeleteFunc(s.subTopic[e.topic], func(x protocol.ID) bool { return x == e.id })
	if len(s.subTopic[e.topic]) == 0 {
		delete(s.subTopic, e.topic)
	}
	s.publishSubIndex(e.topic)
	for _, sub := range e.subs {
		s.retireSub(sub)
	}
	e.subs = nil
}

// retireSub ends one local handler: no more events, its mailbox closes, it
// is not restored after a reconnect, and an event parked on it moves on.
func (s *loopState) retireSub(sub *Subscription) {
	sub.removed = true
	sub.end(errors.New("wampgo: unsubscribed"))
	s.forgetSub(sub)
	if s.parked != nil && s.parked.sub == sub {
		s.resumeParked()
	}
}

func (s *loopState) sendUnsubscribe(id protocol.ID, done func(error)) {
	if s.t == nil {
		done(nil) // reconnecting: the router has forgotten it already
		return
	}
	req := s.nextID()
	s.request(req, &protocol.Unsubscribe{Request: req, Subscription: id}, func(_ protocol.Message, err error) {
		done(err)
	})
}

// handleSubscriptionRevoked handles UNSUBSCRIBED with request 0: the router
// ended a subscription on its own.
func (s *loopState) handleSubscriptionRevoked(m *protocol.Unsubscribed) {
	id, _ := idFromDetails(m.Details, "subscription")
	e := s.subs[id]
	if e == nil {
		return
	}
	reason, _ := m.Details["reason"].(string)
	s.c.cfg.logger.Warn("wampgo: subscription revoked by the router", "topic", e.topic, "subscription", id, "reason", reason)
	s.dropSubEntry(e, fmt.Errorf("wampgo: subscription revoked: %s", reason))
}

// handleEvent hands an event to each local handler's mailbox.
func (s *loopState) handleEvent(m *protocol.Event) {
	e := s.subs[m.Subscription]
	if e == nil {
		// An event racing our UNSUBSCRIBE: harmless.
		s.c.cfg.logger.Debug("wampgo: event for unknown subscription", "subscription", m.Subscription)
		return
	}
	ev := newEvent(e.topic, m)
	s.deliverEvent(ev, messageSize(m.Details, m.Payload), e.subs)
}

func (s *loopState) deliverEvent(ev *Event, size int, subs []*Subscription) {
	for i, sub := range subs {
		if sub.removed {
			continue
		}
		if sub.mb.TryPut(ev, size) {
			s.c.stats().queued()
			continue
		}
		if sub.cfg.overflow == Block {
			s.parked = &parkedEvent{ev: ev, size: size, sub: sub, rest: slices.Clone(subs[i+1:])}
			return
		}
		n := sub.dropped.Add(1)
		s.c.stats().dropped()
		err := &SlowConsumerError{Topic: ev.Topic, Subscription: ev.Subscription, Publication: ev.Publication, Dropped: n}
		s.c.cfg.logger.Warn("wampgo: slow consumer: event dropped", "topic", ev.Topic,
			"subscription", ev.Subscription, "publication", ev.Publication, "dropped", n)
		s.c.reportError(err)
	}
}

// resumeParked retries the parked event after its mailbox signalled room.
func (s *loopState) resumeParked() {
	p := s.parked
	if p.sub.removed {
		s.parked = nil
		s.deliverEvent(p.ev, p.size, p.rest)
		return
	}
	if !p.sub.mb.TryPut(p.ev, p.size) {
		return // still full: wait for the next signal
	}
	s.c.stats().queued()
	s.parked = nil
	s.deliverEvent(p.ev, p.size, p.rest)
}

func newEvent(topic protocol.URI, m *protocol.Event) *Event {
	ev := &Event{
		Topic:        topic,
		Subscription: m.Subscription,
		Publication:  m.Publication,
		Args:         passthruArgs(m.Payload),
		Kwargs:       m.Kwargs,
		Details:      m.Details,
	}
	if t, ok := m.Details["topic"].(string); ok && t != "" {
		ev.Topic = t
	}
	ev.Publisher, _ = idFromDetails(m.Details, "publisher")
	ev.PublisherAuthID, _ = m.Details["publisher_authid"].(string)
	ev.PublisherAuthRole, _ = m.Details["publisher_authrole"].(string)
	ev.Retained, _ = m.Details["retained"].(bool)
	return ev
}

// idFromDetails reads an id-valued entry of a details dict (see
// protocol.AsID).
func idFromDetails(d protocol.Dict, key string) (protocol.ID, bool) {
	return protocol.AsID(d[key])
}

// start gives sub its context and its mailbox, whose worker goroutine
// exists only while events wait. The loop calls it when it takes the
// Subscribe.
func (sub *Subscription) start() {
	c := sub.c
	sub.ctx, sub.cancel = context.WithCancelCause(c.base)
	sub.mb = mailbox.NewTracked(&c.handlers, sub.cfg.limits.mailbox(), 1, sub.handle, func(p *mailbox.PanicError) {
		c.reportPanic("event handler for "+sub.topic, p)
	})
}

// end stops the subscription's mailbox and ends its context. Only the loop
// calls it.
func (sub *Subscription) end(cause error) {
	if sub.mb == nil {
		return // never started
	}
	if sub.c.endDraining(sub.mb) {
		return
	}
	sub.cancel(cause)
	sub.c.closeMailbox(sub.mb)
}
