package codec

import (
	"math"
	"unicode/utf8"

	"github.com/vmihailenco/msgpack/v5"
)

// msgpackEncoder is the state of one encoding (part of the pooled
// encodeState): the library's Encoder writing to w, and the dict entries
// being sorted.
type msgpackEncoder struct {
	w        appendWriter
	enc      *msgpack.Encoder
	pairs    pairStack
	maxDepth int
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
		if depth+1 > e.maxDepth {
			return ErrTooDeep
		}
		if err := e.enc.EncodeArrayLen(len(v)); err != nil {
			return err
		}
		for _, x := range v {
			if err := e.value(x, depth+1); err != nil {
				return err
			}
		}
		return nil
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
