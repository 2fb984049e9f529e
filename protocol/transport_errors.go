package protocol

import "errors"

// Transport errors, the same whatever the transport (WebSocket, RawSocket,
// in memory): the end reasons a Transport's Err reports, and the refusals
// of its opening handshake, matched with errors.Is. Each transport wraps
// them with its own detail (the limit, the peer's close code).
var (
	// ErrMessageTooLarge matches a message over a size limit: one the
	// peer sent over our read limit (the connection's end reason), or
	// one we would send over the peer's limit or the codec's (only that
	// message's operation fails, nothing is sent).
	ErrMessageTooLarge = errors.New("wamp: message too large")

	// ErrPingTimeout is the end reason of a connection whose peer stopped
	// answering: no answer to a keepalive ping, and nothing else, arrived
	// within the pong timeout. It is what a half-open TCP connection ends
	// with.
	ErrPingTimeout = errors.New("wamp: ping timeout: peer did not answer")

	// ErrPeerClosed matches the end reason of a connection that the peer
	// closed: a WebSocket close frame (whose code the transport's error
	// carries), a RawSocket stream closed between two frames, an in-memory
	// peer's Close.
	ErrPeerClosed = errors.New("wamp: peer closed the connection")
)

// Refusals of the RawSocket opening handshake (the router's error reply
// codes 1 to 4), and a handshake that breaks the protocol.
var (
	// ErrSerializerUnsupported: the router does not speak the serializer
	// asked for (a client may try another).
	ErrSerializerUnsupported = errors.New("wamp: router does not support the serializer")
	// ErrMaxLengthUnacceptable: the router refused the maximum message
	// length announced.
	ErrMaxLengthUnacceptable = errors.New("wamp: router does not accept the maximum message length")
	// ErrReservedBits: the router refused the use of reserved bits.
	ErrReservedBits = errors.New("wamp: router refused the use of reserved bits")
	// ErrConnectionLimit: the router has reached its maximum number of
	// connections.
	ErrConnectionLimit = errors.New("wamp: router reached its maximum connection count")
	// ErrBadHandshake: the peer's handshake breaks the protocol, or the
	// peer does not speak the transport at all (an HTTP server, say).
	ErrBadHandshake = errors.New("wamp: malformed handshake")
)
