package protocol

// Fields that many message types share, read and set without a type switch
// at every use. Each function covers every message type of this package: a
// type without the field gives the zero value and false (or, for
// SetRequestID, is left alone). A nil Message counts as one without the
// field; a typed nil pointer is not a message and panics, as reading its
// field would. None of them validate, and they are safe for concurrent use
// as Message says: a message being modified is not read at the same time.
// RequestID, their first, is in request.go.

// SetRequestID sets the request id of msg, for the message types whose
// request id RequestID reads (including UNSUBSCRIBED and UNREGISTERED,
// whose revocation form has 0), and reports whether msg has one. A caller
// fills the id of a request it built, or sets one for a check (Validate,
// a size bound) and puts the old one back.
func SetRequestID(msg Message, id ID) bool {
	switch m := msg.(type) {
	case *Error:
		m.Request = id
	case *Publish:
		m.Request = id
	case *Published:
		m.Request = id
	case *Subscribe:
		m.Request = id
	case *Subscribed:
		m.Request = id
	case *Unsubscribe:
		m.Request = id
	case *Unsubscribed:
		m.Request = id
	case *Call:
		m.Request = id
	case *Cancel:
		m.Request = id
	case *Result:
		m.Request = id
	case *Register:
		m.Request = id
	case *Registered:
		m.Request = id
	case *Unregister:
		m.Request = id
	case *Unregistered:
		m.Request = id
	case *Invocation:
		m.Request = id
	case *Interrupt:
		m.Request = id
	case *Yield:
		m.Request = id
	default:
		return false
	}
	return true
}

// RequestType returns the type of the request whose id msg carries (see
// RequestID), and whether msg carries a request id at all:
//
//   - a request's own type for PUBLISH, SUBSCRIBE, UNSUBSCRIBE, CALL,
//     REGISTER, UNREGISTER and INVOCATION;
//   - the request answered for PUBLISHED (PUBLISH), SUBSCRIBED (SUBSCRIBE),
//     UNSUBSCRIBED (UNSUBSCRIBE), RESULT (CALL), REGISTERED (REGISTER),
//     UNREGISTERED (UNREGISTER), YIELD (INVOCATION), and ERROR (its
//     RequestType);
//   - the request acted on for CANCEL (CALL) and INTERRUPT (INVOCATION).
//
// Together with RequestID it finds the pending request a reply answers.
// Unlike RequestID it does not look at the id: the revocation form of
// UNSUBSCRIBED and UNREGISTERED (Request 0) still reports its type and
// true.
func RequestType(msg Message) (MessageType, bool) {
	switch m := msg.(type) {
	case *Error:
		return m.RequestType, true
	case *Publish, *Published:
		return TypePublish, true
	case *Subscribe, *Subscribed:
		return TypeSubscribe, true
	case *Unsubscribe, *Unsubscribed:
		return TypeUnsubscribe, true
	case *Call, *Cancel, *Result:
		return TypeCall, true
	case *Register, *Registered:
		return TypeRegister, true
	case *Unregister, *Unregistered:
		return TypeUnregister, true
	case *Invocation, *Interrupt, *Yield:
		return TypeInvocation, true
	}
	return 0, false
}

// OptionsOf returns the Options or Details dict of msg: the dict the spec
// names Options in a request (PUBLISH, SUBSCRIBE, CALL, CANCEL, REGISTER,
// INTERRUPT, YIELD) and Details elsewhere (HELLO, WELCOME, ABORT, GOODBYE,
// ERROR, UNSUBSCRIBED, EVENT, RESULT, UNREGISTERED, INVOCATION). It is nil
// for the messages without one (PUBLISHED, SUBSCRIBED, UNSUBSCRIBE,
// REGISTERED, UNREGISTER) and for CHALLENGE and AUTHENTICATE, whose Extra
// is of another kind. The dict is msg's own, not a copy.
func OptionsOf(msg Message) Dict {
	switch m := msg.(type) {
	case *Hello:
		return m.Details
	case *Welcome:
		return m.Details
	case *Abort:
		return m.Details
	case *Goodbye:
		return m.Details
	case *Error:
		return m.Details
	case *Publish:
		return m.Options
	case *Subscribe:
		return m.Options
	case *Unsubscribed:
		return m.Details
	case *Event:
		return m.Details
	case *Call:
		return m.Options
	case *Cancel:
		return m.Options
	case *Result:
		return m.Details
	case *Register:
		return m.Options
	case *Unregistered:
		return m.Details
	case *Invocation:
		return m.Details
	case *Interrupt:
		return m.Options
	case *Yield:
		return m.Options
	}
	return nil
}

// URIOf returns the URI msg carries, and whether its type carries one:
// HELLO's Realm, ABORT's and GOODBYE's Reason, ERROR's Error, PUBLISH's and
// SUBSCRIBE's Topic, CALL's and REGISTER's Procedure.
func URIOf(msg Message) (URI, bool) {
	switch m := msg.(type) {
	case *Hello:
		return m.Realm, true
	case *Abort:
		return m.Reason, true
	case *Goodbye:
		return m.Reason, true
	case *Error:
		return m.Error, true
	case *Publish:
		return m.Topic, true
	case *Subscribe:
		return m.Topic, true
	case *Call:
		return m.Procedure, true
	case *Register:
		return m.Procedure, true
	}
	return "", false
}
