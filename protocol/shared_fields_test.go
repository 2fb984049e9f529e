package protocol_test

import (
	"reflect"
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

// fieldCase is one message of each type with the shared fields it carries.
type fieldCase struct {
	msg     protocol.Message
	reqType protocol.MessageType // 0: no request id
	dict    protocol.Dict        // the Options or Details dict, nil if none
	uri     string
	hasURI  bool
}

// fieldCases lists one message of every type the spec defines; every dict
// is distinct, so that OptionsOf is seen to return the right one.
func fieldCases() []fieldCase {
	d := func(k string) protocol.Dict { return protocol.Dict{k: true} }
	return []fieldCase{
		{&protocol.Hello{Realm: "realm1", Details: d("hello")}, 0, d("hello"), "realm1", true},
		{&protocol.Welcome{Session: 1, Details: d("welcome")}, 0, d("welcome"), "", false},
		{&protocol.Abort{Details: d("abort"), Reason: "wamp.error.no_such_realm"}, 0, d("abort"), "wamp.error.no_such_realm", true},
		{&protocol.Challenge{AuthMethod: "ticket", Extra: d("challenge")}, 0, nil, "", false},
		{&protocol.Authenticate{Signature: "s", Extra: d("authenticate")}, 0, nil, "", false},
		{&protocol.Goodbye{Details: d("goodbye"), Reason: "wamp.close.normal"}, 0, d("goodbye"), "wamp.close.normal", true},
		{&protocol.Error{RequestType: protocol.TypeRegister, Request: 3, Details: d("error"), Error: "com.err"}, protocol.TypeRegister, d("error"), "com.err", true},
		{&protocol.Publish{Request: 4, Options: d("publish"), Topic: "com.topic"}, protocol.TypePublish, d("publish"), "com.topic", true},
		{&protocol.Published{Request: 5, Publication: 9}, protocol.TypePublish, nil, "", false},
		{&protocol.Subscribe{Request: 6, Options: d("subscribe"), Topic: "com.sub"}, protocol.TypeSubscribe, d("subscribe"), "com.sub", true},
		{&protocol.Subscribed{Request: 7, Subscription: 9}, protocol.TypeSubscribe, nil, "", false},
		{&protocol.Unsubscribe{Request: 8, Subscription: 9}, protocol.TypeUnsubscribe, nil, "", false},
		{&protocol.Unsubscribed{Request: 9, Details: d("unsubscribed")}, protocol.TypeUnsubscribe, d("unsubscribed"), "", false},
		{&protocol.Event{Subscription: 1, Publication: 2, Details: d("event")}, 0, d("event"), "", false},
		{&protocol.Call{Request: 10, Options: d("call"), Procedure: "com.proc"}, protocol.TypeCall, d("call"), "com.proc", true},
		{&protocol.Cancel{Request: 11, Options: d("cancel")}, protocol.TypeCall, d("cancel"), "", false},
		{&protocol.Result{Request: 12, Details: d("result")}, protocol.TypeCall, d("result"), "", false},
		{&protocol.Register{Request: 13, Options: d("register"), Procedure: "com.reg"}, protocol.TypeRegister, d("register"), "com.reg", true},
		{&protocol.Registered{Request: 14, Registration: 9}, protocol.TypeRegister, nil, "", false},
		{&protocol.Unregister{Request: 15, Registration: 9}, protocol.TypeUnregister, nil, "", false},
		{&protocol.Unregistered{Request: 16, Details: d("unregistered")}, protocol.TypeUnregister, d("unregistered"), "", false},
		{&protocol.Invocation{Request: 17, Registration: 9, Details: d("invocation")}, protocol.TypeInvocation, d("invocation"), "", false},
		{&protocol.Interrupt{Request: 18, Options: d("interrupt")}, protocol.TypeInvocation, d("interrupt"), "", false},
		{&protocol.Yield{Request: 19, Options: d("yield")}, protocol.TypeInvocation, d("yield"), "", false},
	}
}

// The table has a message of every type the spec defines.
func TestFieldCasesCoverEveryType(t *testing.T) {
	seen := map[protocol.MessageType]bool{}
	for _, tc := range fieldCases() {
		seen[tc.msg.Type()] = true
	}
	for mt := protocol.MessageType(0); mt < 256; mt++ {
		if mt.Known() && !seen[mt] {
			t.Errorf("no case for %s", mt)
		}
	}
}

func TestRequestType(t *testing.T) {
	for _, tc := range fieldCases() {
		got, ok := protocol.RequestType(tc.msg)
		if got != tc.reqType || ok != (tc.reqType != 0) {
			t.Errorf("RequestType(%s) = %v, %v; want %v, %v", tc.msg.Type(), got, ok, tc.reqType, tc.reqType != 0)
		}
		// RequestType and RequestID agree on which messages carry an id.
		if _, idOK := protocol.RequestID(tc.msg); idOK != ok {
			t.Errorf("%s: RequestID reports %v, RequestType %v", tc.msg.Type(), idOK, ok)
		}
	}
	// The revocation forms have no request id, but a request type.
	for _, m := range []protocol.Message{&protocol.Unsubscribed{}, &protocol.Unregistered{}} {
		if _, ok := protocol.RequestID(m); ok {
			t.Errorf("RequestID(revocation %s) reports an id", m.Type())
		}
		if rt, ok := protocol.RequestType(m); !ok || rt != m.Type()-1 {
			t.Errorf("RequestType(revocation %s) = %v, %v", m.Type(), rt, ok)
		}
	}
	if rt, ok := protocol.RequestType(nil); rt != 0 || ok {
		t.Errorf("RequestType(nil) = %v, %v", rt, ok)
	}
}

func TestSetRequestID(t *testing.T) {
	for _, tc := range fieldCases() {
		before := reflect.ValueOf(tc.msg).Elem().Interface()
		ok := protocol.SetRequestID(tc.msg, 77)
		if ok != (tc.reqType != 0) {
			t.Errorf("SetRequestID(%s) = %v", tc.msg.Type(), ok)
		}
		if !ok {
			if after := reflect.ValueOf(tc.msg).Elem().Interface(); !reflect.DeepEqual(before, after) {
				t.Errorf("SetRequestID(%s) changed a message without a request id: %#v", tc.msg.Type(), after)
			}
			continue
		}
		if id, _ := protocol.RequestID(tc.msg); id != 77 {
			t.Errorf("after SetRequestID(%s, 77), RequestID = %d", tc.msg.Type(), id)
		}
		// Only the request id changed.
		protocol.SetRequestID(tc.msg, requestOf(before))
		if after := reflect.ValueOf(tc.msg).Elem().Interface(); !reflect.DeepEqual(before, after) {
			t.Errorf("SetRequestID(%s) changed more than the id: %#v", tc.msg.Type(), after)
		}
	}
	if protocol.SetRequestID(nil, 1) {
		t.Error("SetRequestID(nil) = true")
	}
}

// requestOf reads the Request field of a message struct value.
func requestOf(m any) protocol.ID {
	return protocol.ID(reflect.ValueOf(m).FieldByName("Request").Uint())
}

func TestOptionsOf(t *testing.T) {
	for _, tc := range fieldCases() {
		got := protocol.OptionsOf(tc.msg)
		if !reflect.DeepEqual(got, tc.dict) {
			t.Errorf("OptionsOf(%s) = %v, want %v", tc.msg.Type(), got, tc.dict)
		}
	}
	// The message's own dict, not a copy.
	m := &protocol.Call{Request: 1, Procedure: "a.b", Options: protocol.Dict{}}
	protocol.OptionsOf(m)["x"] = 1
	if m.Options["x"] != 1 {
		t.Error("OptionsOf returned a copy")
	}
	if protocol.OptionsOf(nil) != nil {
		t.Error("OptionsOf(nil) != nil")
	}
}

func TestURIOf(t *testing.T) {
	for _, tc := range fieldCases() {
		got, ok := protocol.URIOf(tc.msg)
		if got != tc.uri || ok != tc.hasURI {
			t.Errorf("URIOf(%s) = %q, %v; want %q, %v", tc.msg.Type(), got, ok, tc.uri, tc.hasURI)
		}
	}
	if u, ok := protocol.URIOf(nil); u != "" || ok {
		t.Errorf("URIOf(nil) = %q, %v", u, ok)
	}
}
