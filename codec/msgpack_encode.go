package codec

import (
	"encoding/binary"
	"math"
	"unicode/utf8"
)

// appendList appends l as a MessagePack array, every integer in its
// shortest form.
func (msgpackFormat) appendList(e *encoder, dst []byte, l []any) ([]byte, error) {
	return e.msgpackList(dst, l, 1)
}

func (e *encoder) msgpackValue(b []byte, v any, depth int) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, 0xc0), nil
	case bool:
		if v {
			return append(b, 0xc3), nil
		}
		return append(b, 0xc2), nil
	case int64:
		return appendMsgpackInt(b, v), nil
	case uint64:
		return appendMsgpackUint(b, v), nil
	case float64:
		b = append(b, 0xcb)
		return binary.BigEndian.AppendUint64(b, math.Float64bits(v)), nil
	case string:
		return appendMsgpackString(b, v)
	case []byte:
		if len(v) > math.MaxUint32 {
			return b, unsupported("binary longer than 2^32-1 bytes")
		}
		b = appendMsgpackHeader(b, len(v), -1, 0xc4, 0xc5, 0xc6, 0)
		return append(b, v...), nil
	case []any:
		return e.msgpackList(b, v, depth+1)
	case map[string]any:
		return e.msgpackDict(b, v, depth+1)
	}
	// Common Go types (int, float32, []string, map[string]int, …) are
	// converted to the documented ones; anything else is refused.
	if nv, ok := normalizeForeign(v); ok {
		return e.msgpackValue(b, nv, depth)
	}
	return b, unsupportedType(v)
}

// appendMsgpackHeader appends the header of a str, bin, array or map of
// length n: fixed (fix|n) when n <= fixMax, else the 8-, 16- or 32-bit form
// (fixMax -1 for types without a fixed form, code8 0 for types without an
// 8-bit form). n must be at most math.MaxUint32.
func appendMsgpackHeader(b []byte, n, fixMax int, code8, code16, code32, fix byte) []byte {
	switch {
	case n <= fixMax:
		return append(b, fix|byte(n))
	case n <= math.MaxUint8 && code8 != 0:
		return append(b, code8, byte(n))
	case n <= math.MaxUint16:
		return append(b, code16, byte(n>>8), byte(n))
	}
	b = append(b, code32)
	return binary.BigEndian.AppendUint32(b, uint32(n))
}

func appendMsgpackUint(b []byte, u uint64) []byte {
	switch {
	case u <= 0x7f:
		return append(b, byte(u))
	case u <= math.MaxUint8:
		return append(b, 0xcc, byte(u))
	case u <= math.MaxUint16:
		return append(b, 0xcd, byte(u>>8), byte(u))
	case u <= math.MaxUint32:
		b = append(b, 0xce)
		return binary.BigEndian.AppendUint32(b, uint32(u))
	}
	b = append(b, 0xcf)
	return binary.BigEndian.AppendUint64(b, u)
}

func appendMsgpackInt(b []byte, n int64) []byte {
	switch {
	case n >= 0:
		return appendMsgpackUint(b, uint64(n))
	case n >= -32:
		return append(b, byte(n))
	case n >= math.MinInt8:
		return append(b, 0xd0, byte(n))
	case n >= math.MinInt16:
		return append(b, 0xd1, byte(n>>8), byte(n))
	case n >= math.MinInt32:
		b = append(b, 0xd2)
		return binary.BigEndian.AppendUint32(b, uint32(n))
	}
	b = append(b, 0xd3)
	return binary.BigEndian.AppendUint64(b, uint64(n))
}

func appendMsgpackString(b []byte, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return b, unsupported("string that is not valid UTF-8")
	}
	if len(s) > math.MaxUint32 {
		return b, unsupported("string longer than 2^32-1 bytes")
	}
	b = appendMsgpackHeader(b, len(s), 31, 0xd9, 0xda, 0xdb, 0xa0)
	return append(b, s...), nil
}

func (e *encoder) msgpackList(b []byte, l []any, depth int) ([]byte, error) {
	if depth > e.maxDepth {
		return b, ErrTooDeep
	}
	b = appendMsgpackHeader(b, len(l), 15, 0, 0xdc, 0xdd, 0x90)
	for _, v := range l {
		var err error
		if b, err = e.msgpackValue(b, v, depth); err != nil {
			return b, err
		}
	}
	return b, nil
}

func (e *encoder) msgpackDict(b []byte, m map[string]any, depth int) ([]byte, error) {
	if depth > e.maxDepth {
		return b, ErrTooDeep
	}
	b = appendMsgpackHeader(b, len(m), 15, 0, 0xde, 0xdf, 0x80)
	base := e.pushPairs(m, byKey)
	defer e.popPairs(base)
	for i := range len(m) {
		p := e.pairs[base+i]
		var err error
		if b, err = appendMsgpackString(b, p.k); err != nil {
			return b, err
		}
		if b, err = e.msgpackValue(b, p.v, depth); err != nil {
			return b, err
		}
	}
	return b, nil
}
