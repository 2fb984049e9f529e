package codec

// Default decoding limits, used for every zero or negative field of Limits.
const (
	// DefaultMaxMessageSize is the default limit on an encoded message:
	// 16 MiB.
	DefaultMaxMessageSize = 16 << 20
	// DefaultMaxDepth is the default limit on nesting: 64 levels.
	DefaultMaxDepth = 64
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
}

// withDefaults returns l with every unset field replaced by its default.
func (l Limits) withDefaults() Limits {
	if l.MaxMessageSize <= 0 {
		l.MaxMessageSize = DefaultMaxMessageSize
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	return l
}
