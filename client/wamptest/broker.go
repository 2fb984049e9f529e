package wamptest

import (
	"slices"
	"strings"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// subscription is one topic or pattern's subscription in a realm, shared
// by all its subscribers, so that one EVENT serves them all
// (basic/publish_subscribe.md, SUBSCRIBED note). Guarded by Router.mu.
type subscription struct {
	id          protocol.ID
	topic       protocol.URI
	match       string // exact, prefix or wildcard
	created     time.Time
	subscribers []*session // in subscription order
}

// retainedEvent is the last publication to a topic with retain=true
// (advanced/pubsub_event_retention.md), kept with the filter that decided
// who could receive it.
type retainedEvent struct {
	publication protocol.ID
	details     protocol.Dict
	payload     protocol.Payload
	filter      *receiverFilter
}

func (r *Router) subscribe(s *session, m *protocol.Subscribe) {
	match, _ := matchPolicy(m.Options)
	rm := s.realm
	key := matchKey{m.Topic, match}
	sub := rm.subKeys[key]
	created := sub == nil
	if created {
		sub = &subscription{id: r.routerID(), topic: m.Topic, match: match, created: time.Now()}
		rm.subKeys[key] = sub
		rm.subs[sub.id] = sub
	}
	added := s.subs[sub.id] == nil
	if added {
		sub.subscribers = append(sub.subscribers, s)
		s.subs[sub.id] = sub
	}
	s.send(&protocol.Subscribed{Request: m.Request, Subscription: sub.id})
	if getRetained, _ := m.Options["get_retained"].(bool); getRetained {
		r.sendRetained(s, sub)
	}
	if created {
		r.metaEvent(rm, uriSubOnCreate, protocol.List{int64(s.id), sub.details()}, sub)
	}
	if added {
		r.metaEvent(rm, uriSubOnSubscribe, protocol.List{int64(s.id), int64(sub.id)}, sub)
	}
}

// sendRetained sends s the retained events its new subscription covers and
// it would have been eligible for, each with retained=true.
func (r *Router) sendRetained(s *session, sub *subscription) {
	topics := make([]protocol.URI, 0, len(s.realm.retained))
	for topic := range s.realm.retained {
		if matches(sub.match, sub.topic, topic) {
			topics = append(topics, topic)
		}
	}
	slices.Sort(topics)
	for _, topic := range topics {
		ev := s.realm.retained[topic]
		if !ev.filter.allows(s) {
			continue
		}
		details := protocol.Dict{"retained": true}
		for k, v := range ev.details {
			details[k] = v
		}
		if sub.match != protocol.MatchExact {
			details["topic"] = topic
		}
		s.send(&protocol.Event{Subscription: sub.id, Publication: ev.publication, Details: details, Payload: ev.payload})
	}
}

func (r *Router) unsubscribe(s *session, m *protocol.Unsubscribe) {
	sub := s.subs[m.Subscription]
	if sub == nil {
		s.send(&protocol.Error{RequestType: protocol.TypeUnsubscribe, Request: m.Request, Details: protocol.Dict{},
			Error: protocol.URIErrNoSuchSubscription})
		return
	}
	s.send(&protocol.Unsubscribed{Request: m.Request})
	r.dropSubscriber(sub, s)
}

// dropSubscriber removes s from sub, and sub from the realm once nobody
// is left.
func (r *Router) dropSubscriber(sub *subscription, s *session) {
	delete(s.subs, sub.id)
	sub.subscribers = slices.DeleteFunc(sub.subscribers, func(x *session) bool { return x == s })
	rm := s.realm
	r.metaEvent(rm, uriSubOnUnsubscribe, protocol.List{int64(s.id), int64(sub.id)}, sub)
	if len(sub.subscribers) == 0 {
		delete(rm.subKeys, matchKey{sub.topic, sub.match})
		delete(rm.subs, sub.id)
		r.metaEvent(rm, uriSubOnDelete, protocol.List{int64(s.id), int64(sub.id)}, sub)
	}
}

// details describes the subscription in the subscription meta API.
func (sub *subscription) details() protocol.Dict {
	return protocol.Dict{
		"id":      int64(sub.id),
		"created": sub.created.UTC().Format(time.RFC3339Nano),
		"uri":     sub.topic,
		"match":   sub.match,
	}
}

// publish dispatches a client's PUBLISH. PUBLISHED, when asked for, comes
// first, as in the spec's message flow: a publisher receiving its own
// event already knows the publication id.
func (r *Router) publish(s *session, m *protocol.Publish) {
	if strings.HasPrefix(m.Topic, "wamp.") {
		s.send(&protocol.Error{RequestType: protocol.TypePublish, Request: m.Request, Details: protocol.Dict{},
			Error: protocol.URIErrInvalidURI, Payload: protocol.Payload{Args: protocol.List{"the wamp. prefix is reserved"}}})
		return
	}
	pub := r.globalID()
	if ack, _ := m.Options["acknowledge"].(bool); ack {
		s.send(&protocol.Published{Request: m.Request, Publication: pub})
	}
	r.dispatch(s, pub, m.Topic, m.Options, m.Payload)
}

// dispatch delivers one publication from s to
// every subscription that matches topic, one EVENT per subscription shared
// by its receivers, and keeps it as the topic's retained event when
// options ask for that.
func (r *Router) dispatch(s *session, pub protocol.ID, topic protocol.URI, options protocol.Dict, payload protocol.Payload) {
	rm := s.realm
	f := newReceiverFilter(s, options)
	details := protocol.Dict{}
	if disclose, _ := options["disclose_me"].(bool); disclose {
		details["publisher"] = int64(s.id)
		details["publisher_authid"] = s.authid
		details["publisher_authrole"] = s.authrole
	}
	copyPassthru(details, options)
	if retain, _ := options["retain"].(bool); retain {
		rm.retained[topic] = &retainedEvent{publication: pub, details: details, payload: payload, filter: f.withoutPublisher()}
	}
	for _, sub := range rm.matchingSubscriptions(topic) {
		d := details
		if sub.match != protocol.MatchExact {
			d = make(protocol.Dict, len(details)+1)
			for k, v := range details {
				d[k] = v
			}
			d["topic"] = topic
		}
		ev := &protocol.Event{Subscription: sub.id, Publication: pub, Details: d, Payload: payload}
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

// withoutPublisher returns the filter a retained event keeps: the same
// lists, with publisher exclusion turned into the publisher's session id
// so that the filter does not hold on to the session.
func (f *receiverFilter) withoutPublisher() *receiverFilter {
	g := *f
	g.publisher = nil
	if f.excludeMe && f.publisher != nil {
		g.exclude = append(slices.Clip(f.exclude), f.publisher.id)
	}
	return &g
}

func (f *receiverFilter) allows(s *session) bool {
	switch {
	case f.publisher != nil && s == f.publisher && f.excludeMe:
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
