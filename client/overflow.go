package client

import "github.com/wampgo/wampgo/mailbox"

// OverflowPolicy is what happens to a message that finds its queue full:
// an event its subscription's mailbox (OnOverflow), a progressive result
// its call's queue (OnProgressOverflow), a progressive input chunk its
// invocation's queue (OnOverflow on Register). Each use takes the policies
// that make sense for it; an invocation that finds its registration's
// mailbox full always fails (Fail).
type OverflowPolicy int

const (
	// Drop drops the message, counts it and reports it to the error
	// handler (an event: a *SlowConsumerError, counted by
	// Subscription.Dropped; a progressive result: counted by
	// Call.Dropped). The session never waits. The default for
	// subscriptions.
	Drop OverflowPolicy = iota
	// Block stops reading from the router until the queue has room:
	// backpressure, which also holds up the session's other incoming
	// traffic (results and events for others wait); the session still
	// sends. A handler under this policy must not wait on the client
	// (call, publish with acknowledge, …) for an answer that would queue
	// behind its own messages. The default for progressive results and
	// for RegisterStream's inputs.
	Block
	// Fail fails the operation the message belongs to: the invocation is
	// answered with an ERROR (wamp.error.unavailable for a full
	// registration mailbox, wamp.error.invalid_argument for input chunks
	// its handler leaves unread) and its handler's context ends. The
	// default for a registration's progressive inputs.
	Fail
)

// String returns the policy's name: "drop", "block" or "fail".
func (p OverflowPolicy) String() string { return p.mailbox().String() }

// mailbox converts p for package mailbox.
func (p OverflowPolicy) mailbox() mailbox.Overflow {
	switch p {
	case Drop:
		return mailbox.Drop
	case Block:
		return mailbox.Block
	case Fail:
		return mailbox.Fail
	}
	return mailbox.Overflow(-1)
}

// OnOverflow sets the overflow policy of a subscription's events (Drop,
// the default, or Block) or of a registration's progressive inputs (Fail,
// the default, or Block; RegisterStream's are always Block). Under Block a
// registration's invocation waits with the session's reading only while
// its handler runs or is about to: one queued behind running invocations
// of its registration fails instead, since those may need the session to
// read their own inputs. Another policy fails Subscribe or Register with
// an *ArgumentError.
func OnOverflow(p OverflowPolicy) RegisterSubscribeOption {
	return sharedOption{
		register:  func(c *registerConfig) { c.inputOverflow = p },
		subscribe: func(c *subscribeConfig) { c.overflow = p },
	}
}
