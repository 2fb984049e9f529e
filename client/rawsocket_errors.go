package client

import "github.com/wampgo/wampgo/internal/rawsocket"

// Errors of the RawSocket transport (rs://, rss://, tcp://, tcps:// and
// unix:// URLs), for errors.Is on what Dial, the session's end reason
// (Err) and the state changes report. A message longer than the router
// accepts fails only its operation, with an error matching
// codec.ErrMessageTooLarge.
var (
	// ErrRawSocketSerializerUnsupported: the router refused the handshake
	// because it does not speak the serializer asked for (Dial then tries
	// the next one of WithSerializers).
	ErrRawSocketSerializerUnsupported = rawsocket.ErrSerializerUnsupported
	// ErrRawSocketMaxLengthUnacceptable: the router refused the maximum
	// message length we announced (WithReadLimit).
	ErrRawSocketMaxLengthUnacceptable = rawsocket.ErrMaxLengthUnacceptable
	// ErrRawSocketReservedBits: the router refused the use of reserved bits.
	ErrRawSocketReservedBits = rawsocket.ErrReservedBits
	// ErrRawSocketConnectionLimit: the router has reached its maximum
	// number of connections.
	ErrRawSocketConnectionLimit = rawsocket.ErrConnectionLimit
	// ErrRawSocketBadHandshake: the peer's handshake breaks the protocol,
	// or the peer is not a RawSocket peer at all.
	ErrRawSocketBadHandshake = rawsocket.ErrBadHandshake
	// ErrRawSocketBadFrame: the peer sent a malformed frame; it also
	// matches ErrProtocolViolation.
	ErrRawSocketBadFrame = rawsocket.ErrBadFrame
	// ErrRawSocketPingTimeout: the peer did not answer a keepalive PING in
	// time (WithKeepalive).
	ErrRawSocketPingTimeout = rawsocket.ErrPingTimeout
)

// RawSocketHandshakeError is the router's error reply to the RawSocket
// opening handshake, as Dial returns it. It matches one of the
// ErrRawSocket… sentinels above by its code.
type RawSocketHandshakeError = rawsocket.HandshakeError
