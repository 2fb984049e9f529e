package protocol_test

import (
	"fmt"
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

// withDict builds a minimal valid list of type mt around dict d, and names
// the dict's field.
func withDict(mt protocol.MessageType, d D) (L, string) {
	switch mt {
	case protocol.TypeHello:
		return L{int64(1), "realm", withRoles(d)}, "Details"
	case protocol.TypeWelcome:
		return L{int64(2), int64(1), withRoles(d)}, "Details"
	case protocol.TypeAbort:
		return L{int64(3), d, "r"}, "Details"
	case protocol.TypeChallenge:
		return L{int64(4), "m", d}, "Extra"
	case protocol.TypeGoodbye:
		return L{int64(6), d, "r"}, "Details"
	case protocol.TypeError:
		return L{int64(8), int64(48), int64(1), d, "e"}, "Details"
	case protocol.TypePublish:
		return L{int64(16), int64(1), d, "t"}, "Options"
	case protocol.TypeSubscribe:
		return L{int64(32), int64(1), d, "t"}, "Options"
	case protocol.TypeUnsubscribed:
		return L{int64(35), int64(0), withKey(d, "subscription")}, "Details"
	case protocol.TypeEvent:
		return L{int64(36), int64(1), int64(2), d}, "Details"
	case protocol.TypeCall:
		return L{int64(48), int64(1), d, "p"}, "Options"
	case protocol.TypeCancel:
		return L{int64(49), int64(1), d}, "Options"
	case protocol.TypeResult:
		return L{int64(50), int64(1), d}, "Details"
	case protocol.TypeRegister:
		return L{int64(64), int64(1), d, "p"}, "Options"
	case protocol.TypeUnregistered:
		return L{int64(67), int64(0), withKey(d, "registration")}, "Details"
	case protocol.TypeInvocation:
		return L{int64(68), int64(1), int64(2), d}, "Details"
	case protocol.TypeInterrupt:
		return L{int64(69), int64(1), d}, "Options"
	case protocol.TypeYield:
		return L{int64(70), int64(1), d}, "Options"
	}
	panic("no dict builder for " + mt.String())
}

func withRoles(d D) D {
	if _, ok := d["roles"]; !ok {
		d["roles"] = D{"caller": D{}}
	}
	return d
}

func withKey(d D, key string) D {
	if _, ok := d[key]; !ok {
		d[key] = int64(1)
	}
	return d
}

var (
	boolGood   = []any{true, false}
	boolBad    = []any{"hello", int64(1), int64(0), nil, L{}, D{}, 1.0}
	strGood    = []any{"", "abc"}
	strBad     = []any{int64(123), nil, true, L{"a"}, D{}, []byte("a")}
	idGood     = []any{int64(1), uint64(maxID), int64(maxID), 7, 1.0, float64(maxID)}
	idBad      = []any{int64(0), int64(-1), uint64(maxID + 1), 0.0, 1.5, float64(2 * maxID), "hello", nil, true, L{}}
	nonNegGood = []any{int64(0), int64(1), uint64(1 << 60)}
	nonNegBad  = []any{int64(-1), 1.5, 0.0, "1", nil, true}
	posGood    = []any{int64(1), uint64(10)}
	posBad     = []any{int64(0), int64(-1), 1.0, "1", nil}
	idListGood = []any{L{}, L{int64(123), uint64(456), int64(maxID)}, []protocol.ID{1, 2}, []int64{3}, []int{4}}
	idListBad  = []any{"hello", L{"hello"}, L{int64(0)}, L{int64(-5)}, L{1.5}, L{nil}, []protocol.ID{0},
		[]int64{-1}, []int{0}, int64(1), nil, D{}}
	strListGood = []any{L{}, L{"alice", "bob"}, []string{"x"}}
	strListBad  = []any{"hello", L{int64(123)}, L{"a", nil}, int64(1), nil, D{}}
	dictGood    = []any{D{}, D{"a": int64(1)}}
	dictBad     = []any{L{}, "x", int64(1), nil}
	uriGood     = []any{"com.example.topic", "A-b.c"}
	uriBad      = []any{int64(123), "a..b", "", "a b", nil}
	ffGood      = []any{L{}, L{D{"session": int64(789), "authid": "router1", "authrole": "router"}}, L{D{}},
		[]map[string]any{{"session": int64(1)}}}
	ffBad = []any{"hello", L{"x"}, L{D{"session": "x"}}, L{D{"session": int64(0)}}, L{D{"authid": int64(1)}},
		L{D{"authrole": nil}}, D{}, nil}
	encAlgoGood = []any{"cryptobox", "mqtt", "xbr", "x_custom"}
	encAlgoBad  = []any{"invalid", "", "x_", "Cryptobox", int64(1), nil}
)

type keyCase struct {
	types     []protocol.MessageType
	key       string
	good, bad []any
}

func oneOfCase(types []protocol.MessageType, key string, good []string, bad ...any) keyCase {
	var g []any
	for _, s := range good {
		g = append(g, s)
	}
	return keyCase{types, key, g, append(bad, "invalid", "", int64(123), nil, true)}
}

func ts(t ...protocol.MessageType) []protocol.MessageType { return t }

var (
	passthruTypes = ts(protocol.TypeAbort, protocol.TypeError, protocol.TypePublish, protocol.TypeEvent,
		protocol.TypeCall, protocol.TypeResult, protocol.TypeInvocation, protocol.TypeYield)
	forwardTypes = ts(protocol.TypeError, protocol.TypePublish, protocol.TypeSubscribe, protocol.TypeEvent,
		protocol.TypeCall, protocol.TypeCancel, protocol.TypeResult, protocol.TypeRegister,
		protocol.TypeInvocation, protocol.TypeInterrupt, protocol.TypeYield)
)

var keyCases = []keyCase{
	// HELLO, WELCOME
	{ts(protocol.TypeHello, protocol.TypeWelcome), "roles",
		[]any{D{"caller": D{}}, D{"x": D{"features": D{"f": true}}}},
		[]any{D{}, L{}, "caller", D{"caller": true}, D{"caller": D{"features": L{}}}, nil}},
	{ts(protocol.TypeHello, protocol.TypeWelcome), "authid", strGood, strBad},
	{ts(protocol.TypeHello, protocol.TypeWelcome), "authrole", strGood, strBad},
	{ts(protocol.TypeHello, protocol.TypeWelcome), "authextra", dictGood, dictBad},
	{ts(protocol.TypeHello, protocol.TypeWelcome), "agent", strGood, strBad},
	{ts(protocol.TypeHello), "authmethods", strListGood, strListBad},
	{ts(protocol.TypeWelcome), "authmethod", strGood, strBad},
	{ts(protocol.TypeWelcome), "authprovider", strGood, strBad},
	{ts(protocol.TypeWelcome), "realm", strGood, strBad},
	// ABORT, GOODBYE
	{ts(protocol.TypeAbort, protocol.TypeGoodbye), "message", strGood, strBad},
	// CHALLENGE
	{ts(protocol.TypeChallenge), "challenge", strGood, strBad},
	{ts(protocol.TypeChallenge), "salt", strGood, strBad},
	{ts(protocol.TypeChallenge), "iterations", nonNegGood, nonNegBad},
	{ts(protocol.TypeChallenge), "keylen", nonNegGood, nonNegBad},
	// PUBLISH
	{ts(protocol.TypePublish), "acknowledge", boolGood, boolBad},
	{ts(protocol.TypePublish), "exclude_me", boolGood, boolBad},
	{ts(protocol.TypePublish, protocol.TypeCall), "disclose_me", boolGood, boolBad},
	{ts(protocol.TypePublish), "retain", boolGood, boolBad},
	{ts(protocol.TypePublish), "exclude", idListGood, idListBad},
	{ts(protocol.TypePublish), "eligible", idListGood, idListBad},
	{ts(protocol.TypePublish), "exclude_authid", strListGood, strListBad},
	{ts(protocol.TypePublish), "exclude_authrole", strListGood, strListBad},
	{ts(protocol.TypePublish), "eligible_authid", strListGood, strListBad},
	{ts(protocol.TypePublish), "eligible_authrole", strListGood, strListBad},
	{ts(protocol.TypePublish, protocol.TypeEvent), "transaction_hash", strGood, strBad},
	{ts(protocol.TypePublish, protocol.TypeCall), "rkey", strGood, strBad},
	// SUBSCRIBE, REGISTER
	oneOfCase(ts(protocol.TypeSubscribe, protocol.TypeRegister), "match", []string{"exact", "prefix", "wildcard"}, "Exact"),
	{ts(protocol.TypeSubscribe), "get_retained", boolGood, boolBad},
	{ts(protocol.TypeSubscribe), "nkey", strGood, strBad},
	{ts(protocol.TypeSubscribe), "nodekey", strGood, strBad},
	oneOfCase(ts(protocol.TypeRegister), "invoke", []string{"single", "roundrobin", "random", "first", "last"}, "round_robin"),
	{ts(protocol.TypeRegister), "disclose_caller", boolGood, boolBad},
	{ts(protocol.TypeRegister), "concurrency", posGood, posBad},
	{ts(protocol.TypeRegister), "forward_timeout", boolGood, boolBad},
	// UNSUBSCRIBED, UNREGISTERED
	{ts(protocol.TypeUnsubscribed), "subscription", idGood, idBad},
	{ts(protocol.TypeUnregistered), "registration", idGood, idBad},
	{ts(protocol.TypeUnsubscribed, protocol.TypeUnregistered), "reason", strGood, strBad},
	// EVENT
	{ts(protocol.TypeEvent), "publisher", idGood, idBad},
	{ts(protocol.TypeEvent), "publisher_authid", strGood, strBad},
	{ts(protocol.TypeEvent), "publisher_authrole", strGood, strBad},
	{ts(protocol.TypeEvent), "topic", uriGood, uriBad},
	{ts(protocol.TypeEvent), "retained", boolGood, boolBad},
	{ts(protocol.TypeEvent), "x_acknowledged_delivery", boolGood, boolBad},
	{ts(protocol.TypeEvent, protocol.TypeInvocation), "trustlevel", nonNegGood, nonNegBad},
	// CALL, INVOCATION, RESULT, YIELD
	{ts(protocol.TypeCall, protocol.TypeInvocation), "receive_progress", boolGood, boolBad},
	{ts(protocol.TypeCall, protocol.TypeInvocation, protocol.TypeResult, protocol.TypeYield), "progress", boolGood, boolBad},
	{ts(protocol.TypeCall, protocol.TypeInvocation), "timeout", nonNegGood, nonNegBad},
	{ts(protocol.TypeCall), "runmode", strGood, strBad},
	{ts(protocol.TypeInvocation), "caller", idGood, idBad},
	{ts(protocol.TypeInvocation), "caller_authid", strGood, strBad},
	{ts(protocol.TypeInvocation), "caller_authrole", strGood, strBad},
	{ts(protocol.TypeInvocation), "procedure", uriGood, uriBad},
	// CANCEL, INTERRUPT
	oneOfCase(ts(protocol.TypeCancel), "mode", []string{"skip", "kill", "killnowait"}, "kill_now"),
	oneOfCase(ts(protocol.TypeInterrupt), "mode", []string{"kill", "killnowait"}, "skip"),
	{ts(protocol.TypeInterrupt), "reason", strGood, strBad},
	// shared
	{forwardTypes, "forward_for", ffGood, ffBad},
	{passthruTypes, "enc_algo", encAlgoGood, encAlgoBad},
	{passthruTypes, "enc_serializer", strGood, strBad},
	{passthruTypes, "enc_key", strGood, strBad},
	{passthruTypes, "ppt_scheme", []any{"wamp", "mqtt", "x_my_ppt"}, []any{"", int64(1), nil}},
	{passthruTypes, "ppt_serializer", strGood, strBad},
	{passthruTypes, "ppt_cipher", strGood, strBad},
	{passthruTypes, "ppt_keyid", strGood, strBad},
}

// TestDictKeys checks every typed Options, Details and Extra key the
// package validates, in both directions.
func TestDictKeys(t *testing.T) {
	n := 0
	for _, kc := range keyCases {
		for _, mt := range kc.types {
			for _, v := range kc.good {
				l, _ := withDict(mt, D{kc.key: v})
				n++
				m, err := protocol.FromList(l)
				if err != nil {
					t.Errorf("%s %s=%#v: FromList: %v", mt, kc.key, v, err)
					continue
				}
				if _, err := protocol.ToList(m); err != nil {
					t.Errorf("%s %s=%#v: ToList: %v", mt, kc.key, v, err)
				}
			}
			for _, v := range kc.bad {
				l, field := withDict(mt, D{kc.key: v})
				n++
				name := fmt.Sprintf("%s %s=%#v", mt, kc.key, v)
				_, err := protocol.FromList(l)
				if err == nil {
					t.Errorf("%s: FromList accepted", name)
					continue
				}
				ve := validationError(t, err)
				if want := field + "." + kc.key; ve.Field != want {
					t.Errorf("%s: Field = %q, want %q (%v)", name, ve.Field, want, err)
				}
			}
		}
	}
	t.Logf("%d dict key cases", n)
}

func TestUnknownKeysAllowed(t *testing.T) {
	for mt := range templates {
		if mt == protocol.TypeAuthenticate {
			continue
		}
		if _, ok := map[protocol.MessageType]bool{protocol.TypePublished: true, protocol.TypeSubscribed: true,
			protocol.TypeUnsubscribe: true, protocol.TypeRegistered: true, protocol.TypeUnregister: true}[mt]; ok {
			continue
		}
		l, _ := withDict(mt, D{"x_vendor": L{nil}, "custom": D{"a": 1.5}, "": nil})
		if _, err := protocol.FromList(l); err != nil {
			t.Errorf("%s with unknown keys: %v", mt, err)
		}
	}
}
