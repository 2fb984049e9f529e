package codec

import (
	"encoding/binary"
	"math"
	"unicode/utf8"
)

// appendList appends l as a CBOR array: definite lengths, integers in
// their shortest form, dict keys in RFC 8949 core deterministic order,
// floats as 64-bit floats.
func (cborFormat) appendList(e *encoder, dst []byte, l []any) ([]byte, error) {
	return e.cborList(dst, l, 1)
}

// appendCBORHead appends a head of the major type with argument n in its
// shortest form.
func appendCBORHead(b []byte, major byte, n uint64) []byte {
	m := major << 5
	switch {
	case n < 24:
		return append(b, m|byte(n))
	case n <= math.MaxUint8:
		return append(b, m|24, byte(n))
	case n <= math.MaxUint16:
		return append(b, m|25, byte(n>>8), byte(n))
	case n <= math.MaxUint32:
		b = append(b, m|26)
		return binary.BigEndian.AppendUint32(b, uint32(n))
	}
	b = append(b, m|27)
	return binary.BigEndian.AppendUint64(b, n)
}

func (e *encoder) cborValue(b []byte, v any, depth int) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, 0xf6), nil
	case bool:
		if v {
			return append(b, 0xf5), nil
		}
		return append(b, 0xf4), nil
	case int64:
		if v >= 0 {
			return appendCBORHead(b, cborUint, uint64(v)), nil
		}
		return appendCBORHead(b, cborNeg, uint64(^v)), nil // -1 - v
	case uint64:
		return appendCBORHead(b, cborUint, v), nil
	case float64:
		b = append(b, 0xfb)
		return binary.BigEndian.AppendUint64(b, math.Float64bits(v)), nil
	case string:
		return appendCBORText(b, v)
	case []byte:
		b = appendCBORHead(b, cborBytes, uint64(len(v)))
		return append(b, v...), nil
	case []any:
		return e.cborList(b, v, depth+1)
	case map[string]any:
		return e.cborDict(b, v, depth+1)
	}
	// Common Go types (int, float32, []string, map[string]int, …) are
	// converted to the documented ones; anything else is refused.
	if nv, ok := normalizeForeign(v); ok {
		return e.cborValue(b, nv, depth)
	}
	return b, unsupportedType(v)
}

func appendCBORText(b []byte, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return b, unsupported("string that is not valid UTF-8")
	}
	b = appendCBORHead(b, cborText, uint64(len(s)))
	return append(b, s...), nil
}

func (e *encoder) cborList(b []byte, l []any, depth int) ([]byte, error) {
	if depth > e.maxDepth {
		return b, ErrTooDeep
	}
	b = appendCBORHead(b, cborArray, uint64(len(l)))
	for _, v := range l {
		var err error
		if b, err = e.cborValue(b, v, depth); err != nil {
			return b, err
		}
	}
	return b, nil
}

func (e *encoder) cborDict(b []byte, m map[string]any, depth int) ([]byte, error) {
	if depth > e.maxDepth {
		return b, ErrTooDeep
	}
	b = appendCBORHead(b, cborMap, uint64(len(m)))
	base := e.pushPairs(m, byLenKey)
	defer e.popPairs(base)
	for i := range len(m) {
		p := e.pairs[base+i]
		var err error
		if b, err = appendCBORText(b, p.k); err != nil {
			return b, err
		}
		if b, err = e.cborValue(b, p.v, depth); err != nil {
			return b, err
		}
	}
	return b, nil
}
