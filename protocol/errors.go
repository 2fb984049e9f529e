package protocol

import "errors"

// ErrProtocolViolation matches (with errors.Is) every error that reports a
// message breaking the protocol: a malformed message, one of unknown type, or
// one that is wrong for the session's state. A session answers such a
// message with ABORT wamp.error.protocol_violation.
var ErrProtocolViolation = errors.New("wamp: protocol violation")

// ErrTransportClosed is the end reason of a Transport closed by its owner.
var ErrTransportClosed = errors.New("wamp: transport closed")

// ValidationError reports a message rejected by validation. It matches
// ErrProtocolViolation with errors.Is; use errors.As to read the message type
// and the field at fault.
type ValidationError struct {
	// Type is the message's type code, or 0 when it could not be read.
	Type MessageType
	// Field names the offending field in the spec's words, such as
	// "Request", "Options.acknowledge" or "Arguments"; "" for the whole
	// message (wrong arity, not a list).
	Field string
	// Reason says what is wrong, in lower case, without the type and field.
	Reason string
}

func (e *ValidationError) Error() string {
	s := "wamp: invalid "
	if e.Type != 0 {
		s += e.Type.String()
	} else {
		s += "message"
	}
	if e.Field != "" {
		s += " " + e.Field
	}
	return s + ": " + e.Reason
}

// Is reports whether target is ErrProtocolViolation.
func (e *ValidationError) Is(target error) bool { return target == ErrProtocolViolation }
