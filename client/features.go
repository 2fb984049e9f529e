package client

import (
	"fmt"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// featureNeed says that an option, when in use, needs a feature the router
// must have announced in WELCOME.
type featureNeed struct {
	key     string         // the option's key in Options
	role    string         // "dealer" or "broker"
	feature string         // the feature's name
	inUse   func(any) bool // whether the option's value asks for the feature
}

// isSet reports whether an option's value asks for something: true, a
// non-empty string or list, any other value.
func isSet(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case string:
		return x != ""
	case protocol.List:
		return len(x) > 0
	}
	return v != nil
}

// isNot returns an inUse that is true for any value but def (the
// option's default, which needs no feature).
func isNot(def string) func(any) bool {
	return func(v any) bool { s, _ := v.(string); return s != "" && s != def }
}

func isFalse(v any) bool { b, ok := v.(bool); return ok && !b }

// The features each operation's options need. The rule: an option is gated
// (refused with ErrNotSupported when the router did not announce its
// feature) when a router that silently ignored it would change who receives
// what, or what is kept; an option that is only a hint, which a router may
// ignore and still serve the request as asked, is sent without the check.
//
//	option                          feature                          gated
//	Publish  Retain                 event_retention                  yes: what is kept
//	Publish  ExcludeMe(false)       publisher_exclusion              yes: who receives
//	Publish  Exclude/Eligible…      subscriber_blackwhite_listing    yes: who receives
//	Publish  DiscloseMe             publisher_identification         no: a hint
//	Subscribe GetRetained           event_retention                  yes: what is received
//	Subscribe Match(prefix|wildcard) pattern_based_subscription      yes: what is received
//	Register Match(prefix|wildcard) pattern_based_registration       yes: what is served
//	Register Invoke(…)              shared_registration              yes: who is invoked
//	Register ForwardTimeout         call_timeout                     yes: a timeout only the router keeps
//	Register DiscloseCaller         caller_identification            no: a hint
//	Call     RouterTimeout          call_timeout                     yes, unless Timeout is set too
//	Call     Timeout                call_timeout                     no: also enforced locally
//	Call     ReceiveProgress        progressive_call_results         no: the final result comes anyway
//	Call     DiscloseMe             caller_identification            no: a hint
//	Call/Publish ResourceKey        sharded_registration/subscription no: an unsharded router has one shard
//
// ProgressiveInputs is checked with the call's other options (callConfig),
// since a router without progressive_call_invocations would take the first
// chunk for the whole call.
var (
	publishFeatures = []featureNeed{
		{"retain", "broker", protocol.FeatureEventRetention, isSet},
		{"exclude_me", "broker", protocol.FeaturePublisherExclusion, isFalse},
		{"exclude", "broker", protocol.FeatureSubscriberBlackwhiteListing, isSet},
		{"exclude_authid", "broker", protocol.FeatureSubscriberBlackwhiteListing, isSet},
		{"exclude_authrole", "broker", protocol.FeatureSubscriberBlackwhiteListing, isSet},
		{"eligible", "broker", protocol.FeatureSubscriberBlackwhiteListing, isSet},
		{"eligible_authid", "broker", protocol.FeatureSubscriberBlackwhiteListing, isSet},
		{"eligible_authrole", "broker", protocol.FeatureSubscriberBlackwhiteListing, isSet},
	}
	subscribeFeatures = []featureNeed{
		{"get_retained", "broker", protocol.FeatureEventRetention, isSet},
		{"match", "broker", protocol.FeaturePatternBasedSubscription, isNot(string(MatchExact))},
	}
	registerFeatures = []featureNeed{
		{"match", "dealer", protocol.FeaturePatternBasedRegistration, isNot(string(MatchExact))},
		{"invoke", "dealer", protocol.FeatureSharedRegistration, isNot(string(InvokeSingle))},
		{"forward_timeout", "dealer", protocol.FeatureCallTimeout, isSet},
	}
	// A call's only gated option is a timeout only the router enforces.
	callFeaturesRouterTimeout = []featureNeed{
		{"timeout", "dealer", protocol.FeatureCallTimeout, isPositive},
	}
)

// callFeatures returns the needs of a call: a timeout only the router
// enforces (RouterTimeout without Timeout) needs call_timeout.
func callFeatures(cfg *callConfig) []featureNeed {
	if cfg.timeout > 0 {
		return nil
	}
	return callFeaturesRouterTimeout
}

func isPositive(v any) bool { n, ok := v.(int64); return ok && n > 0 }

// checkFeatures fails with ErrNotSupported when an option in opts needs a
// feature the current session's router did not announce. Before the first
// join (Reconnect.RetryOnFailedConnect) the router's features are unknown
// and nothing is refused.
func (c *Client) checkFeatures(op string, opts protocol.Dict, needs []featureNeed) error {
	if len(opts) == 0 {
		return nil
	}
	sess := c.Session()
	if sess.ID == 0 {
		return nil
	}
	for _, n := range needs {
		if v, ok := opts[n.key]; ok && n.inUse(v) && !sess.HasFeature(n.role, n.feature) {
			return fmt.Errorf("%w: %s (needed by %s option %s)", ErrNotSupported, n.feature, op, n.key)
		}
	}
	return nil
}

// ForwardTimeout asks the dealer to forward callers' timeouts to this
// procedure instead of enforcing them itself
// (REGISTER.Options.forward_timeout): the handler's context then ends when
// the timeout passes (Invocation.Timeout). The router must announce
// call_timeout; Register fails with ErrNotSupported otherwise.
func ForwardTimeout() RegisterOption {
	return registerOptionFunc(func(c *registerConfig) { setRaw(&c.raw, "forward_timeout", true) })
}

// RouterTimeout sets CALL.Options.timeout without a local timer: the
// dealer (or, with ForwardTimeout, the callee) enforces it, and the call
// fails with the router's ERROR wamp.error.timeout, matching ErrTimeout.
// Unlike Timeout, the call does not end early if the router is slow to
// answer. The router must announce call_timeout; the call fails with
// ErrNotSupported otherwise. A negative d is an invalid argument; Timeout,
// if also given, takes precedence. Durations are rounded up to whole
// milliseconds.
func RouterTimeout(d time.Duration) CallOption {
	return callOptionFunc(func(c *callConfig) {
		ms := d.Milliseconds()
		if d > 0 && time.Duration(ms)*time.Millisecond < d {
			ms++
		}
		if d != 0 {
			setRaw(&c.raw, "timeout", ms)
		}
	})
}

// setRaw sets one entry of an option set's raw Options.
func setRaw(raw *protocol.Dict, k string, v any) {
	if *raw == nil {
		*raw = protocol.Dict{}
	}
	(*raw)[k] = v
}
