package protocol_test

import (
	"reflect"
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

var roles = D{"caller": D{}, "callee": D{"features": D{"call_canceling": true}}}

// validCase is a list FromList must accept and the message it must return.
// When canonical is set, ToList of the message must give back the list.
type validCase struct {
	name      string
	list      L
	msg       protocol.Message
	canonical bool
}

func validCases() []validCase {
	pay := protocol.Payload{}
	_ = pay
	args := L{"a", int64(1), true, nil, 1.5, []byte{1}, L{}, D{}}
	kw := D{"k": "v", "n": int64(-3), "u": uint64(1 << 63), "l": L{D{}}}
	full := protocol.Payload{Args: args, Kwargs: kw}
	return []validCase{
		// HELLO
		{"hello/minimal", L{int64(1), "realm1", D{"roles": D{"caller": D{}}}},
			&protocol.Hello{Realm: "realm1", Details: D{"roles": D{"caller": D{}}}}, true},
		{"hello/maximal", L{int64(1), "com.example.realm", D{"roles": roles, "authid": "joe", "authrole": "user",
			"authmethods": L{"ticket", "wampcra"}, "authextra": D{"pubkey": "ab"}, "agent": "wampgo", "x_custom": L{}}},
			&protocol.Hello{Realm: "com.example.realm", Details: D{"roles": roles, "authid": "joe", "authrole": "user",
				"authmethods": L{"ticket", "wampcra"}, "authextra": D{"pubkey": "ab"}, "agent": "wampgo", "x_custom": L{}}}, true},
		{"hello/loose realm", L{int64(1), "Com.Example-Realm", D{"roles": roles}},
			&protocol.Hello{Realm: "Com.Example-Realm", Details: D{"roles": roles}}, true},
		{"hello/authmethods []string", L{int64(1), "r", D{"roles": roles, "authmethods": []string{"anonymous"}}},
			&protocol.Hello{Realm: "r", Details: D{"roles": roles, "authmethods": []string{"anonymous"}}}, true},
		// WELCOME
		{"welcome/minimal", L{int64(2), int64(1), D{"roles": D{"broker": D{}}}},
			&protocol.Welcome{Session: 1, Details: D{"roles": D{"broker": D{}}}}, true},
		{"welcome/maximal", L{int64(2), int64(maxID), D{"roles": D{"broker": D{"features": D{}}, "dealer": D{}},
			"authid": "joe", "authrole": "user", "authmethod": "ticket", "authprovider": "static",
			"authextra": D{}, "agent": "crossbar", "realm": "realm1"}},
			&protocol.Welcome{Session: maxID, Details: D{"roles": D{"broker": D{"features": D{}}, "dealer": D{}},
				"authid": "joe", "authrole": "user", "authmethod": "ticket", "authprovider": "static",
				"authextra": D{}, "agent": "crossbar", "realm": "realm1"}}, true},
		{"welcome/uint64 id", L{int64(2), uint64(7), D{"roles": roles}},
			&protocol.Welcome{Session: 7, Details: D{"roles": roles}}, false},
		{"welcome/int id", L{2, 7, D{"roles": roles}},
			&protocol.Welcome{Session: 7, Details: D{"roles": roles}}, false},
		// ABORT
		{"abort/minimal", L{int64(3), D{}, "wamp.error.no_such_realm"},
			&protocol.Abort{Details: D{}, Reason: "wamp.error.no_such_realm"}, true},
		{"abort/maximal", L{int64(3), D{"message": "bye"}, "wamp.error.protocol_violation", args, kw},
			&protocol.Abort{Details: D{"message": "bye"}, Reason: "wamp.error.protocol_violation", Payload: full}, true},
		{"abort/args only", L{int64(3), D{}, "x.y", L{"m"}},
			&protocol.Abort{Details: D{}, Reason: "x.y", Payload: protocol.Payload{Args: L{"m"}}}, true},
		{"abort/empty args and kwargs", L{int64(3), D{}, "x", L{}, D{}},
			&protocol.Abort{Details: D{}, Reason: "x"}, false},
		// CHALLENGE
		{"challenge/minimal", L{int64(4), "ticket", D{}},
			&protocol.Challenge{AuthMethod: "ticket", Extra: D{}}, true},
		{"challenge/maximal", L{int64(4), "wampcra", D{"challenge": "{}", "salt": "s", "iterations": int64(1000), "keylen": int64(32)}},
			&protocol.Challenge{AuthMethod: "wampcra", Extra: D{"challenge": "{}", "salt": "s", "iterations": int64(1000), "keylen": int64(32)}}, true},
		// AUTHENTICATE
		{"authenticate/minimal", L{int64(5), "", D{}},
			&protocol.Authenticate{Signature: "", Extra: D{}}, true},
		{"authenticate/extra", L{int64(5), "sig=", D{"x": int64(1)}},
			&protocol.Authenticate{Signature: "sig=", Extra: D{"x": int64(1)}}, true},
		// GOODBYE
		{"goodbye/minimal", L{int64(6), D{}, "wamp.close.normal"},
			&protocol.Goodbye{Details: D{}, Reason: "wamp.close.normal"}, true},
		{"goodbye/message", L{int64(6), D{"message": "shutting down"}, "wamp.close.system_shutdown"},
			&protocol.Goodbye{Details: D{"message": "shutting down"}, Reason: "wamp.close.system_shutdown"}, true},
		// ERROR
		{"error/minimal", L{int64(8), int64(48), int64(1), D{}, "com.err"},
			&protocol.Error{RequestType: protocol.TypeCall, Request: 1, Details: D{}, Error: "com.err"}, true},
		{"error/maximal", L{int64(8), int64(68), int64(maxID), D{"x": true}, "wamp.error.invalid_argument", args, kw},
			&protocol.Error{RequestType: protocol.TypeInvocation, Request: maxID, Details: D{"x": true},
				Error: "wamp.error.invalid_argument", Payload: full}, true},
		{"error/kwargs only", L{int64(8), int64(32), int64(2), D{}, "e", L{}, D{"a": int64(1)}},
			&protocol.Error{RequestType: protocol.TypeSubscribe, Request: 2, Details: D{}, Error: "e",
				Payload: protocol.Payload{Kwargs: D{"a": int64(1)}}}, true},
		{"error/null args", L{int64(8), int64(34), int64(2), D{}, "e", nil, D{"a": int64(1)}},
			&protocol.Error{RequestType: protocol.TypeUnsubscribe, Request: 2, Details: D{}, Error: "e",
				Payload: protocol.Payload{Kwargs: D{"a": int64(1)}}}, false},
		{"error/null args and kwargs", L{int64(8), int64(16), int64(2), D{}, "e", nil, nil},
			&protocol.Error{RequestType: protocol.TypePublish, Request: 2, Details: D{}, Error: "e"}, false},
		{"error/register", L{int64(8), int64(64), int64(2), D{}, "e"},
			&protocol.Error{RequestType: protocol.TypeRegister, Request: 2, Details: D{}, Error: "e"}, true},
		{"error/unregister", L{int64(8), int64(66), int64(2), D{}, "e"},
			&protocol.Error{RequestType: protocol.TypeUnregister, Request: 2, Details: D{}, Error: "e"}, true},
		{"error/cancel", L{int64(8), int64(49), int64(2), D{}, "e"},
			&protocol.Error{RequestType: protocol.TypeCancel, Request: 2, Details: D{}, Error: "e"}, true},
		{"error/passthru", L{int64(8), int64(68), int64(2), D{"ppt_scheme": "wamp", "ppt_serializer": "cbor"}, "e", L{[]byte{9}}},
			&protocol.Error{RequestType: protocol.TypeInvocation, Request: 2, Details: D{"ppt_scheme": "wamp", "ppt_serializer": "cbor"},
				Error: "e", Payload: protocol.Payload{Payload: []byte{9}}}, true},
		// PUBLISH
		{"publish/minimal", L{int64(16), int64(1), D{}, "com.topic"},
			&protocol.Publish{Request: 1, Options: D{}, Topic: "com.topic"}, true},
		{"publish/maximal", L{int64(16), int64(maxID), D{"acknowledge": true, "exclude_me": false, "disclose_me": true,
			"retain": true, "exclude": L{int64(1), uint64(2)}, "eligible": L{int64(maxID)}, "exclude_authid": L{"a"},
			"exclude_authrole": L{}, "eligible_authid": L{"b"}, "eligible_authrole": L{"c"}, "transaction_hash": "h",
			"rkey": "r", "forward_for": L{D{"session": int64(1), "authid": "a", "authrole": "r"}}, "x_vendor": nil},
			"com.topic", args, kw},
			&protocol.Publish{Request: maxID, Options: D{"acknowledge": true, "exclude_me": false, "disclose_me": true,
				"retain": true, "exclude": L{int64(1), uint64(2)}, "eligible": L{int64(maxID)}, "exclude_authid": L{"a"},
				"exclude_authrole": L{}, "eligible_authid": L{"b"}, "eligible_authrole": L{"c"}, "transaction_hash": "h",
				"rkey": "r", "forward_for": L{D{"session": int64(1), "authid": "a", "authrole": "r"}}, "x_vendor": nil},
				Topic: "com.topic", Payload: full}, true},
		{"publish/args only", L{int64(16), int64(1), D{}, "t", L{"x"}},
			&protocol.Publish{Request: 1, Options: D{}, Topic: "t", Payload: protocol.Payload{Args: L{"x"}}}, true},
		{"publish/empty args", L{int64(16), int64(1), D{}, "t", L{}},
			&protocol.Publish{Request: 1, Options: D{}, Topic: "t"}, false},
		{"publish/null args", L{int64(16), int64(1), D{}, "t", nil},
			&protocol.Publish{Request: 1, Options: D{}, Topic: "t"}, false},
		{"publish/args and null kwargs", L{int64(16), int64(1), D{}, "t", L{"x"}, nil},
			&protocol.Publish{Request: 1, Options: D{}, Topic: "t", Payload: protocol.Payload{Args: L{"x"}}}, false},
		{"publish/passthru bare string", L{int64(16), int64(1), D{"enc_algo": "cryptobox", "enc_serializer": "cbor", "enc_key": "k"}, "t", "a1666e"},
			&protocol.Publish{Request: 1, Options: D{"enc_algo": "cryptobox", "enc_serializer": "cbor", "enc_key": "k"}, Topic: "t",
				Payload: protocol.Payload{Payload: []byte("a1666e")}}, false},
		{"publish/passthru bare binary", L{int64(16), int64(1), D{"enc_algo": "x_mine"}, "t", []byte{0, 1}},
			&protocol.Publish{Request: 1, Options: D{"enc_algo": "x_mine"}, Topic: "t",
				Payload: protocol.Payload{Payload: []byte{0, 1}}}, true},
		{"publish/passthru empty binary", L{int64(16), int64(1), D{"enc_algo": "mqtt"}, "t", []byte{}},
			&protocol.Publish{Request: 1, Options: D{"enc_algo": "mqtt"}, Topic: "t",
				Payload: protocol.Payload{Payload: []byte{}}}, true},
		{"publish/passthru null kwargs", L{int64(16), int64(1), D{"enc_algo": "xbr"}, "t", []byte{1}, nil},
			&protocol.Publish{Request: 1, Options: D{"enc_algo": "xbr"}, Topic: "t",
				Payload: protocol.Payload{Payload: []byte{1}}}, false},
		{"publish/passthru empty kwargs", L{int64(16), int64(1), D{"enc_algo": "xbr"}, "t", []byte{1}, D{}},
			&protocol.Publish{Request: 1, Options: D{"enc_algo": "xbr"}, Topic: "t",
				Payload: protocol.Payload{Payload: []byte{1}}}, false},
		{"publish/passthru without payload", L{int64(16), int64(1), D{"enc_algo": "cryptobox"}, "t"},
			&protocol.Publish{Request: 1, Options: D{"enc_algo": "cryptobox"}, Topic: "t"}, true},
		{"publish/passthru wrapped", L{int64(16), int64(1), D{"ppt_scheme": "mqtt", "ppt_serializer": "native"}, "t", L{[]byte{5}}},
			&protocol.Publish{Request: 1, Options: D{"ppt_scheme": "mqtt", "ppt_serializer": "native"}, Topic: "t",
				Payload: protocol.Payload{Payload: []byte{5}}}, true},
		{"publish/passthru wrapped empty list", L{int64(16), int64(1), D{"ppt_scheme": "mqtt"}, "t", L{}},
			&protocol.Publish{Request: 1, Options: D{"ppt_scheme": "mqtt"}, Topic: "t"}, false},
		{"publish/passthru wrapped given bare", L{int64(16), int64(1), D{"ppt_scheme": "mqtt"}, "t", []byte{5}},
			&protocol.Publish{Request: 1, Options: D{"ppt_scheme": "mqtt"}, Topic: "t",
				Payload: protocol.Payload{Payload: []byte{5}}}, false},
		// PUBLISHED
		{"published", L{int64(17), int64(1), int64(maxID)},
			&protocol.Published{Request: 1, Publication: maxID}, true},
		// SUBSCRIBE
		{"subscribe/minimal", L{int64(32), int64(1), D{}, "com.topic"},
			&protocol.Subscribe{Request: 1, Options: D{}, Topic: "com.topic"}, true},
		{"subscribe/maximal", L{int64(32), int64(2), D{"match": "exact", "get_retained": true, "nkey": "n", "nodekey": "n",
			"forward_for": L{}}, "com.topic"},
			&protocol.Subscribe{Request: 2, Options: D{"match": "exact", "get_retained": true, "nkey": "n", "nodekey": "n",
				"forward_for": L{}}, Topic: "com.topic"}, true},
		{"subscribe/prefix", L{int64(32), int64(1), D{"match": "prefix"}, "com.myapp."},
			&protocol.Subscribe{Request: 1, Options: D{"match": "prefix"}, Topic: "com.myapp."}, true},
		{"subscribe/wildcard", L{int64(32), int64(1), D{"match": "wildcard"}, "com..topic."},
			&protocol.Subscribe{Request: 1, Options: D{"match": "wildcard"}, Topic: "com..topic."}, true},
		// SUBSCRIBED / UNSUBSCRIBE / UNSUBSCRIBED
		{"subscribed", L{int64(33), int64(3), int64(4)},
			&protocol.Subscribed{Request: 3, Subscription: 4}, true},
		{"unsubscribe", L{int64(34), int64(3), int64(maxID)},
			&protocol.Unsubscribe{Request: 3, Subscription: maxID}, true},
		{"unsubscribed/ack", L{int64(35), int64(3)},
			&protocol.Unsubscribed{Request: 3}, true},
		{"unsubscribed/ack with empty details", L{int64(35), int64(3), D{}},
			&protocol.Unsubscribed{Request: 3}, false},
		{"unsubscribed/revocation", L{int64(35), int64(0), D{"subscription": int64(12), "reason": "gone"}},
			&protocol.Unsubscribed{Request: 0, Details: D{"subscription": int64(12), "reason": "gone"}}, true},
		// EVENT
		{"event/minimal", L{int64(36), int64(1), int64(2), D{}},
			&protocol.Event{Subscription: 1, Publication: 2, Details: D{}}, true},
		{"event/maximal", L{int64(36), int64(1), int64(maxID), D{"publisher": int64(5), "publisher_authid": "a",
			"publisher_authrole": "r", "topic": "com.t", "retained": false, "transaction_hash": "h",
			"x_acknowledged_delivery": true, "trustlevel": int64(0), "forward_for": L{D{"session": int64(9)}}},
			args, kw},
			&protocol.Event{Subscription: 1, Publication: maxID, Details: D{"publisher": int64(5), "publisher_authid": "a",
				"publisher_authrole": "r", "topic": "com.t", "retained": false, "transaction_hash": "h",
				"x_acknowledged_delivery": true, "trustlevel": int64(0), "forward_for": L{D{"session": int64(9)}}},
				Payload: full}, true},
		{"event/passthru", L{int64(36), int64(1), int64(2), D{"enc_algo": "cryptobox"}, "abc"},
			&protocol.Event{Subscription: 1, Publication: 2, Details: D{"enc_algo": "cryptobox"},
				Payload: protocol.Payload{Payload: []byte("abc")}}, false},
		// CALL
		{"call/minimal", L{int64(48), int64(1), D{}, "com.proc"},
			&protocol.Call{Request: 1, Options: D{}, Procedure: "com.proc"}, true},
		{"call/maximal", L{int64(48), int64(7), D{"receive_progress": true, "progress": false, "timeout": int64(0),
			"disclose_me": true, "rkey": "k", "runmode": "partition", "forward_for": L{}}, "com.proc", args, kw},
			&protocol.Call{Request: 7, Options: D{"receive_progress": true, "progress": false, "timeout": int64(0),
				"disclose_me": true, "rkey": "k", "runmode": "partition", "forward_for": L{}}, Procedure: "com.proc",
				Payload: full}, true},
		{"call/kwargs only", L{int64(48), int64(1), D{}, "p", L{}, D{"a": "b"}},
			&protocol.Call{Request: 1, Options: D{}, Procedure: "p", Payload: protocol.Payload{Kwargs: D{"a": "b"}}}, true},
		{"call/passthru wrapped", L{int64(48), int64(1), D{"ppt_scheme": "wamp", "ppt_serializer": "cbor",
			"ppt_cipher": "xsalsa20poly1305", "ppt_keyid": "k"}, "p", L{[]byte("x")}},
			&protocol.Call{Request: 1, Options: D{"ppt_scheme": "wamp", "ppt_serializer": "cbor",
				"ppt_cipher": "xsalsa20poly1305", "ppt_keyid": "k"}, Procedure: "p",
				Payload: protocol.Payload{Payload: []byte("x")}}, true},
		// CANCEL
		{"cancel/minimal", L{int64(49), int64(1), D{}},
			&protocol.Cancel{Request: 1, Options: D{}}, true},
		{"cancel/mode", L{int64(49), int64(1), D{"mode": "killnowait"}},
			&protocol.Cancel{Request: 1, Options: D{"mode": "killnowait"}}, true},
		// RESULT
		{"result/minimal", L{int64(50), int64(1), D{}},
			&protocol.Result{Request: 1, Details: D{}}, true},
		{"result/maximal", L{int64(50), int64(1), D{"progress": true, "forward_for": L{}}, args, kw},
			&protocol.Result{Request: 1, Details: D{"progress": true, "forward_for": L{}}, Payload: full}, true},
		{"result/passthru", L{int64(50), int64(1), D{"enc_algo": "cryptobox"}, []byte{1, 2}},
			&protocol.Result{Request: 1, Details: D{"enc_algo": "cryptobox"}, Payload: protocol.Payload{Payload: []byte{1, 2}}}, true},
		// REGISTER
		{"register/minimal", L{int64(64), int64(1), D{}, "com.proc"},
			&protocol.Register{Request: 1, Options: D{}, Procedure: "com.proc"}, true},
		{"register/maximal", L{int64(64), int64(1), D{"match": "wildcard", "invoke": "roundrobin", "disclose_caller": true,
			"concurrency": int64(4), "forward_timeout": true}, "com..proc"},
			&protocol.Register{Request: 1, Options: D{"match": "wildcard", "invoke": "roundrobin", "disclose_caller": true,
				"concurrency": int64(4), "forward_timeout": true}, Procedure: "com..proc"}, true},
		{"register/prefix", L{int64(64), int64(1), D{"match": "prefix"}, "com.proc"},
			&protocol.Register{Request: 1, Options: D{"match": "prefix"}, Procedure: "com.proc"}, true},
		// REGISTERED / UNREGISTER / UNREGISTERED
		{"registered", L{int64(65), int64(1), int64(2)},
			&protocol.Registered{Request: 1, Registration: 2}, true},
		{"unregister", L{int64(66), int64(1), int64(2)},
			&protocol.Unregister{Request: 1, Registration: 2}, true},
		{"unregistered/ack", L{int64(67), int64(1)},
			&protocol.Unregistered{Request: 1}, true},
		{"unregistered/revocation", L{int64(67), int64(0), D{"registration": int64(5), "reason": "admin"}},
			&protocol.Unregistered{Details: D{"registration": int64(5), "reason": "admin"}}, true},
		{"unregistered/ack with empty details", L{int64(67), int64(1), D{}},
			&protocol.Unregistered{Request: 1}, false},
		{"register/nil map options", L{int64(64), int64(1), map[string]any(nil), "p"},
			&protocol.Register{Request: 1, Options: D{}, Procedure: "p"}, false},
		{"result/passthru nil binary", L{int64(50), int64(1), D{"enc_algo": "cryptobox"}, []byte(nil)},
			&protocol.Result{Request: 1, Details: D{"enc_algo": "cryptobox"}, Payload: protocol.Payload{Payload: []byte{}}}, false},
		{"result/passthru null", L{int64(50), int64(1), D{"enc_algo": "cryptobox"}, nil},
			&protocol.Result{Request: 1, Details: D{"enc_algo": "cryptobox"}}, false},
		// INVOCATION
		{"invocation/minimal", L{int64(68), int64(1), int64(2), D{}},
			&protocol.Invocation{Request: 1, Registration: 2, Details: D{}}, true},
		{"invocation/maximal", L{int64(68), int64(1), int64(2), D{"caller": int64(3), "caller_authid": "a",
			"caller_authrole": "r", "procedure": "com.p", "receive_progress": true, "progress": true,
			"timeout": int64(1000), "trustlevel": int64(2)}, args, kw},
			&protocol.Invocation{Request: 1, Registration: 2, Details: D{"caller": int64(3), "caller_authid": "a",
				"caller_authrole": "r", "procedure": "com.p", "receive_progress": true, "progress": true,
				"timeout": int64(1000), "trustlevel": int64(2)}, Payload: full}, true},
		// INTERRUPT
		{"interrupt/minimal", L{int64(69), int64(1), D{}},
			&protocol.Interrupt{Request: 1, Options: D{}}, true},
		{"interrupt/maximal", L{int64(69), int64(1), D{"mode": "kill", "reason": "wamp.error.canceled"}},
			&protocol.Interrupt{Request: 1, Options: D{"mode": "kill", "reason": "wamp.error.canceled"}}, true},
		// YIELD
		{"yield/minimal", L{int64(70), int64(1), D{}},
			&protocol.Yield{Request: 1, Options: D{}}, true},
		{"yield/maximal", L{int64(70), int64(1), D{"progress": true}, args, kw},
			&protocol.Yield{Request: 1, Options: D{"progress": true}, Payload: full}, true},
		{"yield/passthru", L{int64(70), int64(1), D{"enc_algo": "cryptobox"}, []byte{1}},
			&protocol.Yield{Request: 1, Options: D{"enc_algo": "cryptobox"}, Payload: protocol.Payload{Payload: []byte{1}}}, true},
	}
}

func TestFromListValid(t *testing.T) {
	seen := map[protocol.MessageType]bool{}
	for _, tc := range validCases() {
		t.Run(tc.name, func(t *testing.T) {
			m, err := protocol.FromList(tc.list)
			if err != nil {
				t.Fatalf("FromList(%v): %v", tc.list, err)
			}
			if !reflect.DeepEqual(m, tc.msg) {
				t.Fatalf("FromList(%v)\n got %#v\nwant %#v", tc.list, m, tc.msg)
			}
			seen[m.Type()] = true
		})
	}
	for code := range 100 {
		if mt := protocol.MessageType(code); mt.Known() && !seen[mt] {
			t.Errorf("no valid case for %s", mt)
		}
	}
}

func TestToListValid(t *testing.T) {
	for _, tc := range validCases() {
		t.Run(tc.name, func(t *testing.T) {
			l, err := protocol.ToList(tc.msg)
			if err != nil {
				t.Fatalf("ToList(%#v): %v", tc.msg, err)
			}
			if tc.canonical && !reflect.DeepEqual(l, tc.list) {
				t.Fatalf("ToList(%#v)\n got %#v\nwant %#v", tc.msg, l, tc.list)
			}
			if err := protocol.Validate(tc.msg); err != nil {
				t.Fatalf("Validate: %v", err)
			}
		})
	}
}

// TestRoundTrip checks FromList(ToList(m)) == m and that ToList emits
// only the value types of the package comment.
func TestRoundTrip(t *testing.T) {
	for _, tc := range validCases() {
		t.Run(tc.name, func(t *testing.T) {
			l, err := protocol.ToList(tc.msg)
			if err != nil {
				t.Fatal(err)
			}
			for i, v := range l {
				switch v.(type) {
				case int64, string, []byte, L, D:
				default:
					t.Errorf("ToList element %d has type %T", i, v)
				}
			}
			m, err := protocol.FromList(l)
			if err != nil {
				t.Fatalf("FromList(ToList(m)) = %v, list %#v", err, l)
			}
			if !reflect.DeepEqual(m, tc.msg) {
				t.Fatalf("round trip\n got %#v\nwant %#v", m, tc.msg)
			}
		})
	}
}
