package codec

import (
	"slices"
	"strings"
	"sync"

	"github.com/wampgo/wampgo/protocol"
)

// Appender is implemented by every codec of this package: AppendEncode
// appends the serialization of msg to dst and returns the extended slice,
// so a writer can reuse one buffer. On error the returned slice is dst (its
// spare capacity may have been written to).
type Appender interface {
	AppendEncode(dst []byte, msg protocol.Message) ([]byte, error)
}

// format is what a serializer implements: the list-level encoder and
// decoder behind a codec.
type format interface {
	name() string
	subprotocol() string
	binary() bool
	// appendList appends the serialization of l (a message's list form).
	appendList(e *encoder, dst []byte, l []any) ([]byte, error)
	// decode parses data, which must hold exactly one list, within the
	// limits, and converts the list with fromList.
	decode(data []byte, lim *Limits) (protocol.Message, error)
}

// fromList converts the list form that a format decoded into a validated
// message. The list itself (not its elements) may be reused afterwards:
// protocol.FromList keeps the lists and dicts it holds, not the list.
func fromList(format string, l []any) (protocol.Message, error) {
	msg, err := protocol.FromList(l)
	if err != nil {
		return nil, &DecodeError{Codec: format, Offset: -1, Err: err}
	}
	return msg, nil
}

// codec joins a format to its limits; it implements Codec and Appender.
type codec struct {
	f   format
	lim Limits
}

var _ interface {
	Codec
	Appender
} = (*codec)(nil)

func newCodec(f format, l Limits) *codec { return &codec{f: f, lim: l.withDefaults()} }

func (c *codec) Name() string        { return c.f.name() }
func (c *codec) Subprotocol() string { return c.f.subprotocol() }
func (c *codec) Binary() bool        { return c.f.binary() }

// Limits returns the codec's decoding limits, defaults filled in.
func (c *codec) Limits() Limits { return c.lim }

// Decode parses data as one message and validates it.
func (c *codec) Decode(data []byte) (protocol.Message, error) {
	if len(data) > c.lim.MaxMessageSize {
		return nil, &DecodeError{Codec: c.f.name(), Offset: -1, Err: ErrMessageTooLarge}
	}
	return c.f.decode(data, &c.lim)
}

// Encode validates msg and serializes it into a new slice.
func (c *codec) Encode(msg protocol.Message) ([]byte, error) {
	e := getEncoder(c.lim.MaxDepth)
	defer putEncoder(e)
	b, err := c.appendMsg(e, e.buf[:0], msg)
	e.buf = b[:0]
	if err != nil {
		return nil, err
	}
	out := make([]byte, len(b))
	copy(out, b)
	return out, nil
}

// AppendEncode validates msg and appends its serialization to dst.
func (c *codec) AppendEncode(dst []byte, msg protocol.Message) ([]byte, error) {
	e := getEncoder(c.lim.MaxDepth)
	defer putEncoder(e)
	b, err := c.appendMsg(e, dst, msg)
	if err != nil {
		return dst, err
	}
	return b, nil
}

func (c *codec) appendMsg(e *encoder, dst []byte, msg protocol.Message) ([]byte, error) {
	l, err := protocol.ToList(msg)
	if err != nil {
		return dst, &EncodeError{Codec: c.f.name(), Err: err}
	}
	b, err := c.f.appendList(e, dst, l)
	if err != nil {
		return dst, &EncodeError{Codec: c.f.name(), Err: err}
	}
	return b, nil
}

// encoder is the scratch state of one Encode call, pooled.
type encoder struct {
	buf      []byte // output buffer of Encode
	pairs    []pair // dict entries being sorted, a stack shared by nesting levels
	maxDepth int
}

// pair is one dict entry.
type pair struct {
	k string
	v any
}

// Pooled buffers larger than these are dropped rather than kept.
const (
	maxPooledBuf   = 64 << 10
	maxPooledPairs = 1024
)

var encoderPool = sync.Pool{New: func() any { return new(encoder) }}

func getEncoder(maxDepth int) *encoder {
	e := encoderPool.Get().(*encoder)
	e.maxDepth = maxDepth
	return e
}

func putEncoder(e *encoder) {
	if cap(e.buf) > maxPooledBuf {
		e.buf = nil
	}
	clear(e.pairs)
	e.pairs = e.pairs[:0]
	if cap(e.pairs) > maxPooledPairs {
		e.pairs = nil
	}
	encoderPool.Put(e)
}

// pushPairs pushes the entries of m on e.pairs, sorted by cmp, and
// returns the index of the first one; the caller reads e.pairs[base+i]
// (nested calls may move e.pairs) and truncates e.pairs to base when done.
func (e *encoder) pushPairs(m map[string]any, cmp func(a, b pair) int) int {
	base := len(e.pairs)
	for k, v := range m {
		e.pairs = append(e.pairs, pair{k, v})
	}
	if len(m) > 1 {
		slices.SortFunc(e.pairs[base:], cmp)
	}
	return base
}

// popPairs drops the entries pushed at base.
func (e *encoder) popPairs(base int) {
	clear(e.pairs[base:])
	e.pairs = e.pairs[:base]
}

// byKey orders dict entries by key, bytewise.
func byKey(a, b pair) int { return strings.Compare(a.k, b.k) }

// byLenKey orders dict entries shorter key first, then bytewise: the order
// of RFC 8949 core deterministic encoding for text keys.
func byLenKey(a, b pair) int {
	if len(a.k) != len(b.k) {
		return len(a.k) - len(b.k)
	}
	return strings.Compare(a.k, b.k)
}

// AppendValue appends the serialization of the single value v to dst (see
// ValueAppender).
func (c *codec) AppendValue(dst []byte, v any) ([]byte, error) {
	e := getEncoder(c.lim.MaxDepth)
	defer putEncoder(e)
	start := len(dst)
	// Every format writes a one-element list as a one-byte header ('[',
	// 0x91, 0x81), the element, and for JSON a closing ']'.
	b, err := c.f.appendList(e, dst, []any{v})
	if err != nil {
		return dst, &EncodeError{Codec: c.f.name(), Err: err}
	}
	b = append(b[:start], b[start+1:]...)
	if !c.f.binary() {
		b = b[:len(b)-1]
	}
	return b, nil
}
