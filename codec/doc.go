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
//	nil             JSON null, MessagePack nil (and msgpackr's undefined),
//	                CBOR null (and undefined)
//	bool            booleans
//	int64           integers in [math.MinInt64, math.MaxInt64]
//	uint64          integers in (math.MaxInt64, math.MaxUint64]
//	float64         floating point numbers (MessagePack float32 and CBOR
//	                half and single precision widen exactly); a JSON number
//	                written with a fraction or an exponent; a JSON or CBOR
//	                integer outside the two ranges above (rounded)
//	string          text, always valid UTF-8; dates (the MessagePack
//	                timestamp extension, CBOR tags 0 and 1) as text
//	[]byte          binary values: MessagePack bin, CBOR byte strings, and
//	                JSON strings of "\u0000" followed by standard, padded
//	                base64 (WAMP's binary convention, RFC 4648 section 4);
//	                the data of other MessagePack extensions
//	[]any           lists, never nil
//	map[string]any  dicts, never nil; a non-string key is an error
//
// Integers are never rounded through float64: a 2^64-1 id or a large integer
// in a payload decodes exactly from every codec.
//
// # What peers send
//
// A value a peer legitimately sends never ends the session. The corpus in
// testdata/peer_encodings_*.json holds what wampy.js (msgpackr, cbor-x),
// autobahn-js (msgpack5, node-cbor), Autobahn|Python (msgpack, umsgpack)
// and msgpack-lite write for everyday values, and the tests decode all of
// it:
//
//   - A date decodes as RFC 3339 text in UTC, with as many fractional
//     digits as its nanoseconds need ("2023-11-14T22:13:20.123Z"), the same
//     text from every form: the MessagePack timestamp extension (type -1;
//     its 32, 64 and 96-bit forms), CBOR tag 1 (epoch seconds) and CBOR
//     tag 0 (text, its offset applied). A year outside 0000-9999, which
//     RFC 3339 cannot write, takes ISO 8601's expanded form, as JavaScript
//     writes it: "+275760-09-13T00:00:00Z". An invalid JavaScript Date
//     (msgpackr's one-byte timestamp, cbor-x's and node-cbor's tag 1 on
//     NaN) is the zero time, "0001-01-01T00:00:00Z". cbor-x and node-cbor
//     write a Date with milliseconds as tag 1 on a float64 of seconds,
//     which holds the milliseconds only approximately: the CBOR library
//     reads the float's value to the nanosecond, truncated, so
//     new Date(1700000000123) reads "2023-11-14T22:13:20.122999906Z" over
//     CBOR where msgpackr's timestamp of it reads ".123Z". (Recovering the
//     digits JavaScript prints would take a second, hand-written CBOR walk
//     before the library's, which this package does not do.)
//   - A MessagePack extension of type 0 holding one zero byte is nil: it is
//     how msgpackr (wampy.js) writes JavaScript's undefined in a list or as
//     a dict value, as CBOR has undefined, which is nil too. Any other
//     extension decodes as its data, []byte, the type dropped, as a CBOR
//     tag the codec does not know: the types are the application's (such
//     as msgpack-lite's Date, type 13, or Python's msgpack.ExtType).
//   - A CBOR tag decodes as its content, the tag dropped: tag 64 (RFC 8746,
//     how cbor-x in wampy.js writes every byte array) and the other typed
//     array tags (cbor-x writes an Int16Array, a Float32Array... with them)
//     as []byte, tag 32 (URI) as its text, cbor-x's Set (258), Map (259)
//     and Error or RegExp (27) as their list or dict, and so on. Bignums
//     (tags 2 and 3) are integers: int64 or uint64 when they fit, else the
//     nearest float64, as JSON reads a long integer.
//   - A lone surrogate (half of a surrogate pair, which a JavaScript or
//     Python string may hold) decodes as U+FFFD, the character msgpackr,
//     msgpack5 and node-cbor write in its place: JSON.stringify and
//     json.dumps escape it ("\ud800"), cbor-x writes its code point in
//     three bytes (WTF-8), and those read as U+FFFD in every codec.
//   - A JSON string of "\u0000" followed by what is not padded base64 is
//     the text it is (a MessagePack or CBOR peer may publish such text;
//     Autobahn|Python, too, reads "\u0000abc" as no binary).
//   - JSON's missing NaN and infinities: Python's json module, and with it
//     Autobahn|Python and Crossbar.io, writes them as the bare words NaN,
//     Infinity and -Infinity, which decode as float64 NaN and ±Inf where a
//     value stands (never inside a string, never glued to another token).
//     The JSON encoder still refuses to write them.
//
// # Refusals
//
// What remains refused, as a decode error, has no value in the set or is
// not well-formed. None of it is an ordinary value of a peer we know:
//
//   - A dict key that is not text (a MessagePack integer key, a CBOR key
//     that is not a text string). WAMP's dicts have string keys; only a
//     JavaScript Map with number keys (from msgpackr, msgpack5, cbor-x or
//     node-cbor) or a Python dict with integer keys (from Autobahn|Python's
//     MessagePack) writes one, and neither is a WAMP dict.
//   - A duplicate dict key, also two keys that differ only in their lone
//     surrogates (they become the same text).
//   - Text that is not valid UTF-8, but for lone surrogates. No encoder
//     of the corpus writes it.
//   - A MessagePack timestamp of a length other than 4, 8 and 12 bytes
//     (but msgpackr's invalid Date), or with nanoseconds above 999999999:
//     no encoder writes either.
//   - A date beyond year ±999999 (a 96-bit timestamp, a CBOR tag 1 on an
//     integer): a JavaScript Date reaches year ±275760, a Python datetime
//     9999.
//   - A CBOR simple value other than false, true, null and undefined: no
//     WAMP implementation sends them, and they have no value in the set.
//   - A CBOR date/time tag the library cannot read as a time (tag 0 on text
//     that is not RFC 3339, tag 1 on what is not a number or beyond int64).
//   - A number (JSON) or bignum (CBOR) beyond the range of float64.
//
// msgpackr's and cbor-x's records (an object's keys sent once for many
// objects), which wampy.js turns off as the libraries' module-level
// functions do, are private to those libraries: no other peer reads them,
// and this package does not either (they decode as their parts, an
// extension's bytes or a tag's content, not as the objects).
//
// msgpackr and cbor-x write an integral JavaScript Number of 2^32 or more
// as a float64, so a JavaScript router using them sends its random IDs
// (publication, subscription, registration IDs up to 2^53) as floats. The
// codec decodes the float as it is (a float64 in a payload is a float);
// package protocol reads a whole-number float64 in an ID's place as that ID
// (protocol.AsID).
//
// Encode accepts the same closed set and, for convenience, every Go value
// that Normalize converts (int and the other sized integers, float32,
// named types, pointers, slices, arrays, maps, structs, TextMarshalers):
// they decode as the documented types. Anything else (a channel, a
// function, a complex number) is an error wrapping ErrUnsupportedValue. Typed nil
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
// What a message holds once decoded is bounded too: Limits.MaxDecodedSize
// (by default 4 times MaxMessageSize) caps its memory as MemSize estimates
// it, because a short input can build much: one byte of MessagePack or
// CBOR is an empty list (~40 bytes of heap), three are a one-entry dict
// (~400). Each list and dict is charged before it is allocated (CBOR
// input is scanned before the library builds anything), a dict's declared
// length pre-allocates at most 1024 slots, and a message past the bound
// fails with ErrDecodedTooLarge, which also matches ErrMessageTooLarge.
// The transient peak of a decoding is at most about twice the bound.
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
