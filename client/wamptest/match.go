package wamptest

import (
	"cmp"
	"slices"
	"strings"

	"github.com/wampgo/wampgo/protocol"
)

// matchPolicy reads the match option of REGISTER, SUBSCRIBE or a meta
// lookup: "exact" when absent. Messages are validated before routing, so
// a REGISTER or SUBSCRIBE names a known policy; ok is false for a lookup
// that does not.
func matchPolicy(o protocol.Dict) (string, bool) {
	m, _ := o["match"].(string)
	switch m {
	case "", protocol.MatchExact:
		return protocol.MatchExact, true
	case protocol.MatchPrefix, protocol.MatchWildcard:
		return m, true
	}
	return m, false
}

// matches reports whether uri falls under pattern with the given policy
// (advanced/rpc_pattern_based_registration.md and
// pubsub_pattern_based_subscription.md): the same string for exact, a
// string prefix for prefix, and for wildcard the same number of components
// with every non-empty component of the pattern equal.
func matches(policy string, pattern, uri protocol.URI) bool {
	switch policy {
	case protocol.MatchPrefix:
		return strings.HasPrefix(uri, pattern)
	case protocol.MatchWildcard:
		p, u := strings.Split(pattern, "."), strings.Split(uri, ".")
		if len(p) != len(u) {
			return false
		}
		for i := range p {
			if p[i] != "" && p[i] != u[i] {
				return false
			}
		}
		return true
	}
	return pattern == uri
}

// betterWildcard reports whether wildcard pattern a ranks above b for the
// same URI: the one with more components matched before its first
// wildcard wins, then before its second, and so on (the spec's "longest
// portion of URI components matched before each wildcard").
func betterWildcard(a, b protocol.URI) bool {
	pa, pb := strings.Split(a, "."), strings.Split(b, ".")
	for i := range min(len(pa), len(pb)) {
		wa, wb := pa[i] == "", pb[i] == ""
		if wa != wb {
			return wb
		}
	}
	return a < b // equal shape: any fixed order keeps routing stable
}

// bestRegistration finds the one registration a CALL for procedure is
// routed to: exact first, then the longest prefix, then the best wildcard
// (advanced/rpc_pattern_based_registration.md, "Calls matching multiple
// registrations").
func (rm *realm) bestRegistration(procedure protocol.URI) *registration {
	if reg := rm.regKeys[matchKey{procedure, protocol.MatchExact}]; reg != nil {
		return reg
	}
	var prefix, wildcard *registration
	for _, reg := range rm.regs {
		if !matches(reg.match, reg.procedure, procedure) {
			continue
		}
		switch reg.match {
		case protocol.MatchPrefix:
			if prefix == nil || len(reg.procedure) > len(prefix.procedure) {
				prefix = reg
			}
		case protocol.MatchWildcard:
			if wildcard == nil || betterWildcard(reg.procedure, wildcard.procedure) {
				wildcard = reg
			}
		}
	}
	if prefix != nil {
		return prefix
	}
	return wildcard
}

// matchingSubscriptions returns every subscription a publication to topic
// is delivered under, in subscription id order.
func (rm *realm) matchingSubscriptions(topic protocol.URI) []*subscription {
	var out []*subscription
	for _, sub := range rm.subs {
		if matches(sub.match, sub.topic, topic) {
			out = append(out, sub)
		}
	}
	slices.SortFunc(out, func(a, b *subscription) int { return cmp.Compare(a.id, b.id) })
	return out
}

// sortedByID returns the values of m in id order, so that what the router
// does for each is deterministic.
func sortedByID[T any](m map[protocol.ID]T) []T {
	ids := make([]protocol.ID, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]T, len(ids))
	for i, id := range ids {
		out[i] = m[id]
	}
	return out
}
