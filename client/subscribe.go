package client

import (
	"context"
	"sync/atomic"

	"github.com/wampgo/wampgo/actor"
	"github.com/wampgo/wampgo/mailbox"
	"github.com/wampgo/wampgo/protocol"
)

// Event is one event delivered to a subscription's handler.
//
// One *Event, with its Args, Kwargs and Details, is shared by every local
// handler subscribed to the event's topic: it is read-only. A handler that
// needs to change it, or to keep it past its return while others may read
// it, must copy what it changes.
type Event struct {
	// Topic is the event's concrete topic: Details.topic for pattern-based
	// subscriptions, else the subscribed topic.
	Topic        protocol.URI
	Subscription protocol.ID
	Publication  protocol.ID
	Args         protocol.List
	Kwargs       protocol.Dict
	Details      protocol.Dict
	// Publisher identification, when the publisher disclosed itself.
	Publisher         protocol.ID
	PublisherAuthID   string
	PublisherAuthRole string
	// Retained is true for an event the broker retained (event retention).
	Retained bool
}

// EventHandler handles one event. ctx ends when the subscription is
// removed or the session ends. Handlers of one subscription run one at a
// time, in the order the events arrived, on a goroutine of their own; they
// may use the client freely.
type EventHandler func(ctx context.Context, ev *Event)

// Subscription is one local handler subscribed to a topic. Several may
// share one router subscription id. Its methods are safe for concurrent use.
type Subscription struct {
	c       *Client
	topic   protocol.URI
	handler EventHandler
	cfg     subscribeConfig
	mb      *mailbox.Mailbox[*Event]
	ctx     context.Context
	cancel  context.CancelCauseFunc
	id      atomic.Uint64
	dropped atomic.Uint64

	removed bool // owned by the session loop
}

// Subscribe subscribes handler to topic and returns once the router has
// confirmed. Several Subscribe calls for one topic each get every event.
// If ctx ends before the router answers, Subscribe returns ctx's error and
// the subscription, should the router confirm it, is removed again.
func (c *Client) Subscribe(ctx context.Context, topic protocol.URI, handler EventHandler, opts ...SubscribeOption) (*Subscription, error) {
	if handler == nil {
		return nil, &ArgumentError{Op: "Subscribe", Arg: "handler", Reason: "nil"}
	}
	cfg := subscribeConfig{}
	for _, o := range opts {
		o.applySubscribe(&cfg)
	}
	if err := checkOverflow("Subscribe", "option OnOverflow", cfg.overflow); err != nil {
		return nil, err
	}
	msg := &protocol.Subscribe{Topic: topic, Options: cfg.options()}
	if err := c.checkSubscribe(msg); err != nil {
		return nil, err
	}
	e, err := c.encode("Subscribe", msg, nil, nil)
	if err != nil {
		return nil, err
	}
	sub := &Subscription{c: c, topic: topic, handler: c.wrapEventHandler(handler), cfg: cfg}
	err = c.ask(ctx, func(r actor.Reply[error]) command {
		return &cmdSubscribe{ctx: ctx, sub: sub, msg: msg, checked: e.conn, reply: r}
	})
	if err != nil {
		return nil, err
	}
	return sub, nil
}

func (sub *Subscription) handle(ev *Event) {
	defer sub.c.stats().eventDone()
	if ev = sub.c.passthruEvent(ev); ev == nil {
		return
	}
	sub.handler(sub.ctx, ev)
}

// ID returns the router's subscription id.
func (sub *Subscription) ID() protocol.ID { return sub.id.Load() }

// Topic returns the subscribed topic (a pattern for pattern-based
// subscriptions).
func (sub *Subscription) Topic() protocol.URI { return sub.topic }

// Dropped counts the events dropped because this subscription's mailbox
// was full (Drop policy).
func (sub *Subscription) Dropped() uint64 { return sub.dropped.Load() }

// Pending reports how many events wait in the subscription's mailbox.
func (sub *Subscription) Pending() int {
	n, _ := sub.mb.Len()
	return n
}

// Done is closed once the subscription has ended (unsubscribed, revoked or
// session ended) and its handler has returned.
func (sub *Subscription) Done() <-chan struct{} { return sub.mb.Done() }

// Unsubscribe removes this handler. When it is the last local handler on
// its router subscription, UNSUBSCRIBE is sent and awaited.
func (sub *Subscription) Unsubscribe(ctx context.Context) error {
	return sub.c.unsubscribe(ctx, &cmdUnsubscribe{topic: sub.topic, sub: sub})
}

// Unsubscribe removes every local handler of the given router subscription
// ids of topic, or of all of topic's subscriptions when no id is given,
// sending UNSUBSCRIBE for each id. It returns an error matching
// ErrNotFound when there is nothing to remove.
func (c *Client) Unsubscribe(ctx context.Context, topic protocol.URI, ids ...protocol.ID) error {
	return c.unsubscribe(ctx, &cmdUnsubscribe{topic: topic, ids: ids})
}

func (c *Client) unsubscribe(ctx context.Context, cmd *cmdUnsubscribe) error {
	return c.ask(ctx, func(r actor.Reply[error]) command {
		cmd.reply = r
		return cmd
	})
}
