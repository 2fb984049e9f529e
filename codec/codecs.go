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

// format is what a serializer implements on top of its library: the
// mapping between the closed value set and the library's values, under
// the codec's limits.
type format interface {
	name() string
	subprotocol() string
	binary() bool
	// appendValue appends the serialization of v, whose own list or dict
	// (if it is one) sits at nesting level depth+1.
	appendValue(dst []byte, v any, depth int) ([]byte, error)
	// decode parses data, which must hold exactly one list, and converts
	// the list with fromList. len(data) is within the size limit.
	decode(data []byte) (protocol.Message, error)
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
	AppendValue(dst []byte, v any) ([]byte, error)
} = (*codec)(nil)

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
	return c.f.decode(data)
}

// Encode validates msg and serializes it into a new slice.
func (c *codec) Encode(msg protocol.Message) ([]byte, error) {
	buf := getBuf()
	defer putBuf(buf)
	b, err := c.AppendEncode(buf.b[:0], msg)
	buf.b = b[:0]
	if err != nil {
		return nil, err
	}
	return slices.Clone(b), nil
}

// AppendEncode validates msg and appends its serialization to dst.
func (c *codec) AppendEncode(dst []byte, msg protocol.Message) ([]byte, error) {
	l, err := protocol.ToList(msg)
	if err != nil {
		return dst, &EncodeError{Codec: c.f.name(), Err: err}
	}
	b, err := c.f.appendValue(dst, l, 0)
	if err != nil {
		return dst, &EncodeError{Codec: c.f.name(), Err: err}
	}
	return b, nil
}

// AppendValue appends the serialization of one value to dst, with the
// rules of Encode: v is of the closed value set or a type Normalize
// converts, and it nests as an element of a message does (its own list or
// dict counts as level 2 toward Limits.MaxDepth), so that the bytes can be
// spliced into a message. On error the returned slice is dst and the error
// is an *EncodeError. It is safe for concurrent use.
func (c *codec) AppendValue(dst []byte, v any) ([]byte, error) {
	b, err := c.f.appendValue(dst, v, 1)
	if err != nil {
		return dst, &EncodeError{Codec: c.f.name(), Err: err}
	}
	return b, nil
}

// buffer is a pooled output buffer of Encode.
type buffer struct{ b []byte }

// Pooled buffers larger than this are dropped rather than kept.
const maxPooledBuf = 64 << 10

var bufPool = sync.Pool{New: func() any { return new(buffer) }}

func getBuf() *buffer { return bufPool.Get().(*buffer) }

func putBuf(b *buffer) {
	if cap(b.b) > maxPooledBuf {
		b.b = nil
	}
	bufPool.Put(b)
}

// pair is one dict entry.
type pair struct {
	k string
	v any
}

// pairStack holds the dict entries being written in key order, a stack
// shared by the nesting levels of one encoding.
type pairStack []pair

// Pooled pair stacks longer than this are dropped rather than kept.
const maxPooledPairs = 1024

// push pushes the entries of m sorted by key, bytewise, and returns the
// index of the first one; the caller reads (*s)[base+i] (nested calls may
// move the stack) and calls pop(base) when done.
func (s *pairStack) push(m map[string]any) int {
	base := len(*s)
	for k, v := range m {
		*s = append(*s, pair{k, v})
	}
	if len(m) > 1 {
		slices.SortFunc((*s)[base:], func(a, b pair) int { return strings.Compare(a.k, b.k) })
	}
	return base
}

// pop drops the entries pushed at base.
func (s *pairStack) pop(base int) {
	clear((*s)[base:])
	*s = (*s)[:base]
}

// reset empties s for pooling.
func (s *pairStack) reset() {
	s.pop(0)
	if cap(*s) > maxPooledPairs {
		*s = nil
	}
}
