package client

import "github.com/wampgo/wampgo/protocol"

// MatchPolicy is how a subscription's topic or a registration's procedure
// is matched (Options.match).
type MatchPolicy string

// The match policies of pattern-based subscription and registration.
const (
	MatchExact    MatchPolicy = "exact"
	MatchPrefix   MatchPolicy = "prefix"
	MatchWildcard MatchPolicy = "wildcard"
)

// SubscribeOption configures Subscribe.
type SubscribeOption interface{ applySubscribe(*subscribeConfig) }

type subscribeConfig struct {
	match       MatchPolicy
	nodeKey     string
	getRetained bool
	overflow    OverflowPolicy
	limits      Limits
	raw         protocol.Dict
}

func (cfg *subscribeConfig) options() protocol.Dict {
	o := protocol.Dict{}
	for k, v := range cfg.raw {
		o[k] = v
	}
	if cfg.match != "" && cfg.match != MatchExact {
		o["match"] = string(cfg.match)
	}
	if cfg.nodeKey != "" {
		o["nodekey"] = cfg.nodeKey
	}
	if cfg.getRetained {
		o["get_retained"] = true
	}
	return o
}

type subscribeOptionFunc func(*subscribeConfig)

func (f subscribeOptionFunc) applySubscribe(c *subscribeConfig) { f(c) }

// NodeKey sets the sharding key of a sharded subscription (Options.nodekey).
func NodeKey(key string) SubscribeOption {
	return subscribeOptionFunc(func(c *subscribeConfig) { c.nodeKey = key })
}

// GetRetained asks for the topic's retained event on subscribing.
func GetRetained() SubscribeOption {
	return subscribeOptionFunc(func(c *subscribeConfig) { c.getRetained = true })
}

// RegisterSubscribeOption applies to both Register and Subscribe.
type RegisterSubscribeOption interface {
	RegisterOption
	SubscribeOption
}

// Match sets the match policy (default exact).
func Match(p MatchPolicy) RegisterSubscribeOption {
	return sharedOption{
		register:  func(c *registerConfig) { c.match = p },
		subscribe: func(c *subscribeConfig) { c.match = p },
	}
}

// MailboxLimits bounds the handler's mailbox in messages and bytes
// (defaults DefaultMaxMessages and DefaultMaxBytes: 512k messages,
// 64 MiB), messages counted as Limits says. The mailbox holds at most
// MaxBytes, or one message of any size when it is empty; a message being
// handled comes on top (one per Concurrency), so one subscription holds at
// most MaxBytes plus one decoded message, each at most the codec's
// MaxDecodedSize: 128 MiB at the defaults (see "Memory" in the package
// documentation). A registration's MaxBytes also bounds each running
// invocation's unread progressive inputs (see Invocation.Inputs).
func MailboxLimits(l Limits) RegisterSubscribeOption {
	return sharedOption{
		register:  func(c *registerConfig) { c.limits = l },
		subscribe: func(c *subscribeConfig) { c.limits = l },
	}
}
