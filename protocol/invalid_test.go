package protocol_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

// Element kinds of the list form, for generating invalid lists.
type kind int

const (
	kID      kind = iota // id in [1, 2^53]
	kRevReq              // UNSUBSCRIBED/UNREGISTERED Request: 0 allowed
	kDict                // Options, Details, Extra
	kURI                 // URI, loose rule
	kMethod              // CHALLENGE.AuthMethod: non-empty string
	kString              // any string
	kReqType             // ERROR.RequestType
	kArgs                // Arguments
	kKwargs              // ArgumentsKw
)

// template is the longest valid list form of a message, with the kind and
// spec field name of each element after the type code.
type template struct {
	list   L
	kinds  []kind
	fields []string
}

var templates = map[protocol.MessageType]template{
	protocol.TypeHello: {L{int64(1), "realm", D{"roles": roles}},
		[]kind{kURI, kDict}, []string{"Realm", "Details"}},
	protocol.TypeWelcome: {L{int64(2), int64(1), D{"roles": roles}},
		[]kind{kID, kDict}, []string{"Session", "Details"}},
	protocol.TypeAbort: {L{int64(3), D{}, "wamp.close.normal", L{}, D{}},
		[]kind{kDict, kURI, kArgs, kKwargs}, []string{"Details", "Reason", "Arguments", "ArgumentsKw"}},
	protocol.TypeChallenge: {L{int64(4), "ticket", D{}},
		[]kind{kMethod, kDict}, []string{"AuthMethod", "Extra"}},
	protocol.TypeAuthenticate: {L{int64(5), "sig", D{}},
		[]kind{kString, kDict}, []string{"Signature", "Extra"}},
	protocol.TypeGoodbye: {L{int64(6), D{}, "wamp.close.normal"},
		[]kind{kDict, kURI}, []string{"Details", "Reason"}},
	protocol.TypeError: {L{int64(8), int64(48), int64(1), D{}, "e.x", L{}, D{}},
		[]kind{kReqType, kID, kDict, kURI, kArgs, kKwargs},
		[]string{"RequestType", "Request", "Details", "Error", "Arguments", "ArgumentsKw"}},
	protocol.TypePublish: {L{int64(16), int64(1), D{}, "t", L{}, D{}},
		[]kind{kID, kDict, kURI, kArgs, kKwargs}, []string{"Request", "Options", "Topic", "Arguments", "ArgumentsKw"}},
	protocol.TypePublished: {L{int64(17), int64(1), int64(2)},
		[]kind{kID, kID}, []string{"Request", "Publication"}},
	protocol.TypeSubscribe: {L{int64(32), int64(1), D{}, "t"},
		[]kind{kID, kDict, kURI}, []string{"Request", "Options", "Topic"}},
	protocol.TypeSubscribed: {L{int64(33), int64(1), int64(2)},
		[]kind{kID, kID}, []string{"Request", "Subscription"}},
	protocol.TypeUnsubscribe: {L{int64(34), int64(1), int64(2)},
		[]kind{kID, kID}, []string{"Request", "Subscription"}},
	protocol.TypeUnsubscribed: {L{int64(35), int64(0), D{"subscription": int64(1)}},
		[]kind{kRevReq, kDict}, []string{"Request", "Details"}},
	protocol.TypeEvent: {L{int64(36), int64(1), int64(2), D{}, L{}, D{}},
		[]kind{kID, kID, kDict, kArgs, kKwargs}, []string{"Subscription", "Publication", "Details", "Arguments", "ArgumentsKw"}},
	protocol.TypeCall: {L{int64(48), int64(1), D{}, "p", L{}, D{}},
		[]kind{kID, kDict, kURI, kArgs, kKwargs}, []string{"Request", "Options", "Procedure", "Arguments", "ArgumentsKw"}},
	protocol.TypeCancel: {L{int64(49), int64(1), D{}},
		[]kind{kID, kDict}, []string{"Request", "Options"}},
	protocol.TypeResult: {L{int64(50), int64(1), D{}, L{}, D{}},
		[]kind{kID, kDict, kArgs, kKwargs}, []string{"Request", "Details", "Arguments", "ArgumentsKw"}},
	protocol.TypeRegister: {L{int64(64), int64(1), D{}, "p"},
		[]kind{kID, kDict, kURI}, []string{"Request", "Options", "Procedure"}},
	protocol.TypeRegistered: {L{int64(65), int64(1), int64(2)},
		[]kind{kID, kID}, []string{"Request", "Registration"}},
	protocol.TypeUnregister: {L{int64(66), int64(1), int64(2)},
		[]kind{kID, kID}, []string{"Request", "Registration"}},
	protocol.TypeUnregistered: {L{int64(67), int64(0), D{"registration": int64(1)}},
		[]kind{kRevReq, kDict}, []string{"Request", "Details"}},
	protocol.TypeInvocation: {L{int64(68), int64(1), int64(2), D{}, L{}, D{}},
		[]kind{kID, kID, kDict, kArgs, kKwargs}, []string{"Request", "Registration", "Details", "Arguments", "ArgumentsKw"}},
	protocol.TypeInterrupt: {L{int64(69), int64(1), D{}},
		[]kind{kID, kDict}, []string{"Request", "Options"}},
	protocol.TypeYield: {L{int64(70), int64(1), D{}, L{}, D{}},
		[]kind{kID, kDict, kArgs, kKwargs}, []string{"Request", "Options", "Arguments", "ArgumentsKw"}},
}

// badValues lists values each kind must reject.
var badValues = map[kind][]any{
	kID: {int64(0), uint64(maxID + 1), int64(maxID + 1), int64(-1), int64(-1 << 63), uint64(1 << 63),
		0.0, 1.5, -1.0, float64(2 * maxID), math.NaN(), math.Inf(1), "1", nil, true, []byte{1}, L{int64(1)}, D{}},
	kRevReq: {uint64(maxID + 1), int64(-1), 1.5, -1.0, float64(2 * maxID), "0", nil, false, L{}},
	kDict:   {nil, L{}, "x", int64(1), true, []byte{}, 1.5},
	kURI: {"", "a..b", ".a", "a.", "a b", "a\tb", "a#b", "com.my app", "\xff\xfe", "a.\u00a0", int64(1), nil,
		[]byte("a"), L{"a"}, D{}, true},
	kMethod:  {"", int64(1), nil, []byte("ticket"), L{}},
	kString:  {int64(1), nil, []byte("sig"), L{}, D{}, true, 1.5},
	kReqType: {int64(0), int64(1), int64(17), int64(50), int64(99), int64(-48), 48.0, "48", nil, uint64(1 << 40)},
	kArgs:    {"x", int64(1), D{"a": int64(1)}, true, 1.5, []byte{1}},
	kKwargs:  {L{}, L{int64(1)}, "x", int64(1), true, []byte{}},
}

// expectedField is the error field for a bad value at an element, which
// differs from the element's own name in one case: a revocation (Request
// 0 allowed) whose dict lacks the revoked id.
func expectedField(mt protocol.MessageType, field string, k kind, v any) string {
	if k == kDict && (mt == protocol.TypeUnsubscribed || mt == protocol.TypeUnregistered) {
		if _, ok := v.(map[string]any); ok {
			if mt == protocol.TypeUnsubscribed {
				return "Details.subscription"
			}
			return "Details.registration"
		}
	}
	return field
}

func TestFromListInvalidElements(t *testing.T) {
	n := 0
	for mt, tpl := range templates {
		if _, err := protocol.FromList(tpl.list); err != nil {
			t.Fatalf("template %s is invalid: %v", mt, err)
		}
		for i, k := range tpl.kinds {
			for _, bad := range badValues[k] {
				l := append(L{}, tpl.list...)
				l[i+1] = bad
				name := fmt.Sprintf("%s/%s=%#v", mt, tpl.fields[i], bad)
				t.Run(name, func(t *testing.T) {
					n++
					m, err := protocol.FromList(l)
					if err == nil {
						t.Fatalf("FromList(%#v) = %#v, want error", l, m)
					}
					ve := validationError(t, err)
					if want := expectedField(mt, tpl.fields[i], k, bad); ve.Field != want {
						t.Errorf("Field = %q, want %q (%v)", ve.Field, want, err)
					}
					if ve.Type != mt {
						t.Errorf("Type = %v, want %v", ve.Type, mt)
					}
					if !strings.Contains(err.Error(), ve.Field) || ve.Reason == "" {
						t.Errorf("error %q lacks field or reason", err)
					}
				})
			}
		}
	}
	t.Logf("%d invalid element cases", n)
}

func TestFromListArity(t *testing.T) {
	for mt, tpl := range templates {
		max := len(tpl.list)
		min := max
		for min > 1 && (tpl.kinds[min-2] == kArgs || tpl.kinds[min-2] == kKwargs) {
			min--
		}
		if mt == protocol.TypeUnsubscribed || mt == protocol.TypeUnregistered {
			min = 2
		}
		for n := 1; n <= max+2; n++ {
			l := make(L, n)
			copy(l, tpl.list)
			for i := len(tpl.list); i < n; i++ {
				l[i] = D{}
			}
			if mt == protocol.TypeUnsubscribed || mt == protocol.TypeUnregistered {
				if n == 2 {
					l[1] = int64(5)
				}
			}
			_, err := protocol.FromList(l)
			valid := n >= min && n <= max
			if valid {
				if err != nil {
					t.Errorf("%s with %d elements: %v", mt, n, err)
				}
				continue
			}
			ve := validationError(t, err)
			if ve.Field != "" || ve.Type != mt || !strings.Contains(ve.Reason, fmt.Sprintf("has %d elements", n)) {
				t.Errorf("%s with %d elements: got %#v", mt, n, ve)
			}
		}
	}
}

func TestFromListBadType(t *testing.T) {
	for _, tc := range []struct {
		name     string
		list     L
		wantType protocol.MessageType
		contains string
	}{
		{"nil list", nil, 0, "empty"},
		{"empty list", L{}, 0, "empty"},
		{"string code", L{"1", "realm", D{}}, 0, "must be an integer"},
		{"float code", L{1.0, "realm", D{}}, 0, "must be an integer"},
		{"null code", L{nil}, 0, "must be an integer"},
		{"unknown 7", L{int64(7), D{}}, 7, "unknown message type 7"},
		{"unknown 99", L{int64(99)}, 99, "unknown message type 99"},
		{"unknown 0", L{int64(0)}, 0, "unknown message type 0"},
		{"negative", L{int64(-1)}, 0, "unknown message type -1"},
		{"huge", L{uint64(1 << 63)}, 0, "unknown message type 9223372036854775808"},
		{"EVENT_RECEIVED 337", L{int64(337), int64(1)}, 337, "unknown message type 337"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := protocol.FromList(tc.list)
			ve := validationError(t, err)
			if ve.Type != tc.wantType || ve.Field != "" || !strings.Contains(ve.Reason, tc.contains) {
				t.Errorf("got %#v (%v)", ve, err)
			}
		})
	}
}

func TestFromListInvalidMisc(t *testing.T) {
	for _, tc := range []struct {
		name  string
		json  string
		field string
	}{
		{"hello without roles", `[1, "realm", {}]`, "Details.roles"},
		{"hello empty roles", `[1, "realm", {"roles": {}}]`, "Details.roles"},
		{"hello role not dict", `[1, "realm", {"roles": {"caller": true}}]`, "Details.roles"},
		{"hello features not dict", `[1, "realm", {"roles": {"caller": {"features": []}}}]`, "Details.roles"},
		{"hello authmethods not list", `[1, "realm", {"roles": {"caller": {}}, "authmethods": "ticket"}]`, "Details.authmethods"},
		{"hello authmethods item", `[1, "realm", {"roles": {"caller": {}}, "authmethods": [1]}]`, "Details.authmethods"},
		{"hello authextra", `[1, "realm", {"roles": {"caller": {}}, "authextra": []}]`, "Details.authextra"},
		{"welcome without roles", `[2, 1, {}]`, "Details.roles"},
		{"welcome authrole", `[2, 1, {"roles": {"broker": {}}, "authrole": 1}]`, "Details.authrole"},
		{"unsubscribed 0 without details", `[35, 0]`, "Details.subscription"},
		{"unsubscribed ack with details", `[35, 1, {"subscription": 2}]`, "Details"},
		{"unsubscribed bad subscription", `[35, 0, {"subscription": 0}]`, "Details.subscription"},
		{"unsubscribed bad reason", `[35, 0, {"subscription": 1, "reason": 1}]`, "Details.reason"},
		{"unregistered 0 without details", `[67, 0]`, "Details.registration"},
		{"unregistered bad registration", `[67, 0, {"registration": "x"}]`, "Details.registration"},
		{"subscribe prefix bad", `[32, 1, {"match": "prefix"}, "a..b"]`, "Topic"},
		{"subscribe prefix lone dot", `[32, 1, {"match": "prefix"}, "."]`, "Topic"},
		{"subscribe exact empty component", `[32, 1, {"match": "exact"}, "a..b"]`, "Topic"},
		{"subscribe wildcard hash", `[32, 1, {"match": "wildcard"}, "a..#"]`, "Topic"},
		{"register wildcard space", `[64, 1, {"match": "wildcard"}, "a. .b"]`, "Procedure"},
		{"publish empty component with match", `[16, 1, {"match": "wildcard"}, "a..b"]`, "Topic"},
		{"call empty component", `[48, 1, {}, "a..b"]`, "Procedure"},
		{"passthru list args enc_algo", `[16, 1, {"enc_algo": "cryptobox"}, "t", ["x"]]`, "Arguments"},
		{"passthru number payload", `[36, 1, 2, {"enc_algo": "cryptobox"}, 5]`, "Arguments"},
		{"passthru kwargs after payload", `[16, 1, {"enc_algo": "cryptobox"}, "t", "abc", {"a": 1}]`, "ArgumentsKw"},
		{"passthru kwargs not dict", `[16, 1, {"enc_algo": "cryptobox"}, "t", "abc", []]`, "ArgumentsKw"},
		{"passthru wrapped two items", `[48, 1, {"ppt_scheme": "x"}, "p", ["\u0000AQ==", "\u0000AQ=="]]`, "Arguments"},
		{"passthru wrapped non-binary item", `[48, 1, {"ppt_scheme": "x"}, "p", [1]]`, "Arguments"},
		{"passthru wrapped kwargs", `[48, 1, {"ppt_scheme": "x"}, "p", ["\u0000AQ=="], {"a": 1}]`, "ArgumentsKw"},
		{"passthru empty ppt_scheme", `[48, 1, {"ppt_scheme": ""}, "p"]`, "Options.ppt_scheme"},
		{"passthru enc_algo null", `[50, 1, {"enc_algo": null}, "\u0000AQ=="]`, "Details.enc_algo"},
		{"passthru enc_algo x_", `[50, 1, {"enc_algo": "x_"}, "\u0000AQ=="]`, "Details.enc_algo"},
		{"passthru enc_serializer", `[70, 1, {"enc_algo": "cryptobox", "enc_serializer": 1}, "\u0000AQ=="]`, "Options.enc_serializer"},
		{"binary args without passthru", `[50, 1, {}, "\u0000AQ=="]`, "Arguments"},
		{"string args without passthru", `[50, 1, {}, "abc"]`, "Arguments"},
		{"forward_for item not dict", `[16, 1, {"forward_for": [1]}, "t"]`, "Options.forward_for"},
		{"forward_for bad session", `[16, 1, {"forward_for": [{"session": 0}]}, "t"]`, "Options.forward_for"},
		{"forward_for bad authid", `[36, 1, 2, {"forward_for": [{"session": 1, "authid": 1}]}]`, "Details.forward_for"},
		{"error request type result", `[8, 50, 1, {}, "e"]`, "RequestType"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := jsonList(t, tc.json)
			m, err := protocol.FromList(l)
			if err == nil {
				t.Fatalf("FromList(%s) = %#v, want error", tc.json, m)
			}
			ve := validationError(t, err)
			if ve.Field != tc.field {
				t.Errorf("Field = %q, want %q (%v)", ve.Field, tc.field, err)
			}
		})
	}
}
