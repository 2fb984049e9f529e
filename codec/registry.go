package codec

var (
	defaultJSON    = NewJSON(Limits{})
	defaultMsgPack = NewMsgPack(Limits{})
	defaultCBOR    = NewCBOR(Limits{})
)

// JSON returns the JSON codec ("json", subprotocol "wamp.2.json", text
// frames) with the default Limits.
func JSON() Codec { return defaultJSON }

// MsgPack returns the MessagePack codec ("msgpack", subprotocol
// "wamp.2.msgpack", binary frames) with the default Limits.
func MsgPack() Codec { return defaultMsgPack }

// CBOR returns the CBOR codec ("cbor", subprotocol "wamp.2.cbor", binary
// frames) with the default Limits.
func CBOR() Codec { return defaultCBOR }

// NewJSON returns a JSON codec with the given limits (zero fields take the
// defaults).
func NewJSON(l Limits) Codec {
	l = l.withDefaults()
	return &codec{f: jsonFormat{maxDepth: l.MaxDepth, maxDecoded: l.MaxDecodedSize}, lim: l}
}

// NewMsgPack returns a MessagePack codec with the given limits (zero fields
// take the defaults).
func NewMsgPack(l Limits) Codec {
	l = l.withDefaults()
	return &codec{f: msgpackFormat{maxDepth: l.MaxDepth, maxDecoded: l.MaxDecodedSize}, lim: l}
}

// NewCBOR returns a CBOR codec with the given limits (zero fields take the
// defaults).
func NewCBOR(l Limits) Codec {
	l = l.withDefaults()
	return &codec{f: newCBORFormat(l), lim: l}
}

// New returns the codec with the short name name ("json", "msgpack" or
// "cbor") and the given limits, and false for any other name.
func New(name string, l Limits) (Codec, bool) {
	switch name {
	case "json":
		return NewJSON(l), true
	case "msgpack":
		return NewMsgPack(l), true
	case "cbor":
		return NewCBOR(l), true
	}
	return nil, false
}

// ByName returns the codec with the short name name ("json", "msgpack" or
// "cbor") and the default limits, and false for any other name.
func ByName(name string) (Codec, bool) {
	switch name {
	case "json":
		return defaultJSON, true
	case "msgpack":
		return defaultMsgPack, true
	case "cbor":
		return defaultCBOR, true
	}
	return nil, false
}

// BySubprotocol returns the codec for a WebSocket subprotocol
// ("wamp.2.json", "wamp.2.msgpack" or "wamp.2.cbor") with the default
// limits, and false for any other subprotocol.
func BySubprotocol(sp string) (Codec, bool) {
	switch sp {
	case "wamp.2.json":
		return defaultJSON, true
	case "wamp.2.msgpack":
		return defaultMsgPack, true
	case "wamp.2.cbor":
		return defaultCBOR, true
	}
	return nil, false
}

// Default returns every codec, with the default limits, in the order a
// client should offer them: the binary serializers first (they carry
// binary values natively and are the cheapest to decode), JSON last as the
// one every router speaks. The slice is new on each call.
func Default() []Codec { return []Codec{defaultCBOR, defaultMsgPack, defaultJSON} }
