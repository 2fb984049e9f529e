package codec

import (
	"math"
	"unicode/utf8"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/wampgo/wampgo/protocol"
)

// msgpackEncoder is the state of one encoding (part of the pooled
// encodeState): the library's Encoder writing to w, and the dict entries
// being sorted.
type msgpackEncoder struct {
	w        appendWriter
	enc      *msgpack.Encoder
	pairs    pairStack
	maxDepth int
	err      error // the first error of a message written as a protocol.ListWriter
}

// init makes the library's Encoder, once per pooled state.
func (e *msgpackEncoder) init() {
	e.enc = msgpack.NewEncoder(&e.w)
	e.enc.UseCompactInts(true) // every integer in its shortest form
}

// appendValue appends v: integers in their shortest form, floats as
// 64-bit floats, dict keys in bytewise order.
func (f msgpackFormat) appendValue(st *encodeState, dst []byte, v any, depth int) ([]byte, error) {
	e := &st.mp
	e.w.b, e.maxDepth = dst, f.maxDepth
	err := e.value(v, depth)
	b := e.w.b
	e.w.b = nil
	if err != nil {
		return dst, err
	}
	return b, nil
}

// appendList appends l as appendValue(st, dst, l, 1) would.
func (f msgpackFormat) appendList(st *encodeState, dst []byte, l []any) ([]byte, error) {
	e := &st.mp
	e.w.b, e.maxDepth = dst, f.maxDepth
	err := e.list(l, 1)
	b := e.w.b
	e.w.b = nil
	if err != nil {
		return dst, err
	}
	return b, nil
}

// appendMessage writes msg's list form straight into dst: the encoder is
// msg's protocol.ListWriter, and no list is built.
func (f msgpackFormat) appendMessage(st *encodeState, dst []byte, msg protocol.Message) ([]byte, error) {
	e := &st.mp
	e.w.b, e.maxDepth, e.err = dst, f.maxDepth, nil
	err := protocol.WriteList(msg, e)
	if err == nil {
		err = e.err
	}
	b := e.w.b
	e.w.b, e.err = nil, nil
	if err != nil {
		return dst, err
	}
	return b, nil
}

// The protocol.ListWriter methods write the elements of a message's list,
// which sits at nesting level 1, as appendValue would write the list; the
// first error is kept in e.err and ends the writing.

func (e *msgpackEncoder) BeginList(n int) {
	if e.err == nil && e.maxDepth < 1 {
		e.err = ErrTooDeep
	}
	if e.err == nil {
		e.err = e.enc.EncodeArrayLen(n)
	}
}

func (e *msgpackEncoder) Int(v int64) {
	switch {
	case e.err != nil:
	case v >= 0:
		e.err = e.enc.EncodeUint(uint64(v)) // as value writes an int64
	default:
		e.err = e.enc.EncodeInt(v)
	}
}

func (e *msgpackEncoder) String(s string) {
	if e.err == nil {
		e.err = e.str(s)
	}
}

func (e *msgpackEncoder) Dict(d protocol.Dict) {
	if e.err == nil {
		e.err = e.dict(d, 2)
	}
}

func (e *msgpackEncoder) List(l protocol.List) {
	if e.err == nil {
		e.err = e.list(l, 1)
	}
}

func (e *msgpackEncoder) Bytes(b []byte) {
	if e.err == nil {
		e.err = e.value(b, 1)
	}
}

func (e *msgpackEncoder) value(v any, depth int) error {
	switch v := v.(type) {
	case nil:
		return e.enc.EncodeNil()
	case bool:
		return e.enc.EncodeBool(v)
	case int64:
		if v >= 0 {
			return e.enc.EncodeUint(uint64(v)) // what EncodeInt does, a call less
		}
		return e.enc.EncodeInt(v)
	case uint64:
		return e.enc.EncodeUint(v)
	case float64:
		return e.enc.EncodeFloat64(v)
	case string:
		return e.str(v)
	case []byte:
		if len(v) > math.MaxUint32 {
			return unsupported("binary longer than 2^32-1 bytes")
		}
		if v == nil {
			v = []byte{} // the library writes nil for a nil slice
		}
		return e.enc.EncodeBytes(v)
	case []any:
		return e.list(v, depth)
	case map[string]any:
		return e.dict(v, depth+1)
	}
	// Other Go values (int, []string, map[string]int, structs, …) are
	// converted with Normalize; what it cannot convert is refused with its
	// *ValueError.
	nv, err := normalizeForeign(v)
	if err != nil {
		return err
	}
	return e.value(nv, depth)
}

// list writes l, an element of a list or dict at level depth.
func (e *msgpackEncoder) list(l []any, depth int) error {
	if depth+1 > e.maxDepth {
		return ErrTooDeep
	}
	if err := e.enc.EncodeArrayLen(len(l)); err != nil {
		return err
	}
	for _, x := range l {
		if err := e.value(x, depth+1); err != nil {
			return err
		}
	}
	return nil
}

func (e *msgpackEncoder) str(s string) error {
	if !utf8.ValidString(s) {
		return errInvalidUTF8Value
	}
	if len(s) > math.MaxUint32 {
		return unsupported("string longer than 2^32-1 bytes")
	}
	return e.enc.EncodeString(s)
}

func (e *msgpackEncoder) dict(m map[string]any, depth int) error {
	if depth > e.maxDepth {
		return ErrTooDeep
	}
	if err := e.enc.EncodeMapLen(len(m)); err != nil {
		return err
	}
	base := e.pairs.push(m)
	defer e.pairs.pop(base)
	for i := range len(m) {
		p := e.pairs[base+i]
		if err := e.str(p.k); err != nil {
			return err
		}
		if err := e.value(p.v, depth); err != nil {
			return err
		}
	}
	return nil
}

// appendWriter is an io.Writer and io.ByteWriter appending to b.
type appendWriter struct{ b []byte }

func (w *appendWriter) Write(p []byte) (int, error) {
	w.b = append(w.b, p...)
	return len(p), nil
}

func (w *appendWriter) WriteByte(c byte) error {
	w.b = append(w.b, c)
	return nil
}
