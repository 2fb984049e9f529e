// Package protocol defines the WAMP v2 messages, their conversion to and
// from the list form that serializers produce, and their validation.
//
// The package starts no goroutines and holds no shared state: every function
// is safe to call from any goroutine.
//
// # Value types
//
// Payloads (arguments, keyword arguments, options and details) are built from
// a small closed set of Go types, the same whichever serializer carried them:
//
//	nil                      null / nil
//	bool                     booleans
//	int64                    integers that fit in int64
//	uint64                   integers above math.MaxInt64
//	float64                  floating point numbers
//	string                   UTF-8 text
//	[]byte                   binary values
//	[]any                    lists   (type List)
//	map[string]any           dicts   (type Dict)
//
// Decoders in package codec produce exactly these types, so a handler never
// needs to know which serializer the router chose.
package protocol

import "strconv"

// ID is a WAMP identifier: a session, request, publication, subscription or
// registration id. Valid ids lie in [1, MaxID].
type ID = uint64

// MaxID is the largest valid WAMP id, 2^53.
const MaxID ID = 1 << 53

// URI is a WAMP URI such as a realm, topic, procedure or error.
type URI = string

// Dict is a WAMP dictionary: string keys, values of the documented types.
type Dict = map[string]any

// List is a WAMP list of values of the documented types.
type List = []any

// MessageType is the integer code that starts every WAMP message.
type MessageType int

// The message type codes of the Basic and Advanced Profiles.
const (
	TypeHello        MessageType = 1
	TypeWelcome      MessageType = 2
	TypeAbort        MessageType = 3
	TypeChallenge    MessageType = 4
	TypeAuthenticate MessageType = 5
	TypeGoodbye      MessageType = 6
	TypeError        MessageType = 8
	TypePublish      MessageType = 16
	TypePublished    MessageType = 17
	TypeSubscribe    MessageType = 32
	TypeSubscribed   MessageType = 33
	TypeUnsubscribe  MessageType = 34
	TypeUnsubscribed MessageType = 35
	TypeEvent        MessageType = 36
	TypeCall         MessageType = 48
	TypeCancel       MessageType = 49
	TypeResult       MessageType = 50
	TypeRegister     MessageType = 64
	TypeRegistered   MessageType = 65
	TypeUnregister   MessageType = 66
	TypeUnregistered MessageType = 67
	TypeInvocation   MessageType = 68
	TypeInterrupt    MessageType = 69
	TypeYield        MessageType = 70
)

// maxType is the largest message type code the spec defines.
const maxType = TypeYield

// typeNames holds the spec's name of each message type, indexed by code;
// "" marks a code the spec does not define.
var typeNames = [maxType + 1]string{
	TypeHello: "HELLO", TypeWelcome: "WELCOME", TypeAbort: "ABORT",
	TypeChallenge: "CHALLENGE", TypeAuthenticate: "AUTHENTICATE",
	TypeGoodbye: "GOODBYE", TypeError: "ERROR", TypePublish: "PUBLISH",
	TypePublished: "PUBLISHED", TypeSubscribe: "SUBSCRIBE",
	TypeSubscribed: "SUBSCRIBED", TypeUnsubscribe: "UNSUBSCRIBE",
	TypeUnsubscribed: "UNSUBSCRIBED", TypeEvent: "EVENT", TypeCall: "CALL",
	TypeCancel: "CANCEL", TypeResult: "RESULT", TypeRegister: "REGISTER",
	TypeRegistered: "REGISTERED", TypeUnregister: "UNREGISTER",
	TypeUnregistered: "UNREGISTERED", TypeInvocation: "INVOCATION",
	TypeInterrupt: "INTERRUPT", TypeYield: "YIELD",
}

// name returns the spec's name of t, or "" for a code it does not define.
func (t MessageType) name() string {
	if t < 0 || t > maxType {
		return ""
	}
	return typeNames[t]
}

// String returns the spec's name of the message type, such as "CALL", or
// "UNKNOWN(n)" for a code the spec does not define.
func (t MessageType) String() string {
	if n := t.name(); n != "" {
		return n
	}
	return "UNKNOWN(" + strconv.Itoa(int(t)) + ")"
}

// Known reports whether t is a message type code defined by the spec.
func (t MessageType) Known() bool {
	return t.name() != ""
}
