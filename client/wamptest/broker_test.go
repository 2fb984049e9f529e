package wamptest_test

import (
	"reflect"
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

func TestRouterPubSub(t *testing.T) {
	r := newRouter(t)
	pub := join(t, r, "realm1", protocol.Dict{"authid": "pat", "authrole": "writer"})
	sub := join(t, r, "realm1", nil)

	// One subscription per topic: the same id for a repeated SUBSCRIBE and
	// for every session.
	id := sub.subscribe("com.example.news")
	if again := sub.subscribe("com.example.news"); again != id {
		t.Errorf("second SUBSCRIBE gave %d, want %d", again, id)
	}
	if mine := pub.subscribe("com.example.news"); mine != id {
		t.Errorf("publisher's SUBSCRIBE gave %d, want the topic's %d", mine, id)
	}

	publish := func(opts protocol.Dict, args protocol.List) protocol.ID {
		t.Helper()
		opts["acknowledge"] = true
		req := pub.next()
		pub.send(&protocol.Publish{Request: req, Options: opts, Topic: "com.example.news", Payload: protocol.Payload{Args: args}})
		m := expect[*protocol.Published](pub)
		if m.Request != req || m.Publication < 1 || m.Publication > protocol.MaxID {
			t.Fatalf("PUBLISHED %+v for %d", m, req)
		}
		return m.Publication
	}

	// By default the publisher is excluded, and not identified.
	pubID := publish(protocol.Dict{}, protocol.List{"one"})
	ev := expect[*protocol.Event](sub)
	if ev.Subscription != id || ev.Publication != pubID || !reflect.DeepEqual(ev.Args, protocol.List{"one"}) {
		t.Errorf("EVENT %+v, want subscription %d publication %d [one]", ev, id, pubID)
	}
	if _, ok := ev.Details["publisher"]; ok {
		t.Errorf("publisher disclosed unasked: %v", ev.Details)
	}
	pub.barrier()

	// exclude_me=false includes it; disclose_me identifies it.
	publish(protocol.Dict{"exclude_me": false, "disclose_me": true}, protocol.List{"two"})
	for _, p := range []*peer{sub, pub} {
		ev := expect[*protocol.Event](p)
		d := ev.Details
		if d["publisher"] != int64(pub.id) || d["publisher_authid"] != "pat" || d["publisher_authrole"] != "writer" {
			t.Errorf("EVENT details %v: want publisher %d, pat, writer", d, pub.id)
		}
	}

	// UNSUBSCRIBE ends delivery; a second one fails.
	req := sub.next()
	sub.send(&protocol.Unsubscribe{Request: req, Subscription: id})
	if m := expect[*protocol.Unsubscribed](sub); m.Request != req {
		t.Errorf("UNSUBSCRIBED for %d, want %d", m.Request, req)
	}
	publish(protocol.Dict{"exclude_me": false}, nil)
	expect[*protocol.Event](pub)
	sub.barrier()
	req = sub.next()
	sub.send(&protocol.Unsubscribe{Request: req, Subscription: id})
	sub.expectError(protocol.TypeUnsubscribe, req, protocol.URIErrNoSuchSubscription)

	// Unacknowledged publications get no answer.
	pub.send(&protocol.Publish{Request: pub.next(), Options: protocol.Dict{}, Topic: "com.example.news"})
	pub.barrier()
}

func TestRouterBlackWhiteListing(t *testing.T) {
	r := newRouter(t)
	pub := join(t, r, "realm1", nil)
	subs := map[string]*peer{
		"ann": join(t, r, "realm1", protocol.Dict{"authid": "ann", "authrole": "staff"}),
		"ben": join(t, r, "realm1", protocol.Dict{"authid": "ben", "authrole": "staff"}),
		"cat": join(t, r, "realm1", protocol.Dict{"authid": "cat", "authrole": "manager"}),
	}
	for _, p := range subs {
		p.subscribe("com.example.customer")
	}
	ids := func(names ...string) protocol.List {
		l := protocol.List{}
		for _, n := range names {
			l = append(l, int64(subs[n].id))
		}
		return l
	}
	cases := []struct {
		name string
		opts protocol.Dict
		want []string
	}{
		{"none", protocol.Dict{}, []string{"ann", "ben", "cat"}},
		{"exclude", protocol.Dict{"exclude": ids("ann")}, []string{"ben", "cat"}},
		{"eligible", protocol.Dict{"eligible": ids("ann", "cat")}, []string{"ann", "cat"}},
		{"eligible and exclude", protocol.Dict{"eligible": ids("ann", "cat"), "exclude": ids("ann")}, []string{"cat"}},
		{"empty eligible", protocol.Dict{"eligible": protocol.List{}}, nil},
		{"exclude_authid", protocol.Dict{"exclude_authid": protocol.List{"ben", "cat"}}, []string{"ann"}},
		{"eligible_authid", protocol.Dict{"eligible_authid": protocol.List{"ben"}}, []string{"ben"}},
		{"exclude_authrole", protocol.Dict{"exclude_authrole": protocol.List{"staff"}}, []string{"cat"}},
		{"eligible_authrole", protocol.Dict{"eligible_authrole": protocol.List{"staff"}}, []string{"ann", "ben"}},
		{"role and id", protocol.Dict{"eligible_authrole": protocol.List{"staff"}, "exclude": ids("ben")}, []string{"ann"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := protocol.Dict{"acknowledge": true}
			for k, v := range tc.opts {
				opts[k] = v
			}
			req := pub.next()
			pub.send(&protocol.Publish{Request: req, Options: opts, Topic: "com.example.customer"})
			expect[*protocol.Published](pub)
			for _, name := range tc.want {
				expect[*protocol.Event](subs[name])
			}
			for _, p := range subs {
				p.barrier() // nothing more, nothing for the others
			}
		})
	}
}
