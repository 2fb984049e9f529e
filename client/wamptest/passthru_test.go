package wamptest_test

import (
	"bytes"
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

// pptRoles is allRoles with payload_passthru_mode in every role.
func pptRoles() protocol.Dict {
	roles := allRoles()
	for _, r := range roles {
		r.(protocol.Dict)["features"].(protocol.Dict)[protocol.FeaturePayloadPassthruMode] = true
	}
	return roles
}

// The router announces payload passthru mode, forwards the ppt_* keys and
// the binary payload untouched through CALL → INVOCATION → YIELD → RESULT
// and PUBLISH → EVENT, and its log shows the payloads as they passed.
func TestRouterPassthru(t *testing.T) {
	r := newRouter(t)
	callee := join(t, r, "realm1", protocol.Dict{"roles": pptRoles()})
	caller := join(t, r, "realm1", protocol.Dict{"roles": pptRoles()})
	for _, role := range []string{"dealer", "broker"} {
		f := caller.welcome.Details["roles"].(protocol.Dict)[role].(protocol.Dict)["features"].(protocol.Dict)
		if f[protocol.FeaturePayloadPassthruMode] != true {
			t.Errorf("WELCOME %s lacks %s", role, protocol.FeaturePayloadPassthruMode)
		}
	}
	ppt := protocol.Dict{"ppt_scheme": "wamp", "ppt_serializer": "cbor", "ppt_cipher": "aes256gcm", "ppt_keyid": "k1"}
	blob := []byte{0, 0xff, 'c', 'i', 'p', 'h', 'e', 'r'}
	callee.register("com.example.p", nil)
	sub := callee.subscribe("com.example.t")

	req := caller.next()
	caller.send(&protocol.Call{Request: req, Options: ppt, Procedure: "com.example.p", Payload: protocol.Payload{Payload: blob}})
	inv := expect[*protocol.Invocation](callee)
	for k, v := range ppt {
		if inv.Details[k] != v {
			t.Errorf("INVOCATION.Details[%s] = %v, want %v", k, inv.Details[k], v)
		}
	}
	if !bytes.Equal(inv.Payload.Payload, blob) || inv.Args != nil {
		t.Errorf("INVOCATION payload %+v, want %x", inv.Payload, blob)
	}
	callee.send(&protocol.Yield{Request: inv.Request, Options: ppt, Payload: protocol.Payload{Payload: blob[1:]}})
	res := expect[*protocol.Result](caller)
	if res.Request != req || res.Details["ppt_keyid"] != "k1" || !bytes.Equal(res.Payload.Payload, blob[1:]) {
		t.Errorf("RESULT %+v", res)
	}

	pub := caller.next()
	caller.send(&protocol.Publish{Request: pub, Options: ppt, Topic: "com.example.t", Payload: protocol.Payload{Payload: blob}})
	ev := expect[*protocol.Event](callee)
	if ev.Subscription != sub || ev.Details["ppt_cipher"] != "aes256gcm" || !bytes.Equal(ev.Payload.Payload, blob) {
		t.Errorf("EVENT %+v", ev)
	}

	callee.barrier()
	var got []protocol.MessageType
	for _, rec := range r.Log(callee.id).PassthruPayloads() {
		got = append(got, rec.Type)
		if rec.Dict["ppt_keyid"] != "k1" || len(rec.Payload) == 0 {
			t.Errorf("record %+v", rec)
		}
	}
	want := []protocol.MessageType{protocol.TypeInvocation, protocol.TypeYield, protocol.TypeEvent}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("callee's passthru records %v, want %v", got, want)
	}
}

// The spec's announcement rules: passthru from a caller that did not
// announce it is a protocol violation; a call routed to a callee that did
// not is an application error.
func TestRouterPassthruNeedsAnnouncement(t *testing.T) {
	r := newRouter(t)
	plainCallee := join(t, r, "realm1", nil)
	plainCallee.register("com.example.p", nil)
	caller := join(t, r, "realm1", protocol.Dict{"roles": pptRoles()})
	ppt := protocol.Dict{"ppt_scheme": "mqtt", "ppt_serializer": "native"}
	req := caller.next()
	caller.send(&protocol.Call{Request: req, Options: ppt, Procedure: "com.example.p", Payload: protocol.Payload{Payload: []byte("m")}})
	caller.expectError(protocol.TypeCall, req, protocol.URIErrFeatureNotSupported)

	for _, m := range []func(p *peer) protocol.Message{
		func(p *peer) protocol.Message {
			return &protocol.Call{Request: p.next(), Options: ppt, Procedure: "com.example.p", Payload: protocol.Payload{Payload: []byte("m")}}
		},
		func(p *peer) protocol.Message {
			return &protocol.Publish{Request: p.next(), Options: ppt, Topic: "com.example.t", Payload: protocol.Payload{Payload: []byte("m")}}
		},
	} {
		plain := join(t, r, "realm1", nil)
		plain.send(m(plain))
		plain.expectAbort(protocol.URIErrProtocolViolation)
	}
}
