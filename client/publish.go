package client

import (
	"context"

	"github.com/wampgo/wampgo/actor"
	"github.com/wampgo/wampgo/protocol"
)

// PublishOption configures Publish.
type PublishOption interface{ applyPublish(*publishConfig) }

type publishConfig struct {
	acknowledge      bool
	excludeMe        *bool
	discloseMe       bool
	retain           bool
	rkey             string
	exclude          []protocol.ID
	excludeAuthID    []string
	excludeAuthRole  []string
	eligible         []protocol.ID
	eligibleAuthID   []string
	eligibleAuthRole []string
	raw              protocol.Dict
}

func (cfg *publishConfig) options() protocol.Dict {
	o := protocol.Dict{}
	for k, v := range cfg.raw {
		o[k] = v
	}
	if cfg.acknowledge {
		o["acknowledge"] = true
	}
	if cfg.excludeMe != nil {
		o["exclude_me"] = *cfg.excludeMe
	}
	if cfg.discloseMe {
		o["disclose_me"] = true
	}
	if cfg.retain {
		o["retain"] = true
	}
	if cfg.rkey != "" {
		o["rkey"] = cfg.rkey
	}
	ids := func(k string, v []protocol.ID) {
		if v != nil {
			l := make(protocol.List, len(v))
			for i, id := range v {
				l[i] = int64(id)
			}
			o[k] = l
		}
	}
	strs := func(k string, v []string) {
		if v != nil {
			l := make(protocol.List, len(v))
			for i, s := range v {
				l[i] = s
			}
			o[k] = l
		}
	}
	ids("exclude", cfg.exclude)
	strs("exclude_authid", cfg.excludeAuthID)
	strs("exclude_authrole", cfg.excludeAuthRole)
	ids("eligible", cfg.eligible)
	strs("eligible_authid", cfg.eligibleAuthID)
	strs("eligible_authrole", cfg.eligibleAuthRole)
	return o
}

type publishOptionFunc func(*publishConfig)

func (f publishOptionFunc) applyPublish(c *publishConfig) { f(c) }

// Acknowledge makes Publish wait for the router's PUBLISHED (or ERROR) and
// return the publication id.
func Acknowledge() PublishOption {
	return publishOptionFunc(func(c *publishConfig) { c.acknowledge = true })
}

// ExcludeMe sets whether the publisher's own subscriptions receive the
// event (PUBLISH.Options.exclude_me; the router's default is true).
func ExcludeMe(exclude bool) PublishOption {
	return publishOptionFunc(func(c *publishConfig) { c.excludeMe = &exclude })
}

// Retain asks the broker to retain the event for late subscribers.
func Retain() PublishOption { return publishOptionFunc(func(c *publishConfig) { c.retain = true }) }

// Exclude lists session ids that must not receive the event.
func Exclude(sessions ...protocol.ID) PublishOption {
	return publishOptionFunc(func(c *publishConfig) { c.exclude = append(c.exclude, sessions...) })
}

// ExcludeAuthID lists authids whose sessions must not receive the event.
func ExcludeAuthID(ids ...string) PublishOption {
	return publishOptionFunc(func(c *publishConfig) { c.excludeAuthID = append(c.excludeAuthID, ids...) })
}

// ExcludeAuthRole lists authroles whose sessions must not receive the event.
func ExcludeAuthRole(roles ...string) PublishOption {
	return publishOptionFunc(func(c *publishConfig) { c.excludeAuthRole = append(c.excludeAuthRole, roles...) })
}

// Eligible restricts delivery to the listed session ids.
func Eligible(sessions ...protocol.ID) PublishOption {
	return publishOptionFunc(func(c *publishConfig) { c.eligible = append(c.eligible, sessions...) })
}

// EligibleAuthID restricts delivery to sessions with the listed authids.
func EligibleAuthID(ids ...string) PublishOption {
	return publishOptionFunc(func(c *publishConfig) { c.eligibleAuthID = append(c.eligibleAuthID, ids...) })
}

// EligibleAuthRole restricts delivery to sessions with the listed authroles.
func EligibleAuthRole(roles ...string) PublishOption {
	return publishOptionFunc(func(c *publishConfig) { c.eligibleAuthRole = append(c.eligibleAuthRole, roles...) })
}

// Publish publishes an event to topic with args and kwargs (either may be
// nil). Without Acknowledge it returns once the session has queued the
// message for the connection, with publication id 0; with Acknowledge it
// waits for the router's answer and returns the publication id, or the
// router's *Error.
//
// args and kwargs are encoded in the caller's goroutine before Publish
// returns, and not retained. An invalid topic or option, or a value the
// serializer cannot carry, fails Publish with an *ArgumentError (matching
// ErrInvalidArgument; for a value, its Err is the codec's error).
func (c *Client) Publish(ctx context.Context, topic protocol.URI, args protocol.List, kwargs protocol.Dict, opts ...PublishOption) (protocol.ID, error) {
	if f := c.interceptPublish(); f != nil {
		return f(ctx, topic, args, kwargs, opts...)
	}
	return c.publish(ctx, topic, args, kwargs, opts...)
}

// publish is Publish without the interceptors.
func (c *Client) publish(ctx context.Context, topic protocol.URI, args protocol.List, kwargs protocol.Dict, opts ...PublishOption) (protocol.ID, error) {
	var cfg publishConfig
	args, kwargs, err := goValues("Publish", args, kwargs)
	if err != nil {
		return 0, err
	}
	for _, o := range opts {
		o.applyPublish(&cfg)
	}
	msg := &protocol.Publish{Topic: topic, Options: cfg.options()}
	if err := c.checkPublish(msg); err != nil {
		return 0, err
	}
	e, err := c.encode("Publish", msg, args, kwargs)
	if err != nil {
		return 0, err
	}
	r, err := actor.Ask(ctx, c.loop, func(r actor.Reply[publishReply]) command {
		return &cmdPublish{ctx: ctx, msg: msg, payload: e, ack: cfg.acknowledge, reply: r}
	})
	if err != nil {
		return 0, c.mapSendErr(err)
	}
	return r.publication, r.err
}
