package wamptest_test

import (
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

func TestRouterMetaArguments(t *testing.T) {
	r := newRouter(t)
	p := join(t, r, "realm1", nil)
	for _, tc := range []struct {
		proc   protocol.URI
		args   protocol.List
		kwargs protocol.Dict
		uri    protocol.URI
	}{
		{"wamp.session.get", protocol.List{"x"}, nil, protocol.URIErrInvalidArgument},
		{"wamp.session.get", protocol.List{int64(0)}, nil, protocol.URIErrInvalidArgument},
		{"wamp.session.get", protocol.List{int64(7)}, nil, protocol.URIErrNoSuchSession},
		{"wamp.session.count", protocol.List{"admin"}, nil, protocol.URIErrInvalidArgument},
		{"wamp.session.kill", protocol.List{int64(p.id)}, nil, protocol.URIErrNoSuchSession},
		{"wamp.session.kill_by_authid", nil, nil, protocol.URIErrInvalidArgument},
		{"wamp.session.kill_by_authrole", protocol.List{"x"}, protocol.Dict{"reason": "not a uri"}, protocol.URIErrInvalidURI},
		{"wamp.session.kill_all", nil, protocol.Dict{"reason": int64(1)}, protocol.URIErrInvalidURI},
		{"wamp.session.add_testament", protocol.List{"com.t", "args"}, nil, protocol.URIErrInvalidArgument},
		{"wamp.session.add_testament", protocol.List{"com.t", nil, "kw"}, nil, protocol.URIErrInvalidArgument},
		{"wamp.session.add_testament", protocol.List{"com..t"}, nil, protocol.URIErrInvalidURI},
		{"wamp.session.add_testament", protocol.List{"com.t"}, protocol.Dict{"publish_options": "x"}, protocol.URIErrInvalidArgument},
		{"wamp.session.flush_testaments", nil, protocol.Dict{"scope": "all"}, protocol.URIErrInvalidArgument},
		{"wamp.registration.get", nil, nil, protocol.URIErrInvalidArgument},
		{"wamp.registration.get", protocol.List{int64(99)}, nil, protocol.URIErrNoSuchRegistration},
		{"wamp.registration.lookup", protocol.List{int64(1)}, nil, protocol.URIErrInvalidArgument},
		{"wamp.registration.lookup", protocol.List{"com.x", protocol.Dict{"match": "regex"}}, nil, protocol.URIErrInvalidArgument},
		{"wamp.registration.match", nil, nil, protocol.URIErrInvalidArgument},
		{"wamp.registration.list_callees", protocol.List{int64(99)}, nil, protocol.URIErrNoSuchRegistration},
		{"wamp.subscription.get", protocol.List{int64(99)}, nil, protocol.URIErrNoSuchSubscription},
		{"wamp.subscription.lookup", nil, nil, protocol.URIErrInvalidArgument},
		{"wamp.subscription.match", protocol.List{""}, nil, protocol.URIErrInvalidArgument},
		{"wamp.subscription.count_subscribers", protocol.List{1.5}, nil, protocol.URIErrInvalidArgument},
	} {
		req := p.next()
		p.send(&protocol.Call{Request: req, Options: protocol.Dict{}, Procedure: tc.proc, Payload: protocol.Payload{Args: tc.args, Kwargs: tc.kwargs}})
		e := p.expectError(protocol.TypeCall, req, tc.uri)
		if len(e.Args) != 1 {
			t.Errorf("%s%v: ERROR args %v, want a message", tc.proc, tc.args, e.Args)
		}
	}
}

// kill_all publishes neither meta events nor testaments
// (advanced/meta_api_sessions.md), unlike kill.
func TestRouterKillAllIsQuiet(t *testing.T) {
	r := newRouter(t)
	admin := join(t, r, "realm1", nil)
	admin.subscribe("wamp.session.on_leave")
	admin.subscribe("com.example.testament")
	withTestament := func() *peer {
		v := join(t, r, "realm1", nil)
		req := v.call("wamp.session.add_testament", nil, protocol.List{"com.example.testament", protocol.List{"bye"}, protocol.Dict{}})
		if res := expect[*protocol.Result](v); res.Request != req {
			t.Fatalf("add_testament: RESULT for %d", res.Request)
		}
		return v
	}
	victims := []*peer{withTestament(), withTestament()}
	req := admin.call("wamp.session.kill_all", nil, nil)
	if res := expect[*protocol.Result](admin); res.Request != req || res.Args[0] != int64(2) {
		t.Fatalf("kill_all: RESULT %d %v, want 2 for %d", res.Request, res.Args, req)
	}
	for _, v := range victims {
		if g := expect[*protocol.Goodbye](v); g.Reason != "wamp.close.killed" {
			t.Errorf("victim got GOODBYE %s", g.Reason)
		}
	}
	admin.barrier() // fails on any EVENT

	v := withTestament()
	req = admin.call("wamp.session.kill", nil, protocol.List{int64(v.id)})
	expect[*protocol.Event](admin) // the testament first,
	if ev := expect[*protocol.Event](admin); ev.Args[0] != int64(v.id) {
		t.Errorf("on_leave for %v, want %d", ev.Args[0], v.id)
	} // then on_leave, then the RESULT
	if res := expect[*protocol.Result](admin); res.Request != req {
		t.Errorf("kill: RESULT for %d, want %d", res.Request, req)
	}
}
