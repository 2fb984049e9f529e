package wamptest_test

import (
	"reflect"
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

func TestRouterCallRouting(t *testing.T) {
	r := newRouter(t)
	callee := join(t, r, "realm1", nil)
	caller := join(t, r, "realm1", protocol.Dict{"authid": "bob", "authrole": "user"})

	regID := callee.register("com.example.add", nil)

	// A second registration of the same procedure is refused.
	req := caller.next()
	caller.send(&protocol.Register{Request: req, Options: protocol.Dict{}, Procedure: "com.example.add"})
	caller.expectError(protocol.TypeRegister, req, protocol.URIErrProcedureAlreadyExists)

	// CALL → INVOCATION → YIELD → RESULT, with caller disclosure.
	call := caller.call("com.example.add", protocol.Dict{"disclose_me": true}, protocol.List{int64(2), int64(3)})
	inv := expect[*protocol.Invocation](callee)
	if inv.Request != 1 || inv.Registration != regID {
		t.Errorf("INVOCATION %d under %d, want request 1 under %d", inv.Request, inv.Registration, regID)
	}
	if !reflect.DeepEqual(inv.Args, protocol.List{int64(2), int64(3)}) {
		t.Errorf("INVOCATION args %v", inv.Args)
	}
	if inv.Details["caller"] != int64(caller.id) || inv.Details["caller_authid"] != "bob" || inv.Details["caller_authrole"] != "user" {
		t.Errorf("INVOCATION details %v: want caller %d, bob, user", inv.Details, caller.id)
	}
	callee.send(&protocol.Yield{Request: inv.Request, Options: protocol.Dict{},
		Payload: protocol.Payload{Args: protocol.List{int64(5)}, Kwargs: protocol.Dict{"op": "add"}}})
	res := expect[*protocol.Result](caller)
	if res.Request != call || !reflect.DeepEqual(res.Args, protocol.List{int64(5)}) || res.Kwargs["op"] != "add" {
		t.Errorf("RESULT %+v, want [5] {op: add} for %d", res, call)
	}

	// Without disclose_me the callee learns nothing of the caller; the
	// callee's ERROR reaches the caller intact; INVOCATION ids go on in
	// sequence.
	call = caller.call("com.example.add", nil, protocol.List{"x"})
	inv = expect[*protocol.Invocation](callee)
	if inv.Request != 2 {
		t.Errorf("second INVOCATION id %d, want 2", inv.Request)
	}
	if _, ok := inv.Details["caller"]; ok {
		t.Errorf("caller disclosed without disclose_me: %v", inv.Details)
	}
	callee.send(&protocol.Error{RequestType: protocol.TypeInvocation, Request: inv.Request, Details: protocol.Dict{},
		Error: "com.example.error.bad_input", Payload: protocol.Payload{
			Args: protocol.List{"not a number", int64(1)}, Kwargs: protocol.Dict{"arg": "x"}}})
	e := caller.expectError(protocol.TypeCall, call, "com.example.error.bad_input")
	if !reflect.DeepEqual(e.Args, protocol.List{"not a number", int64(1)}) || e.Kwargs["arg"] != "x" {
		t.Errorf("forwarded ERROR payload %v %v", e.Args, e.Kwargs)
	}

	// disclose_caller on the registration discloses every caller.
	callee.register("com.example.who", protocol.Dict{"disclose_caller": true})
	caller.call("com.example.who", nil, nil)
	if inv := expect[*protocol.Invocation](callee); inv.Details["caller"] != int64(caller.id) {
		t.Errorf("disclose_caller: details %v", inv.Details)
	}

	// UNREGISTER, then the procedure is gone.
	req = callee.next()
	callee.send(&protocol.Unregister{Request: req, Registration: regID})
	if m := expect[*protocol.Unregistered](callee); m.Request != req {
		t.Errorf("UNREGISTERED for %d, want %d", m.Request, req)
	}
	call = caller.call("com.example.add", nil, nil)
	caller.expectError(protocol.TypeCall, call, protocol.URIErrNoSuchProcedure)
	req = callee.next()
	callee.send(&protocol.Unregister{Request: req, Registration: regID})
	callee.expectError(protocol.TypeUnregister, req, protocol.URIErrNoSuchRegistration)

	// Unsupported options and reserved URIs.
	// A second registration needs the first one's shared invocation policy.
	callee.register("com.example.x", nil)
	for _, opts := range []protocol.Dict{{}, {"invoke": "roundrobin"}} {
		req = callee.next()
		callee.send(&protocol.Register{Request: req, Options: opts, Procedure: "com.example.x"})
		callee.expectError(protocol.TypeRegister, req, protocol.URIErrProcedureAlreadyExists)
	}
	req = callee.next()
	callee.send(&protocol.Register{Request: req, Options: protocol.Dict{}, Procedure: "wamp.session.count"})
	callee.expectError(protocol.TypeRegister, req, protocol.URIErrInvalidURI)
}

func TestRouterProgressiveResults(t *testing.T) {
	r := newRouter(t)
	callee := join(t, r, "realm1", nil)
	caller := join(t, r, "realm1", nil)
	callee.register("com.example.count", nil)

	call := caller.call("com.example.count", protocol.Dict{"receive_progress": true}, nil)
	inv := expect[*protocol.Invocation](callee)
	if inv.Details["receive_progress"] != true {
		t.Fatalf("INVOCATION details %v: want receive_progress", inv.Details)
	}
	for i := range int64(3) {
		callee.send(&protocol.Yield{Request: inv.Request, Options: protocol.Dict{"progress": true},
			Payload: protocol.Payload{Args: protocol.List{i}}})
	}
	callee.send(&protocol.Yield{Request: inv.Request, Options: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"done"}}})
	for i := range int64(3) {
		res := expect[*protocol.Result](caller)
		if res.Request != call || res.Details["progress"] != true || !reflect.DeepEqual(res.Args, protocol.List{i}) {
			t.Fatalf("progressive RESULT %d: %+v", i, res)
		}
	}
	res := expect[*protocol.Result](caller)
	if res.Details["progress"] == true || !reflect.DeepEqual(res.Args, protocol.List{"done"}) {
		t.Fatalf("final RESULT %+v", res)
	}

	// A caller that did not ask gets no progressive results.
	call = caller.call("com.example.count", nil, nil)
	inv = expect[*protocol.Invocation](callee)
	if _, ok := inv.Details["receive_progress"]; ok {
		t.Errorf("receive_progress forwarded unasked: %v", inv.Details)
	}
	callee.send(&protocol.Yield{Request: inv.Request, Options: protocol.Dict{"progress": true}})
	callee.send(&protocol.Yield{Request: inv.Request, Options: protocol.Dict{}})
	if res := expect[*protocol.Result](caller); res.Request != call || res.Details["progress"] == true {
		t.Fatalf("RESULT %+v, want only the final one", res)
	}
}

func TestRouterCancel(t *testing.T) {
	start := func(t *testing.T, calleeRoles protocol.Dict) (caller, callee *peer, call protocol.ID, inv *protocol.Invocation) {
		r := newRouter(t)
		callee = join(t, r, "realm1", protocol.Dict{"roles": calleeRoles})
		caller = join(t, r, "realm1", nil)
		callee.register("com.example.slow", nil)
		call = caller.call("com.example.slow", nil, nil)
		inv = expect[*protocol.Invocation](callee)
		return caller, callee, call, inv
	}
	cancel := func(p *peer, call protocol.ID, mode string) {
		p.send(&protocol.Cancel{Request: call, Options: protocol.Dict{"mode": mode}})
	}
	// lateAnswer has the callee answer the abandoned invocation and checks
	// that the caller never hears of it.
	lateAnswer := func(caller, callee *peer, inv protocol.ID) {
		callee.send(&protocol.Yield{Request: inv, Options: protocol.Dict{}})
		callee.barrier()
		caller.barrier()
	}

	t.Run("skip", func(t *testing.T) {
		caller, callee, call, inv := start(t, allRoles())
		cancel(caller, call, protocol.CancelSkip)
		caller.expectError(protocol.TypeCall, call, protocol.URIErrCanceled)
		lateAnswer(caller, callee, inv.Request) // also: no INTERRUPT came before the barrier
	})
	t.Run("kill", func(t *testing.T) {
		caller, callee, call, inv := start(t, allRoles())
		cancel(caller, call, protocol.CancelKill)
		in := expect[*protocol.Interrupt](callee)
		if in.Request != inv.Request || in.Options["mode"] != protocol.CancelKill {
			t.Fatalf("INTERRUPT %+v, want kill for %d", in, inv.Request)
		}
		caller.barrier() // no ERROR before the callee answers
		callee.send(&protocol.Error{RequestType: protocol.TypeInvocation, Request: inv.Request,
			Details: protocol.Dict{}, Error: protocol.URIErrCanceled})
		caller.expectError(protocol.TypeCall, call, protocol.URIErrCanceled)
	})
	t.Run("killnowait", func(t *testing.T) {
		caller, callee, call, inv := start(t, allRoles())
		cancel(caller, call, protocol.CancelKillNoWait)
		caller.expectError(protocol.TypeCall, call, protocol.URIErrCanceled)
		in := expect[*protocol.Interrupt](callee)
		if in.Request != inv.Request || in.Options["mode"] != protocol.CancelKillNoWait {
			t.Fatalf("INTERRUPT %+v, want killnowait for %d", in, inv.Request)
		}
		lateAnswer(caller, callee, inv.Request)
	})
	t.Run("callee without call_canceling", func(t *testing.T) {
		roles := allRoles()
		roles["callee"] = features()
		caller, callee, call, inv := start(t, roles)
		cancel(caller, call, protocol.CancelKill) // taken as skip
		caller.expectError(protocol.TypeCall, call, protocol.URIErrCanceled)
		lateAnswer(caller, callee, inv.Request)
	})
	t.Run("after the result", func(t *testing.T) {
		caller, callee, call, inv := start(t, allRoles())
		callee.send(&protocol.Yield{Request: inv.Request, Options: protocol.Dict{}})
		expect[*protocol.Result](caller)
		cancel(caller, call, protocol.CancelKill) // ignored
		caller.barrier()
		callee.barrier()
	})
}

func TestRouterCallTimeout(t *testing.T) {
	r := newRouter(t)
	callee := join(t, r, "realm1", nil)
	caller := join(t, r, "realm1", nil)
	callee.register("com.example.slow", nil)
	callee.register("com.example.self_timed", protocol.Dict{"forward_timeout": true})

	call := caller.call("com.example.slow", protocol.Dict{"timeout": int64(20)}, nil)
	inv := expect[*protocol.Invocation](callee)
	if _, ok := inv.Details["timeout"]; ok {
		t.Errorf("timeout forwarded without forward_timeout: %v", inv.Details)
	}
	caller.expectError(protocol.TypeCall, call, protocol.URIErrTimeout)
	in := expect[*protocol.Interrupt](callee)
	if in.Request != inv.Request || in.Options["mode"] != protocol.CancelKillNoWait {
		t.Fatalf("INTERRUPT %+v, want killnowait for %d", in, inv.Request)
	}
	callee.send(&protocol.Yield{Request: inv.Request, Options: protocol.Dict{}})
	callee.barrier()
	caller.barrier()

	// With forward_timeout the callee gets the timeout and keeps the call.
	call = caller.call("com.example.self_timed", protocol.Dict{"timeout": int64(20)}, nil)
	inv = expect[*protocol.Invocation](callee)
	if inv.Details["timeout"] != int64(20) {
		t.Errorf("INVOCATION details %v: want timeout 20", inv.Details)
	}
	callee.send(&protocol.Error{RequestType: protocol.TypeInvocation, Request: inv.Request,
		Details: protocol.Dict{}, Error: protocol.URIErrTimeout})
	caller.expectError(protocol.TypeCall, call, protocol.URIErrTimeout)
}

func TestRouterProgressiveInvocations(t *testing.T) {
	r := newRouter(t)
	callee := join(t, r, "realm1", nil)
	caller := join(t, r, "realm1", nil)
	reg := callee.register("com.example.upload", nil)

	chunk := func(req protocol.ID, progress bool, data string) {
		opts := protocol.Dict{}
		if progress {
			opts["progress"] = true
		}
		caller.send(&protocol.Call{Request: req, Options: opts, Procedure: "com.example.upload",
			Payload: protocol.Payload{Args: protocol.List{data}}})
	}
	call := caller.call("com.example.upload", protocol.Dict{"progress": true, "disclose_me": true}, protocol.List{"a"})
	caller.barrier() // the id sequence moves on between chunks
	chunk(call, true, "b")
	chunk(call, false, "c")

	var invID protocol.ID
	for i, want := range []string{"a", "b", "c"} {
		inv := expect[*protocol.Invocation](callee)
		if i == 0 {
			invID = inv.Request
		}
		progress := inv.Details["progress"] == true
		if inv.Request != invID || inv.Registration != reg || progress != (i < 2) ||
			inv.Details["caller"] != int64(caller.id) || !reflect.DeepEqual(inv.Args, protocol.List{want}) {
			t.Fatalf("INVOCATION %d: %+v", i, inv)
		}
	}

	callee.send(&protocol.Yield{Request: invID, Options: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"abc"}}})
	if res := expect[*protocol.Result](caller); res.Request != call || !reflect.DeepEqual(res.Args, protocol.List{"abc"}) {
		t.Fatalf("RESULT %+v", res)
	}
	// A continuation arriving after the call completed is discarded.
	chunk(call, true, "late")
	caller.barrier()
	callee.barrier()

	t.Run("callee without the feature", func(t *testing.T) {
		roles := allRoles()
		roles["callee"] = features(protocol.FeatureCallCanceling)
		plain := join(t, r, "realm1", protocol.Dict{"roles": roles})
		plain.register("com.example.plain", nil)
		req := caller.call("com.example.plain", protocol.Dict{"progress": true}, nil)
		caller.expectError(protocol.TypeCall, req, protocol.URIErrFeatureNotSupported)
	})
	t.Run("continuation of a plain call", func(t *testing.T) {
		req := caller.call("com.example.upload", nil, nil)
		expect[*protocol.Invocation](callee)
		chunk(req, true, "x")
		caller.expectAbort(protocol.URIErrProtocolViolation)
	})
}

func TestRouterLeaving(t *testing.T) {
	r := newRouter(t)
	callee := join(t, r, "realm1", nil)
	callee.register("com.example.slow", nil)

	t.Run("caller leaves", func(t *testing.T) {
		caller := join(t, r, "realm1", nil)
		caller.call("com.example.slow", nil, nil)
		inv := expect[*protocol.Invocation](callee)
		caller.tr.Close()
		in := expect[*protocol.Interrupt](callee)
		if in.Request != inv.Request || in.Options["mode"] != protocol.CancelKillNoWait {
			t.Fatalf("INTERRUPT %+v, want killnowait for %d", in, inv.Request)
		}
		callee.send(&protocol.Yield{Request: inv.Request, Options: protocol.Dict{}}) // discarded
		callee.barrier()
	})
	t.Run("callee leaves", func(t *testing.T) {
		caller := join(t, r, "realm1", nil)
		call := caller.call("com.example.slow", nil, nil)
		expect[*protocol.Invocation](callee)
		callee.tr.Close()
		caller.expectError(protocol.TypeCall, call, protocol.URIErrCanceled)
		call = caller.call("com.example.slow", nil, nil)
		caller.expectError(protocol.TypeCall, call, protocol.URIErrNoSuchProcedure)
	})
}
