package protocol

// RequestID returns the request id msg carries, and whether it carries one.
//
// For a reply (ERROR, PUBLISHED, SUBSCRIBED, UNSUBSCRIBED, RESULT,
// REGISTERED, UNREGISTERED) it is the id of the request answered; for
// CANCEL that of the CALL, for INTERRUPT and YIELD that of the INVOCATION;
// for a request (PUBLISH, SUBSCRIBE, UNSUBSCRIBE, CALL, REGISTER,
// UNREGISTER, INVOCATION) its own id. Messages without a request id
// (HELLO, WELCOME, ABORT, CHALLENGE, AUTHENTICATE, GOODBYE, EVENT) and the
// revocation form of UNSUBSCRIBED and UNREGISTERED (Request 0) report false.
func RequestID(msg Message) (ID, bool) {
	var id ID
	switch m := msg.(type) {
	case *Error:
		id = m.Request
	case *Publish:
		id = m.Request
	case *Published:
		id = m.Request
	case *Subscribe:
		id = m.Request
	case *Subscribed:
		id = m.Request
	case *Unsubscribe:
		id = m.Request
	case *Unsubscribed:
		id = m.Request
	case *Call:
		id = m.Request
	case *Cancel:
		id = m.Request
	case *Result:
		id = m.Request
	case *Register:
		id = m.Request
	case *Registered:
		id = m.Request
	case *Unregister:
		id = m.Request
	case *Unregistered:
		id = m.Request
	case *Invocation:
		id = m.Request
	case *Interrupt:
		id = m.Request
	case *Yield:
		id = m.Request
	default:
		return 0, false
	}
	return id, id != 0
}
