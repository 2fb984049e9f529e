package rawsocket

import (
	"errors"
	"fmt"
	"io"

	"github.com/wampgo/wampgo/codec"
)

// Magic is the first octet of every handshake request and reply. No HTTP
// request starts with it, so a router may serve RawSocket and WebSocket on
// one port.
const Magic = 0x7F

// Limits of the maximum message length a handshake can announce: 2^(9+n)
// octets for the 4-bit exponent n.
const (
	MinMaxLength = 1 << 9  // 512 octets, exponent 0
	MaxMaxLength = 1 << 24 // 16 MiB, exponent 15
)

// Serializer is the 4-bit serializer id of the handshake.
type Serializer uint8

// The serializer ids the spec assigns. 0 is illegal; UBJSON and FlatBuffers
// have ids but no codec in wampgo.
const (
	SerializerJSON        Serializer = 1
	SerializerMsgpack     Serializer = 2
	SerializerCBOR        Serializer = 3
	SerializerUBJSON      Serializer = 4
	SerializerFlatBuffers Serializer = 5
)

func (s Serializer) String() string {
	switch s {
	case SerializerJSON:
		return "json"
	case SerializerMsgpack:
		return "msgpack"
	case SerializerCBOR:
		return "cbor"
	case SerializerUBJSON:
		return "ubjson"
	case SerializerFlatBuffers:
		return "flatbuffers"
	case 0:
		return "illegal serializer 0"
	}
	return fmt.Sprintf("reserved serializer %d", uint8(s))
}

// SerializerOf returns the handshake id of cd's serializer, and false for a
// codec the spec assigns no id to.
func SerializerOf(cd codec.Codec) (Serializer, bool) {
	switch cd.Name() {
	case "json":
		return SerializerJSON, true
	case "msgpack":
		return SerializerMsgpack, true
	case "cbor":
		return SerializerCBOR, true
	}
	return 0, false
}

// lengthExponent returns the exponent announcing the largest power of two
// between MinMaxLength and MaxMaxLength that does not exceed limit, and
// that length.
func lengthExponent(limit int64) (exp uint8, length int64) {
	exp, length = 0, MinMaxLength
	for exp < 15 && length*2 <= limit {
		exp++
		length *= 2
	}
	return exp, length
}

// maxLength returns the length an exponent announces.
func maxLength(exp uint8) int64 { return MinMaxLength << exp }

// ErrorCode is the 4-bit error code of a router's handshake error reply.
type ErrorCode uint8

// The error codes of the spec. 0 is illegal, 5 to 15 reserved.
const (
	CodeSerializerUnsupported ErrorCode = 1
	CodeMaxLengthUnacceptable ErrorCode = 2
	CodeReservedBits          ErrorCode = 3
	CodeConnectionLimit       ErrorCode = 4
)

// request is a handshake request, or an accepting reply: the same four
// octets.
type request struct {
	exp        uint8 // maximum length exponent, 0..15
	serializer Serializer
}

func (r request) bytes() [4]byte {
	return [4]byte{Magic, r.exp<<4 | uint8(r.serializer)&0x0F, 0, 0}
}

// parseRequest parses a client's handshake request. A request with the
// reserved octets set is returned with ok and reserved true so that the
// router can answer CodeReservedBits; one without the magic octet or with
// serializer 0 is an error (the router must fail the connection).
func parseRequest(b [4]byte) (r request, reserved bool, err error) {
	if b[0] != Magic {
		return request{}, false, fmt.Errorf("%w: first octet 0x%02x, not the magic 0x7f", ErrBadHandshake, b[0])
	}
	r = request{exp: b[1] >> 4, serializer: Serializer(b[1] & 0x0F)}
	if r.serializer == 0 {
		return request{}, false, fmt.Errorf("%w: serializer 0 is illegal", ErrBadHandshake)
	}
	return r, b[2] != 0 || b[3] != 0, nil
}

// parseReply parses a router's reply to a request for ser: the router's
// maximum length exponent, or a *HandshakeError, or an error matching
// ErrBadHandshake.
func parseReply(b [4]byte, ser Serializer) (exp uint8, err error) {
	switch {
	case string(b[:]) == "HTTP":
		return 0, fmt.Errorf("%w: the server answered in HTTP: is this a WebSocket port? (use ws:// or wss:// for it)", ErrBadHandshake)
	case b[0] != Magic:
		return 0, fmt.Errorf("%w: reply starts with 0x%02x, not the magic 0x7f (is this a RawSocket router?)", ErrBadHandshake, b[0])
	case b[2] != 0 || b[3] != 0:
		return 0, fmt.Errorf("%w: reply has reserved octets 0x%02x%02x set", ErrBadHandshake, b[2], b[3])
	}
	if s := Serializer(b[1] & 0x0F); s == 0 {
		return 0, &HandshakeError{Code: ErrorCode(b[1] >> 4), Serializer: ser}
	} else if s != ser {
		return 0, fmt.Errorf("%w: requested serializer %v, router answered %v", ErrBadHandshake, ser, s)
	}
	return b[1] >> 4, nil
}

// errorReply is a router's error reply with code.
func errorReply(code ErrorCode) [4]byte { return [4]byte{Magic, uint8(code) << 4, 0, 0} }

// readHandshake reads the four octets of a request or reply.
func readHandshake(r io.Reader) ([4]byte, error) {
	var b [4]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return b, fmt.Errorf("rawsocket: handshake: peer closed the connection: %w", err)
		}
		return b, fmt.Errorf("rawsocket: handshake: %w", err)
	}
	return b, nil
}
