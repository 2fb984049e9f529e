package codec

import "github.com/wampgo/wampgo/protocol"

// Codec turns protocol messages into bytes and back for one serializer.
//
// A Codec is immutable after construction and safe for concurrent use.
type Codec interface {
	// Name is the serializer's short name: "json", "msgpack" or "cbor".
	Name() string
	// Subprotocol is the WebSocket subprotocol, such as "wamp.2.json".
	Subprotocol() string
	// Binary reports whether messages travel in binary frames (else text).
	Binary() bool
	// Encode serializes msg. It fails on a value outside the types that
	// package protocol documents, or a message that does not validate.
	Encode(msg protocol.Message) ([]byte, error)
	// Decode parses one message and validates it. Every failure is an
	// error matching protocol.ErrProtocolViolation; data is not retained.
	Decode(data []byte) (protocol.Message, error)
}
