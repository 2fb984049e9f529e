package codec

import (
	"bytes"
	"unicode/utf8"

	"github.com/wampgo/wampgo/protocol"
)

// appendList appends l through the library's encoder (boxed: the library
// takes an interface).
func (f cborFormat) appendList(st *encodeState, dst []byte, l []any) ([]byte, error) {
	return f.appendValue(st, dst, l, 1)
}

// appendMessage appends msg's list form through the library's encoder.
func (f cborFormat) appendMessage(st *encodeState, dst []byte, msg protocol.Message) ([]byte, error) {
	return appendListForm(f, st, dst, msg)
}

// appendValue appends v through the library's encoder (definite lengths,
// integers in their shortest form, dict keys in RFC 8949 core
// deterministic order, floats as 64-bit floats), once encodable has
// checked it against the closed set and the limits: the library would
// encode a struct, a cyclic value or invalid UTF-8 without complaint.
func (f cborFormat) appendValue(st *encodeState, dst []byte, v any, depth int) ([]byte, error) {
	foreign, err := f.encodable(v, depth)
	if err != nil {
		return dst, err
	}
	if foreign {
		// Common Go types (int, float32, []string, map[string]int, …)
		// are converted to the documented ones; anything else is refused.
		if v, err = Normalize(v); err != nil {
			return dst, err
		}
		if _, err := f.encodable(v, depth); err != nil {
			return dst, err
		}
	}
	// The library appends to the buffer, which starts as dst (so the
	// bytes land in dst's spare capacity) and is dropped afterwards.
	st.cbor = *bytes.NewBuffer(dst)
	err = f.em.MarshalToBuffer(v, &st.cbor)
	b := st.cbor.Bytes()
	st.cbor = bytes.Buffer{}
	if err != nil {
		return dst, err
	}
	return b, nil
}

// encodable checks v, whose own list or dict sits at level depth+1: it
// reports an error for a value that Encode refuses, and foreign when v
// holds a value outside the closed set that Normalize may convert. The
// scalars of lists and dicts are checked in the loops, without a call.
func (f cborFormat) encodable(v any, depth int) (foreign bool, err error) {
	switch v := v.(type) {
	case nil, bool, int64, uint64, float64, []byte:
		return false, nil
	case string:
		if !utf8.ValidString(v) {
			return false, errInvalidUTF8Value
		}
		return false, nil
	case []any:
		if depth+1 > f.maxDepth {
			return false, ErrTooDeep
		}
		for _, e := range v {
			switch e := e.(type) {
			case nil, bool, int64, uint64, float64, []byte:
				continue
			case string:
				if !utf8.ValidString(e) {
					return false, errInvalidUTF8Value
				}
				continue
			}
			fe, err := f.encodable(e, depth+1)
			if err != nil {
				return false, err
			}
			foreign = foreign || fe
		}
		return foreign, nil
	case map[string]any:
		if depth+1 > f.maxDepth {
			return false, ErrTooDeep
		}
		for k, e := range v {
			if !utf8.ValidString(k) {
				return false, errInvalidUTF8Value
			}
			switch e := e.(type) {
			case nil, bool, int64, uint64, float64, []byte:
				continue
			case string:
				if !utf8.ValidString(e) {
					return false, errInvalidUTF8Value
				}
				continue
			}
			fe, err := f.encodable(e, depth+1)
			if err != nil {
				return false, err
			}
			foreign = foreign || fe
		}
		return foreign, nil
	}
	return true, nil
}
