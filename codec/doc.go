// Package codec serializes WAMP messages: JSON, MessagePack and CBOR, each
// behind the one Codec interface.
//
// # Serializers
//
// JSON, MsgPack and CBOR return the codecs with the default Limits; NewJSON,
// NewMsgPack and NewCBOR take explicit ones. ByName, BySubprotocol and New
// look codecs up by their short name ("json", "msgpack", "cbor") or WebSocket
// subprotocol ("wamp.2.json", "wamp.2.msgpack", "wamp.2.cbor"); Default lists
// them in the order a client should offer them. JSON travels in text frames,
// MessagePack and CBOR in binary frames.
//
// The parsing is the libraries': github.com/go-json-experiment/json/jsontext
// for JSON, github.com/vmihailenco/msgpack/v5 for MessagePack and
// github.com/fxamacker/cbor/v2 for CBOR. This package holds their options,
// the mapping between their values and the closed set below, the limits and
// the errors.
//
// Every Codec is immutable and safe for concurrent use. Every codec of this
// package also implements Appender, for writers that reuse a buffer; has a
// method AppendValue(dst []byte, v any) ([]byte, error) that appends one
// value with the rules of Encode, for payloads encoded once and spliced into
// messages; and has a method Limits() Limits reporting its limits (a
// transport can read MaxMessageSize through interface{ Limits() Limits } to
// size its own read limit).
//
// # Values
//
// Decode produces only the closed set of value types documented in package
// protocol, identical from every codec:
//
//	nil             JSON null, MessagePack nil, CBOR null (and undefined)
//	bool            booleans
//	int64           integers in [math.MinInt64, math.MaxInt64]
//	uint64          integers in (math.MaxInt64, math.MaxUint64]
//	float64         floating point numbers (MessagePack float32 and CBOR
//	                half and single precision widen exactly); a JSON number
//	                written with a fraction or an exponent; a JSON or CBOR
//	                integer outside the two ranges above (rounded)
//	string          text, always valid UTF-8
//	[]byte          binary values: MessagePack bin, CBOR byte strings, and
//	                JSON strings of "\u0000" followed by standard base64
//	                (WAMP's binary convention), padded or not
//	[]any           lists, never nil
//	map[string]any  dicts, never nil; a non-string key is an error
//
// Integers are never rounded through float64: a 2^64-1 id or a large integer
// in a payload decodes exactly from every codec.
//
// A value a peer legitimately sends never ends the session:
//
//   - A CBOR tag decodes as its content, the tag dropped: tag 64 (RFC 8746,
//     how cbor-x in wampy.js writes every byte array) as []byte, tag 32 (URI)
//     as its text, and so on. Bignums (tags 2 and 3) are integers: int64 or
//     uint64 when they fit, else the nearest float64, as JSON reads a long
//     integer. The library itself reads the date/time tags 0 and 1: they
//     decode as RFC 3339 text.
//   - A JSON string of "\u0000" followed by what is not base64 is the text it
//     is (a MessagePack or CBOR peer may publish such text).
//
// What remains refused, as a decode error, has no value in the set or is
// not well-formed: a duplicate dict key; text that is not valid UTF-8; a
// MessagePack extension, the timestamp extension included (its types are
// application-defined and no WAMP implementation sends them); a CBOR simple
// value other than false, true, null and undefined (likewise); a CBOR dict
// key that is not text; a CBOR date/time tag the library cannot read as a
// time; a number (JSON) or bignum (CBOR) beyond the range of float64.
//
// Encode accepts the same closed set and, for convenience, the common Go
// types that Normalize converts (int and the other sized integers, float32,
// slices, arrays and string-keyed maps of them): they decode as the
// documented types. Anything else (a struct, a channel, a map with
// non-string keys) is an error wrapping ErrUnsupportedValue. Typed nil
// lists, dicts and byte slices encode as empty ones. Dict keys are written
// in a deterministic order (sorted; CBOR uses RFC 8949 length-first order),
// integers in their shortest form, floats as 64-bit floats. JSON output is
// compact and not HTML-escaped; JSON cannot carry a NaN or an infinity, nor
// a string of NUL followed by base64 (it would read back as binary), so
// encoding those with the JSON codec fails.
//
// # Limits and errors
//
// Decode rejects input larger than Limits.MaxMessageSize and lists and dicts
// nested deeper than Limits.MaxDepth before doing any work proportional to
// them; a length declared in a MessagePack or CBOR header is checked against
// the bytes actually present before anything is allocated (the CBOR library
// checks the whole input is well-formed before it decodes). Input must hold
// exactly one value, a list: trailing bytes are an error.
//
// Every Decode failure is a *DecodeError, which matches
// protocol.ErrProtocolViolation with errors.Is; when the bytes parsed but the
// message did not validate, it wraps the *protocol.ValidationError. Decode
// never panics and never retains its input. Every Encode failure is an
// *EncodeError.
//
// # Performance
//
// Decoders and encoders keep scratch state in sync.Pools (one pool round
// trip per Encode, AppendEncode or AppendValue call, whatever the codec).
// The JSON and MessagePack decoders read one value at a time from their
// library and build the closed set directly; they also cache short strings (dict keys,
// URIs, short values) they have recently produced, so the strings a peer
// repeats cost no allocation. Values that share a cached string are
// immutable, so nothing is observable but the saving. The CBOR decoder
// takes the library's generic result and converts its dicts and its
// unsigned integers (int64 where they fit) in one walk.
package codec
