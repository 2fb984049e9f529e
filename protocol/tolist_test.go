package protocol_test

import (
	"reflect"
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

// fakeMessage is a Message implementation the package does not know.
type fakeMessage struct{}

func (fakeMessage) Type() protocol.MessageType { return protocol.TypeCall }

func TestToListForms(t *testing.T) {
	for _, tc := range []struct {
		name string
		msg  protocol.Message
		want L
	}{
		{"nil dicts become empty dicts", &protocol.Call{Request: 1, Procedure: "p"},
			L{int64(48), int64(1), D{}, "p"}},
		{"hello nil details is invalid but welcome roles kept", &protocol.Welcome{Session: 3, Details: D{"roles": roles}},
			L{int64(2), int64(3), D{"roles": roles}}},
		{"abort nil details", &protocol.Abort{Reason: "wamp.close.normal"},
			L{int64(3), D{}, "wamp.close.normal"}},
		{"challenge nil extra", &protocol.Challenge{AuthMethod: "ticket"}, L{int64(4), "ticket", D{}}},
		{"authenticate nil extra", &protocol.Authenticate{Signature: "s"}, L{int64(5), "s", D{}}},
		{"goodbye nil details", &protocol.Goodbye{Reason: "wamp.close.goodbye_and_out"},
			L{int64(6), D{}, "wamp.close.goodbye_and_out"}},
		{"args only", &protocol.Call{Request: 1, Procedure: "p", Payload: protocol.Payload{Args: L{int64(1)}}},
			L{int64(48), int64(1), D{}, "p", L{int64(1)}}},
		{"kwargs only", &protocol.Call{Request: 1, Procedure: "p", Payload: protocol.Payload{Kwargs: D{"a": int64(1)}}},
			L{int64(48), int64(1), D{}, "p", L{}, D{"a": int64(1)}}},
		{"empty args and kwargs omitted", &protocol.Call{Request: 1, Procedure: "p", Payload: protocol.Payload{Args: L{}, Kwargs: D{}}},
			L{int64(48), int64(1), D{}, "p"}},
		{"empty args kept before kwargs", &protocol.Yield{Request: 1, Payload: protocol.Payload{Args: L{}, Kwargs: D{"a": nil}}},
			L{int64(70), int64(1), D{}, L{}, D{"a": nil}}},
		{"error args", &protocol.Error{RequestType: protocol.TypeCall, Request: 9, Error: "e", Payload: protocol.Payload{Args: L{"x"}}},
			L{int64(8), int64(48), int64(9), D{}, "e", L{"x"}}},
		{"passthru bare", &protocol.Event{Subscription: 1, Publication: 2, Details: D{"enc_algo": "cryptobox"},
			Payload: protocol.Payload{Payload: []byte{7}}},
			L{int64(36), int64(1), int64(2), D{"enc_algo": "cryptobox"}, []byte{7}}},
		{"passthru bare wins over ppt", &protocol.Result{Request: 1, Details: D{"enc_algo": "xbr", "ppt_scheme": "x"},
			Payload: protocol.Payload{Payload: []byte{7}}},
			L{int64(50), int64(1), D{"enc_algo": "xbr", "ppt_scheme": "x"}, []byte{7}}},
		{"passthru wrapped", &protocol.Invocation{Request: 1, Registration: 2, Details: D{"ppt_scheme": "mqtt"},
			Payload: protocol.Payload{Payload: []byte{}}},
			L{int64(68), int64(1), int64(2), D{"ppt_scheme": "mqtt"}, L{[]byte{}}}},
		{"passthru mode without payload", &protocol.Yield{Request: 1, Options: D{"enc_algo": "cryptobox"}},
			L{int64(70), int64(1), D{"enc_algo": "cryptobox"}}},
		{"unsubscribed ack", &protocol.Unsubscribed{Request: 4}, L{int64(35), int64(4)}},
		{"unsubscribed ack empty details", &protocol.Unsubscribed{Request: 4, Details: D{}}, L{int64(35), int64(4)}},
		{"unsubscribed revocation", &protocol.Unsubscribed{Details: D{"subscription": protocol.ID(5)}},
			L{int64(35), int64(0), D{"subscription": protocol.ID(5)}}},
		{"unregistered revocation", &protocol.Unregistered{Details: D{"registration": 5}},
			L{int64(67), int64(0), D{"registration": 5}}},
		{"go-typed option lists", &protocol.Publish{Request: 1, Topic: "t", Options: D{"exclude": []protocol.ID{1},
			"eligible_authid": []string{"a"}, "forward_for": []map[string]any{{"session": protocol.ID(1)}}}},
			L{int64(16), int64(1), D{"exclude": []protocol.ID{1}, "eligible_authid": []string{"a"},
				"forward_for": []map[string]any{{"session": protocol.ID(1)}}}, "t"}},
		{"go int option", &protocol.Call{Request: 1, Procedure: "p", Options: D{"timeout": 5}},
			L{int64(48), int64(1), D{"timeout": 5}, "p"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := protocol.ToList(tc.msg)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Fatalf("ToList\n got %#v\nwant %#v", got, tc.want)
			}
		})
	}
}

func TestToListInvalid(t *testing.T) {
	var nilCall *protocol.Call
	for _, tc := range []struct {
		name  string
		msg   protocol.Message
		field string
	}{
		{"nil", nil, ""},
		{"typed nil", nilCall, ""},
		{"foreign implementation", fakeMessage{}, ""},
		{"hello bad realm", &protocol.Hello{Realm: "a..b", Details: D{"roles": roles}}, "Realm"},
		{"hello nil details", &protocol.Hello{Realm: "r"}, "Details.roles"},
		{"welcome id 0", &protocol.Welcome{Details: D{"roles": roles}}, "Session"},
		{"welcome id too big", &protocol.Welcome{Session: maxID + 1, Details: D{"roles": roles}}, "Session"},
		{"abort bad reason", &protocol.Abort{Reason: ""}, "Reason"},
		{"challenge empty method", &protocol.Challenge{}, "AuthMethod"},
		{"goodbye bad reason", &protocol.Goodbye{Reason: "a b"}, "Reason"},
		{"error bad request type", &protocol.Error{RequestType: protocol.TypeHello, Request: 1, Error: "e"}, "RequestType"},
		{"error zero request type", &protocol.Error{Request: 1, Error: "e"}, "RequestType"},
		{"error id", &protocol.Error{RequestType: protocol.TypeCall, Error: "e"}, "Request"},
		{"error uri", &protocol.Error{RequestType: protocol.TypeCall, Request: 1, Error: "#"}, "Error"},
		{"publish id", &protocol.Publish{Topic: "t"}, "Request"},
		{"publish topic", &protocol.Publish{Request: 1, Topic: "t."}, "Topic"},
		{"publish option", &protocol.Publish{Request: 1, Topic: "t", Options: D{"exclude": []protocol.ID{0}}}, "Options.exclude"},
		{"published publication", &protocol.Published{Request: 1, Publication: maxID + 1}, "Publication"},
		{"subscribe topic", &protocol.Subscribe{Request: 1, Topic: "a..b"}, "Topic"},
		{"subscribe match", &protocol.Subscribe{Request: 1, Topic: "a", Options: D{"match": "regex"}}, "Options.match"},
		{"subscribed id", &protocol.Subscribed{Request: 1}, "Subscription"},
		{"unsubscribe id", &protocol.Unsubscribe{Subscription: 1}, "Request"},
		{"unsubscribed revocation without details", &protocol.Unsubscribed{}, "Details.subscription"},
		{"unsubscribed ack with details", &protocol.Unsubscribed{Request: 1, Details: D{"reason": "x"}}, "Details"},
		{"unsubscribed request too big", &protocol.Unsubscribed{Request: maxID + 1}, "Request"},
		{"event publication", &protocol.Event{Subscription: 1}, "Publication"},
		{"event details", &protocol.Event{Subscription: 1, Publication: 1, Details: D{"publisher": "x"}}, "Details.publisher"},
		{"call procedure", &protocol.Call{Request: 1}, "Procedure"},
		{"call timeout negative", &protocol.Call{Request: 1, Procedure: "p", Options: D{"timeout": -1}}, "Options.timeout"},
		{"call timeout float", &protocol.Call{Request: 1, Procedure: "p", Options: D{"timeout": 1.0}}, "Options.timeout"},
		{"cancel mode", &protocol.Cancel{Request: 1, Options: D{"mode": "abort"}}, "Options.mode"},
		{"result id", &protocol.Result{}, "Request"},
		{"register procedure", &protocol.Register{Request: 1, Procedure: "a..b", Options: D{"match": "prefix"}}, "Procedure"},
		{"registered id", &protocol.Registered{Request: 1}, "Registration"},
		{"unregister id", &protocol.Unregister{Request: 1}, "Registration"},
		{"unregistered revocation", &protocol.Unregistered{Details: D{"reason": "x"}}, "Details.registration"},
		{"invocation registration", &protocol.Invocation{Request: 1}, "Registration"},
		{"interrupt mode", &protocol.Interrupt{Request: 1, Options: D{"mode": "skip"}}, "Options.mode"},
		{"yield id", &protocol.Yield{}, "Request"},
		{"payload without passthru mode", &protocol.Yield{Request: 1, Payload: protocol.Payload{Payload: []byte{1}}}, "Arguments"},
		{"payload with args", &protocol.Yield{Request: 1, Options: D{"enc_algo": "cryptobox"},
			Payload: protocol.Payload{Payload: []byte{1}, Args: L{1}}}, "Arguments"},
		{"payload with kwargs", &protocol.Result{Request: 1, Details: D{"ppt_scheme": "x"},
			Payload: protocol.Payload{Payload: []byte{1}, Kwargs: D{"a": 1}}}, "Arguments"},
		{"passthru mode with args", &protocol.Call{Request: 1, Procedure: "p", Options: D{"enc_algo": "cryptobox"},
			Payload: protocol.Payload{Args: L{1}}}, "Arguments"},
		{"passthru mode with kwargs", &protocol.Publish{Request: 1, Topic: "t", Options: D{"ppt_scheme": "mqtt"},
			Payload: protocol.Payload{Kwargs: D{"a": 1}}}, "Arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l, err := protocol.ToList(tc.msg)
			if l != nil {
				t.Errorf("ToList returned a list with its error: %#v", l)
			}
			ve := validationError(t, err)
			if ve.Field != tc.field {
				t.Errorf("Field = %q, want %q (%v)", ve.Field, tc.field, err)
			}
			if err2 := protocol.Validate(tc.msg); err2 == nil || err2.Error() != err.Error() {
				t.Errorf("Validate = %v, ToList = %v", err2, err)
			}
		})
	}
}

func TestRequestID(t *testing.T) {
	for _, tc := range []struct {
		msg  protocol.Message
		id   protocol.ID
		isOK bool
	}{
		{&protocol.Hello{}, 0, false},
		{&protocol.Welcome{Session: 5}, 0, false},
		{&protocol.Abort{}, 0, false},
		{&protocol.Challenge{}, 0, false},
		{&protocol.Authenticate{}, 0, false},
		{&protocol.Goodbye{}, 0, false},
		{&protocol.Event{Subscription: 1, Publication: 2}, 0, false},
		{&protocol.Error{Request: 3}, 3, true},
		{&protocol.Publish{Request: 4}, 4, true},
		{&protocol.Published{Request: 5, Publication: 9}, 5, true},
		{&protocol.Subscribe{Request: 6}, 6, true},
		{&protocol.Subscribed{Request: 7, Subscription: 9}, 7, true},
		{&protocol.Unsubscribe{Request: 8, Subscription: 9}, 8, true},
		{&protocol.Unsubscribed{Request: 9}, 9, true},
		{&protocol.Unsubscribed{Details: D{"subscription": 1}}, 0, false},
		{&protocol.Call{Request: 10}, 10, true},
		{&protocol.Cancel{Request: 11}, 11, true},
		{&protocol.Result{Request: 12}, 12, true},
		{&protocol.Register{Request: 13}, 13, true},
		{&protocol.Registered{Request: 14, Registration: 9}, 14, true},
		{&protocol.Unregister{Request: 15, Registration: 9}, 15, true},
		{&protocol.Unregistered{Request: 16}, 16, true},
		{&protocol.Unregistered{}, 0, false},
		{&protocol.Invocation{Request: 17, Registration: 9}, 17, true},
		{&protocol.Interrupt{Request: 18}, 18, true},
		{&protocol.Yield{Request: 19}, 19, true},
		{nil, 0, false},
	} {
		id, ok := protocol.RequestID(tc.msg)
		if id != tc.id || ok != tc.isOK {
			t.Errorf("RequestID(%#v) = %d, %v; want %d, %v", tc.msg, id, ok, tc.id, tc.isOK)
		}
	}
}

func TestPayloadIsEmpty(t *testing.T) {
	for _, tc := range []struct {
		p    protocol.Payload
		want bool
	}{
		{protocol.Payload{}, true},
		{protocol.Payload{Args: L{}, Kwargs: D{}}, true},
		{protocol.Payload{Args: L{nil}}, false},
		{protocol.Payload{Kwargs: D{"a": nil}}, false},
		{protocol.Payload{Payload: []byte{}}, false},
		{protocol.Payload{Payload: []byte{1}}, false},
	} {
		if got := tc.p.IsEmpty(); got != tc.want {
			t.Errorf("%#v.IsEmpty() = %v, want %v", tc.p, got, tc.want)
		}
	}
}

func TestValidationErrorString(t *testing.T) {
	_, err := protocol.FromList(L{int64(48), int64(0), D{}, "p"})
	if got, want := err.Error(), "wamp: invalid CALL Request: must be an id (integer in [1, 2^53]), got integer 0"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	_, err = protocol.FromList(L{})
	if got, want := err.Error(), "wamp: invalid message: empty message"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
