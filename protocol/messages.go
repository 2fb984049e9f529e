package protocol

// Message is one WAMP message. The concrete types are the pointer types
// declared in this file, one per message of the spec; a type switch over
// them is exhaustive.
//
// Messages are plain values: they are not safe for concurrent mutation, and
// whoever sends one must not modify it afterwards.
type Message interface {
	// Type returns the message's type code.
	Type() MessageType
}

// Payload is the application payload shared by the messages that carry one
// (PUBLISH, EVENT, CALL, RESULT, INVOCATION, YIELD, ERROR, ABORT).
//
// Args and Kwargs are the positional and keyword arguments; either may be
// nil. Payload holds the opaque payload of payload passthru mode
// (advanced/payload_passthru_mode.md): when it is non-nil the message is
// serialized with it in place of Args and Kwargs, which must then be nil.
type Payload struct {
	Args    List
	Kwargs  Dict
	Payload []byte
}

// Hello is sent by a client to open a session: [HELLO, Realm|uri, Details|dict].
type Hello struct {
	Realm   URI
	Details Dict
}

// Welcome is the router's answer to a successful HELLO:
// [WELCOME, Session|id, Details|dict].
type Welcome struct {
	Session ID
	Details Dict
}

// Abort ends a session before or instead of an orderly GOODBYE:
// [ABORT, Details|dict, Reason|uri, Arguments|list, ArgumentsKw|dict].
type Abort struct {
	Details Dict
	Reason  URI
	Payload
}

// Challenge asks the client to authenticate:
// [CHALLENGE, AuthMethod|string, Extra|dict].
type Challenge struct {
	AuthMethod string
	Extra      Dict
}

// Authenticate answers a CHALLENGE: [AUTHENTICATE, Signature|string, Extra|dict].
type Authenticate struct {
	Signature string
	Extra     Dict
}

// Goodbye closes an established session: [GOODBYE, Details|dict, Reason|uri].
type Goodbye struct {
	Details Dict
	Reason  URI
}

// Error answers a request that failed:
// [ERROR, REQUEST.Type|int, REQUEST.Request|id, Details|dict, Error|uri,
// Arguments|list, ArgumentsKw|dict].
type Error struct {
	RequestType MessageType
	Request     ID
	Details     Dict
	Error       URI
	Payload
}

// Publish asks the broker to publish an event:
// [PUBLISH, Request|id, Options|dict, Topic|uri, Arguments|list, ArgumentsKw|dict].
type Publish struct {
	Request ID
	Options Dict
	Topic   URI
	Payload
}

// Published acknowledges a PUBLISH: [PUBLISHED, PUBLISH.Request|id, Publication|id].
type Published struct {
	Request     ID
	Publication ID
}

// Subscribe asks for events on a topic: [SUBSCRIBE, Request|id, Options|dict, Topic|uri].
type Subscribe struct {
	Request ID
	Options Dict
	Topic   URI
}

// Subscribed acknowledges a SUBSCRIBE:
// [SUBSCRIBED, SUBSCRIBE.Request|id, Subscription|id].
type Subscribed struct {
	Request      ID
	Subscription ID
}

// Unsubscribe ends a subscription:
// [UNSUBSCRIBE, Request|id, SUBSCRIBED.Subscription|id].
type Unsubscribe struct {
	Request      ID
	Subscription ID
}

// Unsubscribed acknowledges an UNSUBSCRIBE: [UNSUBSCRIBED, UNSUBSCRIBE.Request|id],
// or, with Request 0 and Details carrying the subscription and a reason, tells
// of a subscription the router revoked: [UNSUBSCRIBED, 0, Details|dict].
type Unsubscribed struct {
	Request ID
	Details Dict
}

// Event delivers a publication to a subscriber:
// [EVENT, SUBSCRIBED.Subscription|id, PUBLISHED.Publication|id, Details|dict,
// PUBLISH.Arguments|list, PUBLISH.ArgumentsKw|dict].
type Event struct {
	Subscription ID
	Publication  ID
	Details      Dict
	Payload
}

// Call invokes a procedure:
// [CALL, Request|id, Options|dict, Procedure|uri, Arguments|list, ArgumentsKw|dict].
type Call struct {
	Request   ID
	Options   Dict
	Procedure URI
	Payload
}

// Cancel asks the dealer to cancel a call: [CANCEL, CALL.Request|id, Options|dict].
type Cancel struct {
	Request ID
	Options Dict
}

// Result carries a call's final or progressive result:
// [RESULT, CALL.Request|id, Details|dict, YIELD.Arguments|list, YIELD.ArgumentsKw|dict].
type Result struct {
	Request ID
	Details Dict
	Payload
}

// Register offers a procedure: [REGISTER, Request|id, Options|dict, Procedure|uri].
type Register struct {
	Request   ID
	Options   Dict
	Procedure URI
}

// Registered acknowledges a REGISTER:
// [REGISTERED, REGISTER.Request|id, Registration|id].
type Registered struct {
	Request      ID
	Registration ID
}

// Unregister withdraws a procedure:
// [UNREGISTER, Request|id, REGISTERED.Registration|id].
type Unregister struct {
	Request      ID
	Registration ID
}

// Unregistered acknowledges an UNREGISTER: [UNREGISTERED, UNREGISTER.Request|id],
// or, with Request 0 and Details carrying the registration and a reason, tells
// of a registration the router revoked: [UNREGISTERED, 0, Details|dict].
type Unregistered struct {
	Request ID
	Details Dict
}

// Invocation asks a callee to run a procedure:
// [INVOCATION, Request|id, REGISTERED.Registration|id, Details|dict,
// CALL.Arguments|list, CALL.ArgumentsKw|dict].
type Invocation struct {
	Request      ID
	Registration ID
	Details      Dict
	Payload
}

// Interrupt asks a callee to stop an invocation:
// [INTERRUPT, INVOCATION.Request|id, Options|dict].
type Interrupt struct {
	Request ID
	Options Dict
}

// Yield carries a callee's final or progressive result:
// [YIELD, INVOCATION.Request|id, Options|dict, Arguments|list, ArgumentsKw|dict].
type Yield struct {
	Request ID
	Options Dict
	Payload
}

func (*Hello) Type() MessageType        { return TypeHello }
func (*Welcome) Type() MessageType      { return TypeWelcome }
func (*Abort) Type() MessageType        { return TypeAbort }
func (*Challenge) Type() MessageType    { return TypeChallenge }
func (*Authenticate) Type() MessageType { return TypeAuthenticate }
func (*Goodbye) Type() MessageType      { return TypeGoodbye }
func (*Error) Type() MessageType        { return TypeError }
func (*Publish) Type() MessageType      { return TypePublish }
func (*Published) Type() MessageType    { return TypePublished }
func (*Subscribe) Type() MessageType    { return TypeSubscribe }
func (*Subscribed) Type() MessageType   { return TypeSubscribed }
func (*Unsubscribe) Type() MessageType  { return TypeUnsubscribe }
func (*Unsubscribed) Type() MessageType { return TypeUnsubscribed }
func (*Event) Type() MessageType        { return TypeEvent }
func (*Call) Type() MessageType         { return TypeCall }
func (*Cancel) Type() MessageType       { return TypeCancel }
func (*Result) Type() MessageType       { return TypeResult }
func (*Register) Type() MessageType     { return TypeRegister }
func (*Registered) Type() MessageType   { return TypeRegistered }
func (*Unregister) Type() MessageType   { return TypeUnregister }
func (*Unregistered) Type() MessageType { return TypeUnregistered }
func (*Invocation) Type() MessageType   { return TypeInvocation }
func (*Interrupt) Type() MessageType    { return TypeInterrupt }
func (*Yield) Type() MessageType        { return TypeYield }
