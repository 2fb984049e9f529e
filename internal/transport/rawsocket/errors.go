package rawsocket

import (
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// ErrPingTimeout (protocol.ErrPingTimeout) is the end reason of a
// connection whose peer stopped answering: no PONG, and nothing else,
// arrived within PongTimeout of a keepalive PING. It is what a half-open
// TCP connection ends with.
var ErrPingTimeout = protocol.ErrPingTimeout

// ErrPeerClosed (protocol.ErrPeerClosed) matches the end reason of a
// connection that the peer closed between two frames (RawSocket has no
// closing handshake: closing the stream is how a peer ends the
// connection). A stream cut within a frame ends with io.ErrUnexpectedEOF,
// wrapped, instead.
var ErrPeerClosed = protocol.ErrPeerClosed

// readError translates a stream error of the reader into the end reason.
func readError(err error) error {
	switch {
	case errors.Is(err, io.EOF):
		return fmt.Errorf("rawsocket: %w: %w", ErrPeerClosed, err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("rawsocket: read: stream ended within a frame: %w", err)
	default:
		return fmt.Errorf("rawsocket: read: %w", err)
	}
}

// closedErr reports whether err is the error of an operation on a
// connection closed by this side.
func closedErr(err error) bool { return errors.Is(err, net.ErrClosed) }

// ErrMessageTooLarge matches a message longer than the limit that applies
// to it: on Send, the peer's announced maximum (the message is refused and
// nothing is written; the connection stays up); when reading, our own
// announced maximum (the read side ends: the error then also matches
// protocol.ErrProtocolViolation). It wraps codec.ErrMessageTooLarge, the
// sentinel users outside this package match.
var ErrMessageTooLarge = fmt.Errorf("rawsocket: %w", codec.ErrMessageTooLarge)

// ErrBadFrame matches a frame prefix that breaks the protocol: reserved
// bits set, a reserved frame type, or a length over 2^24. It also matches
// protocol.ErrProtocolViolation.
var ErrBadFrame = errors.New("rawsocket: malformed frame")

// Sentinels matched (errors.Is) by the *HandshakeError of each error code:
// the protocol package's, the same for every transport.
var (
	ErrSerializerUnsupported = protocol.ErrSerializerUnsupported
	ErrMaxLengthUnacceptable = protocol.ErrMaxLengthUnacceptable
	ErrReservedBits          = protocol.ErrReservedBits
	ErrConnectionLimit       = protocol.ErrConnectionLimit
)

// ErrBadHandshake (protocol.ErrBadHandshake) matches a handshake that
// breaks the protocol: a reply or request without the magic octet, with
// reserved bits set, or a reply that names another serializer than the one
// requested. It is also returned for a peer that is not a RawSocket peer at
// all (an HTTP server, say).
var ErrBadHandshake = protocol.ErrBadHandshake

// HandshakeError is a router's error reply to the opening handshake. Dial
// returns it; match the cause with errors.Is and ErrSerializerUnsupported,
// ErrMaxLengthUnacceptable, ErrReservedBits or ErrConnectionLimit, or read
// Code with errors.As.
type HandshakeError struct {
	Code ErrorCode
	// Serializer is the serializer that was requested.
	Serializer Serializer
}

func (e *HandshakeError) Error() string {
	if s := e.sentinel(); s != nil {
		return fmt.Sprintf("%v (requested %v)", s, e.Serializer)
	}
	return fmt.Sprintf("rawsocket: router refused the connection with undefined error code %d (requested %v)", e.Code, e.Serializer)
}

// Is matches the sentinel of e's code.
func (e *HandshakeError) Is(target error) bool {
	s := e.sentinel()
	return s != nil && s == target
}

func (e *HandshakeError) sentinel() error {
	switch e.Code {
	case CodeSerializerUnsupported:
		return ErrSerializerUnsupported
	case CodeMaxLengthUnacceptable:
		return ErrMaxLengthUnacceptable
	case CodeReservedBits:
		return ErrReservedBits
	case CodeConnectionLimit:
		return ErrConnectionLimit
	}
	return nil
}

// SendLimitError is CheckSend's refusal of a message over the peer's
// announced maximum length. It matches ErrMessageTooLarge.
type SendLimitError struct {
	Type  protocol.MessageType // the message's type; 0 when unknown
	Size  int                  // its encoded length, in bytes
	Limit int64                // the peer's maximum length
}

func (e *SendLimitError) Error() string {
	return fmt.Sprintf("%v: %s of %d bytes is over the peer's limit of %d bytes; not sent",
		ErrMessageTooLarge, e.What(), e.Size, e.Limit)
}

// What names the message: its type, or "message".
func (e *SendLimitError) What() string {
	if e.Type == 0 {
		return "message"
	}
	return e.Type.String()
}

// Unwrap returns ErrMessageTooLarge.
func (e *SendLimitError) Unwrap() error { return ErrMessageTooLarge }
