package protocol

import "fmt"

// TypeTooLarge is the type code of TooLarge. It is no message type of the
// spec and never travels: only a transport's Receive channel carries it.
const TypeTooLarge MessageType = -1

// TooLarge stands in, on a transport's Receive channel, for a message that
// the peer sent over the transport's read limit: the transport read it
// through and threw it away, keeping only what its head told (a WAMP
// message starts [TYPE, …, …] in every serializer) and its length. The
// session decides what that costs: the operation the message belongs to,
// or the session when the message is a session-level one.
//
// The ids are those of the message's first elements, as its type defines
// them; an id that the head did not hold (or that is not an id in a
// message of that type) is 0.
type TooLarge struct {
	// Of is the discarded message's type, such as TypeInvocation.
	Of MessageType
	// Request is the request id of RESULT, INVOCATION and ERROR (and of
	// every other message whose second element is one).
	Request ID
	// RequestType is, in an ERROR, the type of the request it answers.
	RequestType MessageType
	// Registration is an INVOCATION's registration id.
	Registration ID
	// Subscription and Publication are an EVENT's ids.
	Subscription, Publication ID
	// Size is the message's length in bytes, as the transport framed it,
	// and Limit the read limit it broke.
	Size, Limit int64
	// Decoded reports that the message was within the read limit but
	// would have decoded to more memory than its codec allows
	// (codec.Limits.MaxDecodedSize, then Limit).
	Decoded bool
}

// Type returns TypeTooLarge.
func (*TooLarge) Type() MessageType { return TypeTooLarge }

func (m *TooLarge) String() string {
	if m.Decoded {
		return fmt.Sprintf("%v of %d bytes over the decoded size limit of %d bytes", m.Of, m.Size, m.Limit)
	}
	return fmt.Sprintf("%v of %d bytes over the read limit of %d bytes", m.Of, m.Size, m.Limit)
}

// NewTooLarge makes the TooLarge of a message of type of whose first two
// elements after the type are first and second (0 where the head did not
// hold an id there), as a message of that type defines them.
func NewTooLarge(of MessageType, first, second ID, size, limit int64) *TooLarge {
	m := &TooLarge{Of: of, Size: size, Limit: limit}
	switch of {
	case TypeError:
		m.RequestType, m.Request = MessageType(first), second
	case TypeEvent:
		m.Subscription, m.Publication = first, second
	case TypeInvocation:
		m.Request, m.Registration = first, second
	case TypeHello, TypeWelcome, TypeAbort, TypeChallenge, TypeAuthenticate, TypeGoodbye:
		// Session-level messages: their second element is no request id.
	default:
		m.Request = first
	}
	if m.RequestType < 0 || m.RequestType > maxType {
		m.RequestType = 0
	}
	return m
}
