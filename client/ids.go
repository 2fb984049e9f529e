package client

import (
	"slices"

	"github.com/wampgo/wampgo/mailbox"
	"github.com/wampgo/wampgo/protocol"
)

// The id indexes (Client.subIndex, Client.regIndex) map a URI to the router
// ids held for it, for SubscriptionIDs and RegistrationIDs to answer
// without the loop. The loop publishes one key at a time, after each
// change, as a fresh slice that is never modified afterwards; a change
// costs what that key's ids cost, whatever the number of others.

func publishIDs(ix *idIndex, uri protocol.URI, ids []protocol.ID) {
	if len(ids) == 0 {
		ix.Delete(uri)
		return
	}
	ix.Store(uri, slices.Clone(ids))
}

func (s *loopState) publishSubIndex(topic protocol.URI) {
	publishIDs(&s.c.subIndex, topic, s.subTopic[topic])
}

func (s *loopState) publishRegIndex(procedure protocol.URI) {
	publishIDs(&s.c.regIndex, procedure, s.regProc[procedure])
}

func lookupIDs(ix *idIndex, uri protocol.URI) []protocol.ID {
	if v, ok := ix.Load(uri); ok {
		return slices.Clone(v.([]protocol.ID))
	}
	return nil
}

// SubscriptionIDs returns the router subscription ids held for topic, as of
// the session loop's last change. It does not block.
func (c *Client) SubscriptionIDs(topic protocol.URI) []protocol.ID {
	return lookupIDs(&c.subIndex, topic)
}

// RegistrationIDs returns the registration ids held for procedure, as of
// the session loop's last change. It does not block.
func (c *Client) RegistrationIDs(procedure protocol.URI) []protocol.ID {
	return lookupIDs(&c.regIndex, procedure)
}

// closeMailbox closes a handler mailbox and takes what it threw away
// unhandled off the pending count (Stats).
func (c *Client) closeMailbox(mb interface {
	Close()
	Discarded() uint64
}) {
	before := mb.Discarded()
	mb.Close()
	c.stats().handled(mb.Discarded() - before)
}

// reportPanic reports a panic in a handler to the logger and the error
// handler.
func (c *Client) reportPanic(where string, p *mailbox.PanicError) {
	c.cfg.logger.Error("wampgo: handler panicked", "where", where, "panic", p.Value)
	c.reportError(userPanic(p))
}
