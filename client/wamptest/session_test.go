package wamptest_test

import (
	"testing"
	"time"

	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

func TestRouterWelcome(t *testing.T) {
	r := newRouter(t)
	a := join(t, r, "realm1", protocol.Dict{"authid": "alice", "authrole": "admin"})
	b := join(t, r, "realm1", nil)

	if a.id == b.id || a.id < 1 || a.id > protocol.MaxID || b.id < 1 || b.id > protocol.MaxID {
		t.Fatalf("session ids %d and %d: want distinct ids in [1, 2^53]", a.id, b.id)
	}
	d := a.welcome.Details
	if d["realm"] != "realm1" || d["authid"] != "alice" || d["authrole"] != "admin" {
		t.Errorf("WELCOME.Details = %v: want realm1, alice, admin", d)
	}
	if b.welcome.Details["authrole"] != "anonymous" {
		t.Errorf("anonymous authrole = %v", b.welcome.Details["authrole"])
	}
	roles := d["roles"].(protocol.Dict)
	want := map[string][]string{
		"dealer": {"progressive_call_results", "call_canceling", "call_timeout",
			"caller_identification", "progressive_call_invocations"},
		"broker": {"publisher_exclusion", "publisher_identification", "subscriber_blackwhite_listing"},
	}
	for role, names := range want {
		f := roles[role].(protocol.Dict)["features"].(protocol.Dict)
		for _, n := range names {
			if f[n] != true {
				t.Errorf("WELCOME does not announce %s.%s: %v", role, n, f)
			}
		}
	}
}

func TestRouterRealmsAreIsolated(t *testing.T) {
	r := newRouter(t)
	a1 := join(t, r, "realm1", nil)
	b1 := join(t, r, "realm1", protocol.Dict{"authrole": "staff"})
	a2 := join(t, r, "com.example.other", nil)

	if n := a1.count(nil); n != 2 {
		t.Errorf("realm1 count = %d, want 2", n)
	}
	if n := a2.count(nil); n != 1 {
		t.Errorf("other realm count = %d, want 1", n)
	}
	if n := a1.count(protocol.List{protocol.List{"staff"}}); n != 1 {
		t.Errorf("realm1 count of staff = %d, want 1", n)
	}

	a1.register("com.example.proc", nil)
	req := a2.call("com.example.proc", nil, nil)
	a2.expectError(protocol.TypeCall, req, protocol.URIErrNoSuchProcedure)

	b1.subscribe("com.example.topic")
	req = a2.next()
	a2.send(&protocol.Publish{Request: req, Options: protocol.Dict{"acknowledge": true}, Topic: "com.example.topic"})
	expect[*protocol.Published](a2)
	b1.barrier() // no EVENT from the other realm
}

func TestRouterHelloErrors(t *testing.T) {
	r := rawRouter(t)
	t.Run("not HELLO", func(t *testing.T) {
		p := connect(t, r)
		p.send(&protocol.Goodbye{Details: protocol.Dict{}, Reason: protocol.URICloseNormal})
		p.expectAbort(protocol.URIErrProtocolViolation)
	})
	t.Run("invalid realm", func(t *testing.T) {
		p := connect(t, r)
		p.send(&protocol.Hello{Realm: "not a uri", Details: protocol.Dict{"roles": allRoles()}})
		p.expectAbort(protocol.URIErrProtocolViolation)
	})
	t.Run("no roles", func(t *testing.T) {
		p := connect(t, r)
		p.send(&protocol.Hello{Realm: "realm1", Details: protocol.Dict{}})
		p.expectAbort(protocol.URIErrProtocolViolation)
	})
	t.Run("ABORT", func(t *testing.T) {
		p := connect(t, r)
		p.send(&protocol.Abort{Details: protocol.Dict{}, Reason: protocol.URICloseNormal})
		p.expectEnd()
	})
}

func TestRouterProtocolViolations(t *testing.T) {
	cases := []struct {
		name string
		msg  func(p *peer) protocol.Message
	}{
		{"second HELLO", func(*peer) protocol.Message {
			return &protocol.Hello{Realm: "realm1", Details: protocol.Dict{"roles": allRoles()}}
		}},
		{"WELCOME from a client", func(*peer) protocol.Message {
			return &protocol.Welcome{Session: 1, Details: protocol.Dict{"roles": allRoles()}}
		}},
		{"request id gap", func(p *peer) protocol.Message {
			return &protocol.Subscribe{Request: p.next() + 1, Options: protocol.Dict{}, Topic: "com.example.t"}
		}},
		{"request id reused", func(p *peer) protocol.Message {
			p.subscribe("com.example.t")
			return &protocol.Publish{Request: p.req, Options: protocol.Dict{}, Topic: "com.example.t"}
		}},
		{"CALL id gap", func(p *peer) protocol.Message {
			return &protocol.Call{Request: p.next() + 5, Options: protocol.Dict{}, Procedure: "com.example.p"}
		}},
		{"YIELD never invoked", func(*peer) protocol.Message {
			return &protocol.Yield{Request: 1, Options: protocol.Dict{}}
		}},
		{"ERROR for a CALL", func(*peer) protocol.Message {
			return &protocol.Error{RequestType: protocol.TypeCall, Request: 1, Details: protocol.Dict{}, Error: "com.example.error"}
		}},
		{"invalid topic", func(p *peer) protocol.Message {
			return &protocol.Subscribe{Request: p.next(), Options: protocol.Dict{}, Topic: "com..example"}
		}},
		{"invalid option", func(p *peer) protocol.Message {
			return &protocol.Publish{Request: p.next(), Options: protocol.Dict{"acknowledge": "yes"}, Topic: "com.example.t"}
		}},
	}
	r := rawRouter(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			p := join(t, r, "realm1", nil)
			p.send(tc.msg(p))
			p.expectAbort(protocol.URIErrProtocolViolation)
		})
	}

	t.Run("progressive CALL not announced", func(t *testing.T) {
		roles := allRoles()
		roles["caller"] = features()
		p := join(t, r, "realm1", protocol.Dict{"roles": roles})
		p.call("com.example.p", protocol.Dict{"progress": true}, nil)
		p.expectAbort(protocol.URIErrProtocolViolation)
	})
}

func TestRouterLenientRequestIDs(t *testing.T) {
	r := newRouter(t, wamptest.WithLenientRequestIDs())
	p := join(t, r, "realm1", nil)
	p.send(&protocol.Subscribe{Request: 77, Options: protocol.Dict{}, Topic: "com.example.t"})
	if m := expect[*protocol.Subscribed](p); m.Request != 77 {
		t.Fatalf("SUBSCRIBED for %d, want 77", m.Request)
	}
	p.send(&protocol.Call{Request: 5, Options: protocol.Dict{}, Procedure: "wamp.session.count"})
	if m := expect[*protocol.Result](p); m.Request != 5 {
		t.Fatalf("RESULT for %d, want 5", m.Request)
	}
}

func TestRouterGoodbye(t *testing.T) {
	r := newRouter(t)
	callee := join(t, r, "realm1", nil)
	caller := join(t, r, "realm1", nil)
	callee.register("com.example.proc", nil)

	callee.send(&protocol.Goodbye{Details: protocol.Dict{}, Reason: protocol.URICloseNormal})
	g := expect[*protocol.Goodbye](callee)
	if g.Reason != protocol.URICloseGoodbyeAndOut {
		t.Errorf("GOODBYE reason %q, want %q", g.Reason, protocol.URICloseGoodbyeAndOut)
	}
	callee.expectEnd()

	req := caller.call("com.example.proc", nil, nil)
	caller.expectError(protocol.TypeCall, req, protocol.URIErrNoSuchProcedure)
	if n := caller.count(nil); n != 1 {
		t.Errorf("count after GOODBYE = %d, want 1", n)
	}
}

func TestRouterClose(t *testing.T) {
	r := wamptest.NewRouter(wamptest.WithCloseGrace(100 * time.Millisecond))
	defer r.Close()
	polite := join(t, r, "realm1", nil)
	silent := join(t, r, "realm1", nil)
	unjoined := connect(t, r)

	done := make(chan struct{})
	go func() {
		r.Close()
		close(done)
	}()

	g := expect[*protocol.Goodbye](polite)
	if g.Reason != protocol.URICloseSystemShutdown {
		t.Errorf("GOODBYE reason %q, want %q", g.Reason, protocol.URICloseSystemShutdown)
	}
	polite.send(&protocol.Goodbye{Details: protocol.Dict{}, Reason: protocol.URICloseGoodbyeAndOut})
	polite.expectEnd()

	expect[*protocol.Goodbye](silent) // never answered: closed after the grace
	silent.expectEnd()
	unjoined.expectAbort(protocol.URICloseSystemShutdown)

	select {
	case <-done:
	case <-time.After(waitTimeout):
		t.Fatal("Close did not return")
	}

	// After Close, new connections are closed at once.
	late := r.Pipe()
	select {
	case _, ok := <-late.Receive():
		if ok {
			t.Fatal("message on a pipe made after Close")
		}
	case <-time.After(waitTimeout):
		t.Fatal("pipe made after Close is open")
	}
	late.Close()
	r.Close() // again: returns at once
}
