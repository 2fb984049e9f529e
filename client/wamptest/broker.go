package wamptest

import (
	"slices"

	"github.com/wampgo/wampgo/protocol"
)

// subscription is a topic's one subscription in a realm, shared by all its
// subscribers, so that one EVENT serves them all (basic/publish_subscribe.md,
// SUBSCRIBED note). Guarded by Router.mu.
type subscription struct {
	id          protocol.ID
	topic       protocol.URI
	subscribers []*session // in subscription order
}

func (r *Router) subscribe(s *session, m *protocol.Subscribe) {
	if match, _ := m.Options["match"].(string); match != "" && match != protocol.MatchExact {
		s.send(&protocol.Error{RequestType: protocol.TypeSubscribe, Request: m.Request, Details: protocol.Dict{},
			Error: protocol.URIErrOptionNotAllowed, Payload: protocol.Payload{Args: protocol.List{"only exact matching is supported"}}})
		return
	}
	rm := s.realm
	sub := rm.topics[m.Topic]
	if sub == nil {
		sub = &subscription{id: r.routerID(), topic: m.Topic}
		rm.topics[sub.topic] = sub
		rm.subs[sub.id] = sub
	}
	if s.subs[sub.id] == nil {
		sub.subscribers = append(sub.subscribers, s)
		s.subs[sub.id] = sub
	}
	s.send(&protocol.Subscribed{Request: m.Request, Subscription: sub.id})
}

func (r *Router) unsubscribe(s *session, m *protocol.Unsubscribe) {
	sub := s.subs[m.Subscription]
	if sub == nil {
		s.send(&protocol.Error{RequestType: protocol.TypeUnsubscribe, Request: m.Request, Details: protocol.Dict{},
			Error: protocol.URIErrNoSuchSubscription})
		return
	}
	r.dropSubscriber(sub, s)
	s.send(&protocol.Unsubscribed{Request: m.Request})
}

// dropSubscriber removes s from sub, and sub from the realm once nobody
// is left.
func (r *Router) dropSubscriber(sub *subscription, s *session) {
	delete(s.subs, sub.id)
	sub.subscribers = slices.DeleteFunc(sub.subscribers, func(x *session) bool { return x == s })
	if len(sub.subscribers) == 0 {
		delete(s.realm.topics, sub.topic)
		delete(s.realm.subs, sub.id)
	}
}

// publish dispatches one EVENT, shared by every receiver, to the
// subscribers that pass the publication's filters. PUBLISHED, when asked
// for, comes first, as in the spec's message flow: a publisher receiving
// its own event already knows the publication id.
func (r *Router) publish(s *session, m *protocol.Publish) {
	pub := globalID()
	if ack, _ := m.Options["acknowledge"].(bool); ack {
		s.send(&protocol.Published{Request: m.Request, Publication: pub})
	}
	if sub := s.realm.topics[m.Topic]; sub != nil {
		f := newReceiverFilter(s, m.Options)
		details := protocol.Dict{}
		if disclose, _ := m.Options["disclose_me"].(bool); disclose {
			details["publisher"] = int64(s.id)
			details["publisher_authid"] = s.authid
			details["publisher_authrole"] = s.authrole
		}
		copyPassthru(details, m.Options)
		ev := &protocol.Event{Subscription: sub.id, Publication: pub, Details: details, Payload: m.Payload}
		for _, x := range sub.subscribers {
			if f.allows(x) {
				x.send(ev)
			}
		}
	}
}

// receiverFilter decides who receives a publication: never the publisher
// unless exclude_me is false (advanced/pubsub_publisher_exclusion.md), and
// only subscribers passing every black- and whitelist given
// (advanced/pubsub_subscriber_blackwhite_listing.md). A nil list is
// absent; an empty one is present and matches nobody.
type receiverFilter struct {
	publisher                                   *session
	excludeMe                                   bool
	exclude, eligible                           []protocol.ID
	excludeAuthID, excludeAuthRole              []string
	eligibleAuthID, eligibleAuthRole            []string
	hasEligible, hasEligibleID, hasEligibleRole bool
}

func newReceiverFilter(publisher *session, o protocol.Dict) *receiverFilter {
	f := &receiverFilter{publisher: publisher, excludeMe: true}
	if v, ok := o["exclude_me"].(bool); ok {
		f.excludeMe = v
	}
	f.exclude, _ = idList(o["exclude"])
	f.excludeAuthID, _ = stringList(o["exclude_authid"])
	f.excludeAuthRole, _ = stringList(o["exclude_authrole"])
	f.eligible, f.hasEligible = idList(o["eligible"])
	f.eligibleAuthID, f.hasEligibleID = stringList(o["eligible_authid"])
	f.eligibleAuthRole, f.hasEligibleRole = stringList(o["eligible_authrole"])
	return f
}

func (f *receiverFilter) allows(s *session) bool {
	switch {
	case s == f.publisher && f.excludeMe:
		return false
	case f.hasEligible && !slices.Contains(f.eligible, s.id),
		f.hasEligibleID && !slices.Contains(f.eligibleAuthID, s.authid),
		f.hasEligibleRole && !slices.Contains(f.eligibleAuthRole, s.authrole):
		return false
	case slices.Contains(f.exclude, s.id),
		slices.Contains(f.excludeAuthID, s.authid),
		slices.Contains(f.excludeAuthRole, s.authrole):
		return false
	}
	return true
}
