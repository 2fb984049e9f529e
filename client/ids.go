package client

import (
	"maps"
	"slices"

	"github.com/wampgo/wampgo/mailbox"
	"github.com/wampgo/wampgo/protocol"
)

// idIndex is an immutable snapshot of URI → router ids, published by the
// session loop after every change so that look-ups need neither the loop
// nor a lock.
type idIndex map[protocol.URI][]protocol.ID

func snapshot(m map[protocol.URI][]protocol.ID) *idIndex {
	out := make(idIndex, len(m))
	for k, v := range maps.All(m) {
		out[k] = slices.Clone(v)
	}
	return &out
}

func (s *loopState) publishSubIndex() { s.c.subIndex.Store(snapshot(s.subTopic)) }
func (s *loopState) publishRegIndex() { s.c.regIndex.Store(snapshot(s.regProc)) }

// SubscriptionIDs returns the router subscription ids held for topic, as of
// the session loop's last change. It does not block.
func (c *Client) SubscriptionIDs(topic protocol.URI) []protocol.ID {
	if ix := c.subIndex.Load(); ix != nil {
		return slices.Clone((*ix)[topic])
	}
	return nil
}

// RegistrationIDs returns the registration ids held for procedure, as of
// the session loop's last change. It does not block.
func (c *Client) RegistrationIDs(procedure protocol.URI) []protocol.ID {
	if ix := c.regIndex.Load(); ix != nil {
		return slices.Clone((*ix)[procedure])
	}
	return nil
}

// trackMailbox counts a handler mailbox's goroutines into the client's
// end: Done waits for them.
//
// A mailbox made as the client ends (a Subscribe racing Close) cannot join
// a wait already under way: trackMailbox then closes it and waits for its
// goroutines itself, so none outlives Done.
func (c *Client) trackMailbox(mb interface {
	Done() <-chan struct{}
	Close()
	Discarded() uint64
}) {
	c.trackMu.Lock()
	if c.reaping {
		c.trackMu.Unlock()
		mb.Close()
		<-mb.Done()
		return
	}
	c.handlers.Add(1)
	c.trackMu.Unlock()
	go func() {
		<-mb.Done()
		switch mb.(type) {
		case *mailbox.Mailbox[*Event], *mailbox.Mailbox[*Invocation]:
			c.stats().handled(mb.Discarded()) // queued, then thrown away unhandled
		}
		c.handlers.Done()
	}()
}

// reportPanic reports a panic in a handler to the logger and the error
// handler.
func (c *Client) reportPanic(where string, p *mailbox.PanicError) {
	c.cfg.logger.Error("wampgo: handler panicked", "where", where, "panic", p.Value)
	c.reportError(&HandlerPanicError{Value: p.Value, Stack: p.Stack})
}
