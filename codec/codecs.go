package codec

import (
	"bytes"
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
	// (if it is one) sits at nesting level depth+1, with the scratch state
	// st (owned by the caller for the duration of the call).
	appendValue(st *encodeState, dst []byte, v any, depth int) ([]byte, error)
	// appendMessage appends the serialization of msg, which it validates
	// first (protocol.WriteList), with the scratch state st. The error is
	// the *protocol.ValidationError or the encoding's error, unwrapped.
	appendMessage(st *encodeState, dst []byte, msg protocol.Message) ([]byte, error)
	// appendList is appendValue of a list at depth 1 (a payload's
	// Arguments), without boxing it in an interface.
	appendList(st *encodeState, dst []byte, l []any) ([]byte, error)
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
	st := getEncodeState()
	b, err := c.appendEncode(st, st.buf[:0], msg)
	st.buf = b[:0]
	var out []byte
	if err == nil {
		out = slices.Clone(b)
	}
	putEncodeState(st)
	return out, err
}

// AppendEncode validates msg and appends its serialization to dst.
func (c *codec) AppendEncode(dst []byte, msg protocol.Message) ([]byte, error) {
	st := getEncodeState()
	b, err := c.appendEncode(st, dst, msg)
	putEncodeState(st)
	return b, err
}

func (c *codec) appendEncode(st *encodeState, dst []byte, msg protocol.Message) ([]byte, error) {
	b, err := c.f.appendMessage(st, dst, msg)
	if err != nil {
		return dst, &EncodeError{Codec: c.f.name(), Err: err}
	}
	return b, nil
}

// appendListForm is the appendMessage of a format without a
// protocol.ListWriter of its own: msg's list form is built and appended as
// a value.
func appendListForm(f format, st *encodeState, dst []byte, msg protocol.Message) ([]byte, error) {
	l, err := protocol.ToList(msg)
	if err != nil {
		return dst, err
	}
	return f.appendValue(st, dst, l, 0)
}

// AppendValue appends the serialization of one value to dst, with the
// rules of Encode: v is of the closed value set or a type Normalize
// converts, and it nests as an element of a message does (its own list or
// dict counts as level 2 toward Limits.MaxDepth), so that the bytes can be
// spliced into a message. On error the returned slice is dst and the error
// is an *EncodeError. It is safe for concurrent use.
func (c *codec) AppendValue(dst []byte, v any) ([]byte, error) {
	st := getEncodeState()
	b, err := c.f.appendValue(st, dst, v, 1)
	putEncodeState(st)
	if err != nil {
		return dst, &EncodeError{Codec: c.f.name(), Err: err}
	}
	return b, nil
}

// appendArgs is AppendValue for a payload's Arguments, l, which it does
// not box in an interface (one allocation less per payload).
func (c *codec) appendArgs(dst []byte, l []any) ([]byte, error) {
	st := getEncodeState()
	b, err := c.f.appendList(st, dst, l)
	putEncodeState(st)
	if err != nil {
		return dst, &EncodeError{Codec: c.f.name(), Err: err}
	}
	return b, nil
}

// encodeState is the pooled scratch state of one encoding, whatever the
// codec: one pool round trip per call.
type encodeState struct {
	buf  []byte // Encode's output buffer
	json jsonEncoder
	mp   msgpackEncoder
	cbor bytes.Buffer
}

// Pooled buffers larger than this are dropped rather than kept.
const maxPooledBuf = 64 << 10

var encodeStatePool = sync.Pool{New: func() any {
	st := new(encodeState)
	st.mp.init()
	return st
}}

func getEncodeState() *encodeState { return encodeStatePool.Get().(*encodeState) }

func putEncodeState(st *encodeState) {
	if cap(st.buf) > maxPooledBuf {
		st.buf = nil
	}
	st.json.pairs.reset()
	st.mp.pairs.reset()
	st.mp.w.b = nil
	st.cbor = bytes.Buffer{}
	encodeStatePool.Put(st)
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

// maxPooledTop bounds the message list a pooled decoder keeps: a message
// has at most seven elements; a longer list (refused by fromList) is not
// kept.
const maxPooledTop = 8

// reuseTop readies a decoder's message list for the next message: its
// elements are dropped (the message holds them now), and a list grown past
// maxPooledTop is not kept.
func reuseTop(l []any) []any {
	if cap(l) > maxPooledTop {
		return nil
	}
	clear(l)
	return l[:0]
}

// maxPooledStack bounds the element stack a pooled JSON decoder keeps.
const maxPooledStack = 256

// reuseStack empties a decoder's element stack for the next message,
// dropping one a large message grew.
func reuseStack(s []any) []any {
	if cap(s) > maxPooledStack {
		return nil
	}
	clear(s)
	return s[:0]
}
