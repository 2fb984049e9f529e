package codec

import "math"

// Default decoding limits, used for every zero or negative field of Limits.
const (
	// DefaultMaxMessageSize is the default limit on an encoded message:
	// 16 MiB.
	DefaultMaxMessageSize = 16 << 20
	// DefaultMaxDepth is the default limit on nesting: 64 levels.
	DefaultMaxDepth = 64
	// DefaultDecodedSizeRatio sets the default MaxDecodedSize: this many
	// times MaxMessageSize (64 MiB for the default 16 MiB).
	DefaultDecodedSizeRatio = 4
)

// Limits bounds what a codec decodes, so that hostile input is rejected
// before it costs memory or time. The zero value selects the defaults.
type Limits struct {
	// MaxMessageSize is the largest encoded message, in bytes, that Decode
	// accepts; a larger one fails with ErrMessageTooLarge before it is
	// read. Zero or negative means DefaultMaxMessageSize.
	MaxMessageSize int

	// MaxDepth is how deeply lists and dicts may nest, counting the
	// message's own list as level 1 (so with 64, a payload list may hold
	// lists 62 levels below itself). Deeper input fails with ErrTooDeep;
	// Encode refuses such messages too, which also stops it on a cyclic
	// value. Zero or negative means DefaultMaxDepth.
	MaxDepth int

	// MaxDecodedSize bounds the memory one decoded message may hold, as
	// MemSize estimates it (bytes, with the cost of each list, dict,
	// string and number as the Go runtime lays them out). Decoding stops
	// with ErrDecodedTooLarge as soon as the message would pass it, and
	// charges a list or dict before allocating it, so a short input that
	// would decode to much memory (one byte of MessagePack or CBOR is an
	// empty list, ~40 bytes; three are a one-entry dict, ~400) costs at
	// most this. Zero or negative means DefaultDecodedSizeRatio times
	// MaxMessageSize. Ordinary messages stay far below the default: a
	// string costs its length plus 16 bytes, a number 24; only a message
	// made mostly of small dicts, lists or numbers comes near it.
	MaxDecodedSize int
}

// withDefaults returns l with every unset field replaced by its default.
func (l Limits) withDefaults() Limits {
	if l.MaxMessageSize <= 0 {
		l.MaxMessageSize = DefaultMaxMessageSize
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxDecodedSize <= 0 {
		l.MaxDecodedSize = DefaultDecodedSizeRatio * l.MaxMessageSize
		if l.MaxDecodedSize/DefaultDecodedSizeRatio != l.MaxMessageSize {
			l.MaxDecodedSize = math.MaxInt // overflow: no tighter bound than the input's
		}
	}
	return l
}
