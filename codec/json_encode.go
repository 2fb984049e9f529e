package codec

import (
	"bytes"
	"encoding/base64"
	"math"
	"strconv"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/wampgo/wampgo/protocol"
)

// jsonEncoder is the state of one encoding (part of the pooled
// encodeState): the dict entries being sorted.
type jsonEncoder struct {
	pairs    pairStack
	maxDepth int
	// A message written as a protocol.ListWriter: the bytes so far, the
	// first error, and whether an element was written.
	out     []byte
	err     error
	started bool
}

// appendList appends l as appendValue(st, dst, l, 1) would.
func (f jsonFormat) appendList(st *encodeState, dst []byte, l []any) ([]byte, error) {
	e := &st.json
	e.maxDepth = f.maxDepth
	b, err := e.list(dst, l, 1)
	if err != nil {
		return dst, err
	}
	return b, nil
}

// appendMessage writes msg's list form straight into dst: the encoder is
// msg's protocol.ListWriter, and no list is built.
func (f jsonFormat) appendMessage(st *encodeState, dst []byte, msg protocol.Message) ([]byte, error) {
	e := &st.json
	e.maxDepth, e.out, e.err, e.started = f.maxDepth, dst, nil, false
	err := protocol.WriteList(msg, e)
	if err == nil {
		err = e.err
	}
	b := append(e.out, ']')
	e.out, e.err = nil, nil
	if err != nil {
		return dst, err
	}
	return b, nil
}

// The protocol.ListWriter methods write the elements of a message's list,
// which sits at nesting level 1, as appendValue would write the list; the
// first error is kept in e.err and ends the writing.

func (e *jsonEncoder) BeginList(int) {
	if e.maxDepth < 1 {
		e.err = ErrTooDeep
	}
	e.out = append(e.out, '[')
}

// next starts an element: false when an earlier one failed.
func (e *jsonEncoder) next() bool {
	if e.err != nil {
		return false
	}
	if e.started {
		e.out = append(e.out, ',')
	}
	e.started = true
	return true
}

func (e *jsonEncoder) Int(v int64) {
	if e.next() {
		e.out = strconv.AppendInt(e.out, v, 10)
	}
}

func (e *jsonEncoder) String(s string) {
	if e.next() {
		e.out, e.err = e.str(e.out, s)
	}
}

func (e *jsonEncoder) Dict(d protocol.Dict) {
	if e.next() {
		e.out, e.err = e.dict(e.out, d, 2)
	}
}

func (e *jsonEncoder) List(l protocol.List) {
	if e.next() {
		e.out, e.err = e.list(e.out, l, 1)
	}
}

func (e *jsonEncoder) Bytes(b []byte) {
	if e.next() {
		e.out, e.err = e.value(e.out, b, 1)
	}
}

// appendValue appends v as compact JSON, not HTML-escaped, dict keys in
// bytewise order. jsontext quotes strings (checking UTF-8, escaping what
// JSON requires and no more); floats are written so that they always
// read back as floats.
func (f jsonFormat) appendValue(st *encodeState, dst []byte, v any, depth int) ([]byte, error) {
	e := &st.json
	e.maxDepth = f.maxDepth
	b, err := e.value(dst, v, depth)
	if err != nil {
		return dst, err
	}
	return b, nil
}

func (e *jsonEncoder) value(b []byte, v any, depth int) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		return strconv.AppendBool(b, v), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case uint64:
		return strconv.AppendUint(b, v, 10), nil
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return b, unsupported("JSON cannot carry NaN or an infinity")
		}
		return appendJSONFloat(b, v), nil
	case string:
		return e.str(b, v)
	case []byte:
		b = append(b, `"\u0000`...)
		b = base64.StdEncoding.AppendEncode(b, v)
		return append(b, '"'), nil
	case []any:
		return e.list(b, v, depth)
	case map[string]any:
		return e.dict(b, v, depth+1)
	}
	// Other Go values (int, []string, map[string]int, structs, …) are
	// converted with Normalize; what it cannot convert is refused with its
	// *ValueError.
	nv, err := normalizeForeign(v)
	if err != nil {
		return b, err
	}
	return e.value(b, nv, depth)
}

// str appends the string value s; one that would read back as binary (a
// NUL, then base64) is refused.
func (e *jsonEncoder) str(b []byte, s string) ([]byte, error) {
	if len(s) > 0 && s[0] == 0 {
		if _, binary := decodeBase64([]byte(s[1:])); binary {
			return b, unsupported(`JSON string of NUL and base64 (it would read back as binary)`)
		}
	}
	return appendJSONString(b, s)
}

// list appends l, an element of a list or dict at level depth.
func (e *jsonEncoder) list(b []byte, l []any, depth int) ([]byte, error) {
	if depth+1 > e.maxDepth {
		return b, ErrTooDeep
	}
	b = append(b, '[')
	for i, x := range l {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = e.value(b, x, depth+1); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

// appendJSONString appends s quoted by jsontext, which refuses invalid
// UTF-8.
func appendJSONString(b []byte, s string) ([]byte, error) {
	out, err := jsontext.AppendQuote(b, s)
	if err != nil {
		return b, errInvalidUTF8Value
	}
	return out, nil
}

func (e *jsonEncoder) dict(b []byte, m map[string]any, depth int) ([]byte, error) {
	if depth > e.maxDepth {
		return b, ErrTooDeep
	}
	b = append(b, '{')
	base := e.pairs.push(m)
	defer e.pairs.pop(base)
	for i := range len(m) {
		p := e.pairs[base+i]
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendJSONString(b, p.k); err != nil {
			return b, err
		}
		b = append(b, ':')
		if b, err = e.value(b, p.v, depth); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

// appendJSONFloat appends f (finite) in the shortest form that reads back
// as the same float64, always with a fraction or an exponent so that it
// reads back as a float, not an integer.
func appendJSONFloat(b []byte, f float64) []byte {
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		start := len(b)
		b = strconv.AppendFloat(b, f, 'e', -1, 64)
		// 1e-07 -> 1e-7, as encoding/json writes it.
		if n := len(b) - start; n >= 4 && b[len(b)-4] == 'e' && b[len(b)-3] == '-' && b[len(b)-2] == '0' {
			b[len(b)-2] = b[len(b)-1]
			b = b[:len(b)-1]
		}
		return b
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'f', -1, 64)
	if bytes.IndexByte(b[start:], '.') < 0 {
		b = append(b, '.', '0')
	}
	return b
}
