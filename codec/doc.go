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
// Every Codec is immutable and safe for concurrent use. Every codec of this
// package also implements Appender, for writers that reuse a buffer, and has
// a method Limits() Limits reporting its limits (a transport can read
// MaxMessageSize through interface{ Limits() Limits } to size its own read
// limit).
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
//	                JSON strings starting with "\u0000" followed by standard
//	                base64 (WAMP's binary convention), padded or not
//	[]any           lists, never nil
//	map[string]any  dicts, never nil; a non-string key is an error
//
// Integers are never rounded through float64: a 2^64-1 id or a large integer
// in a payload decodes exactly from every codec. A duplicate dict key, text
// that is not valid UTF-8, a MessagePack extension (including the timestamp
// extension), a CBOR tag or a CBOR simple value other than false, true, null
// and undefined is an error.
//
// Encode accepts the same closed set and, for convenience, the common Go
// types that Normalize converts (int and the other sized integers, float32,
// slices, arrays and string-keyed maps of them): they decode as the
// documented types. Anything else (a struct, a channel, a map with
// non-string keys) is an error wrapping ErrUnsupportedValue. Typed nil lists, dicts and byte slices encode as empty ones.
// Dict keys are written in a deterministic order (sorted; CBOR uses RFC 8949
// length-first order), integers in their shortest form, floats as 64-bit
// floats. JSON output is compact and not HTML-escaped; JSON cannot carry a
// NaN or an infinity, nor a string that starts with NUL (it would read back
// as binary), so encoding those with the JSON codec fails.
//
// # Limits and errors
//
// Decode rejects input larger than Limits.MaxMessageSize and lists and dicts
// nested deeper than Limits.MaxDepth before doing any work proportional to
// them; a length declared in a MessagePack or CBOR header is checked against
// the bytes actually present before anything is allocated. Input must hold
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
// Each serializer has its own single-pass parser that builds the closed set
// of values directly (no intermediate generic tree, no second walk) and
// hands the message's list to protocol.FromList. Decoders and encoders keep
// scratch state in sync.Pools; a decoder also caches short strings (dict
// keys, URIs, short values) it has recently produced, so the strings a peer
// repeats cost no allocation. Values that share a cached string are
// immutable, so nothing is observable but the saving.
package codec
