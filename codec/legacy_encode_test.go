package codec

// The hand-written encoders that the library-based ones replaced, kept
// only as the reference of TestDifferentialEncode (differential_test.go).

import (
	"encoding/base64"
	"encoding/binary"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// appendList appends l as a compact JSON array.
func legacyAppendJSON(e *legacyEncoder, dst []byte, l []any) ([]byte, error) {
	return e.jsonList(dst, l, 1)
}

func (e *legacyEncoder) jsonValue(b []byte, v any, depth int) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case bool:
		if v {
			return append(b, "true"...), nil
		}
		return append(b, "false"...), nil
	case int64:
		return strconv.AppendInt(b, v, 10), nil
	case uint64:
		return strconv.AppendUint(b, v, 10), nil
	case float64:
		return legacyAppendJSONFloat(b, v)
	case string:
		if len(v) > 0 && v[0] == 0 {
			return b, unsupported(`JSON string starting with NUL (it would read back as binary)`)
		}
		return legacyAppendJSONString(b, v)
	case []byte:
		b = append(b, `"\u0000`...)
		b = base64.StdEncoding.AppendEncode(b, v)
		return append(b, '"'), nil
	case []any:
		return e.jsonList(b, v, depth+1)
	case map[string]any:
		return e.jsonDict(b, v, depth+1)
	}
	// Common Go types (int, float32, []string, map[string]int, …) are
	// converted to the documented ones; anything else is refused.
	if nv, ok := normalizeForeign(v); ok {
		return e.jsonValue(b, nv, depth)
	}
	return b, unsupportedType(v)
}

func (e *legacyEncoder) jsonList(b []byte, l []any, depth int) ([]byte, error) {
	if depth > e.maxDepth {
		return b, ErrTooDeep
	}
	b = append(b, '[')
	for i, v := range l {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = e.jsonValue(b, v, depth); err != nil {
			return b, err
		}
	}
	return append(b, ']'), nil
}

func (e *legacyEncoder) jsonDict(b []byte, m map[string]any, depth int) ([]byte, error) {
	if depth > e.maxDepth {
		return b, ErrTooDeep
	}
	b = append(b, '{')
	base := e.pushPairs(m, legacyByKey)
	defer e.popPairs(base)
	for i := range len(m) {
		p := e.pairs[base+i]
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = legacyAppendJSONString(b, p.k); err != nil {
			return b, err
		}
		b = append(b, ':')
		if b, err = e.jsonValue(b, p.v, depth); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

const legacyHexDigits = "0123456789abcdef"

// legacyAppendJSONString appends s quoted, escaping only what JSON requires:
// '"', '\\' and control characters (no HTML escaping). s must be valid
// UTF-8.
func legacyAppendJSONString(b []byte, s string) ([]byte, error) {
	b = append(b, '"')
	lit, high := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if legacyJSONPlain[c] {
			continue
		}
		if c >= 0x80 {
			high = true
			continue
		}
		b = append(b, s[lit:i]...)
		lit = i + 1
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', legacyHexDigits[c>>4], legacyHexDigits[c&0xf])
		}
	}
	if high && !utf8.ValidString(s) {
		return b, unsupported("string that is not valid UTF-8")
	}
	b = append(b, s[lit:]...)
	return append(b, '"'), nil
}

// legacyAppendJSONFloat appends f in the shortest form that reads back as the
// same float64, always with a fraction or an exponent so that it reads
// back as a float, not an integer.
func legacyAppendJSONFloat(b []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return b, unsupported("JSON cannot carry NaN or an infinity")
	}
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		start := len(b)
		b = strconv.AppendFloat(b, f, 'e', -1, 64)
		// 1e-07 -> 1e-7, as encoding/json writes it.
		if n := len(b) - start; n >= 4 && b[len(b)-4] == 'e' && b[len(b)-3] == '-' && b[len(b)-2] == '0' {
			b[len(b)-2] = b[len(b)-1]
			b = b[:len(b)-1]
		}
		return b, nil
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'f', -1, 64)
	for _, c := range b[start:] {
		if c == '.' {
			return b, nil
		}
	}
	return append(b, '.', '0'), nil
}

// appendList appends l as a MessagePack array, every integer in its
// shortest form.
func legacyAppendMsgpack(e *legacyEncoder, dst []byte, l []any) ([]byte, error) {
	return e.msgpackList(dst, l, 1)
}

func (e *legacyEncoder) msgpackValue(b []byte, v any, depth int) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, 0xc0), nil
	case bool:
		if v {
			return append(b, 0xc3), nil
		}
		return append(b, 0xc2), nil
	case int64:
		return legacyAppendMsgpackInt(b, v), nil
	case uint64:
		return legacyAppendMsgpackUint(b, v), nil
	case float64:
		b = append(b, 0xcb)
		return binary.BigEndian.AppendUint64(b, math.Float64bits(v)), nil
	case string:
		return legacyAppendMsgpackString(b, v)
	case []byte:
		if len(v) > math.MaxUint32 {
			return b, unsupported("binary longer than 2^32-1 bytes")
		}
		b = legacyAppendMsgpackHeader(b, len(v), -1, 0xc4, 0xc5, 0xc6, 0)
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

// legacyAppendMsgpackHeader appends the header of a str, bin, array or map of
// length n: fixed (fix|n) when n <= fixMax, else the 8-, 16- or 32-bit form
// (fixMax -1 for types without a fixed form, code8 0 for types without an
// 8-bit form). n must be at most math.MaxUint32.
func legacyAppendMsgpackHeader(b []byte, n, fixMax int, code8, code16, code32, fix byte) []byte {
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

func legacyAppendMsgpackUint(b []byte, u uint64) []byte {
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

func legacyAppendMsgpackInt(b []byte, n int64) []byte {
	switch {
	case n >= 0:
		return legacyAppendMsgpackUint(b, uint64(n))
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

func legacyAppendMsgpackString(b []byte, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return b, unsupported("string that is not valid UTF-8")
	}
	if len(s) > math.MaxUint32 {
		return b, unsupported("string longer than 2^32-1 bytes")
	}
	b = legacyAppendMsgpackHeader(b, len(s), 31, 0xd9, 0xda, 0xdb, 0xa0)
	return append(b, s...), nil
}

func (e *legacyEncoder) msgpackList(b []byte, l []any, depth int) ([]byte, error) {
	if depth > e.maxDepth {
		return b, ErrTooDeep
	}
	b = legacyAppendMsgpackHeader(b, len(l), 15, 0, 0xdc, 0xdd, 0x90)
	for _, v := range l {
		var err error
		if b, err = e.msgpackValue(b, v, depth); err != nil {
			return b, err
		}
	}
	return b, nil
}

func (e *legacyEncoder) msgpackDict(b []byte, m map[string]any, depth int) ([]byte, error) {
	if depth > e.maxDepth {
		return b, ErrTooDeep
	}
	b = legacyAppendMsgpackHeader(b, len(m), 15, 0, 0xde, 0xdf, 0x80)
	base := e.pushPairs(m, legacyByKey)
	defer e.popPairs(base)
	for i := range len(m) {
		p := e.pairs[base+i]
		var err error
		if b, err = legacyAppendMsgpackString(b, p.k); err != nil {
			return b, err
		}
		if b, err = e.msgpackValue(b, p.v, depth); err != nil {
			return b, err
		}
	}
	return b, nil
}

// appendList appends l as a CBOR array: definite lengths, integers in
// their shortest form, dict keys in RFC 8949 core deterministic order,
// floats as 64-bit floats.
func legacyAppendCBOR(e *legacyEncoder, dst []byte, l []any) ([]byte, error) {
	return e.cborList(dst, l, 1)
}

// legacyAppendCBORHead appends a head of the major type with argument n in its
// shortest form.
func legacyAppendCBORHead(b []byte, major byte, n uint64) []byte {
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

func (e *legacyEncoder) cborValue(b []byte, v any, depth int) ([]byte, error) {
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
			return legacyAppendCBORHead(b, legacyCBORUint, uint64(v)), nil
		}
		return legacyAppendCBORHead(b, legacyCBORNeg, uint64(^v)), nil // -1 - v
	case uint64:
		return legacyAppendCBORHead(b, legacyCBORUint, v), nil
	case float64:
		b = append(b, 0xfb)
		return binary.BigEndian.AppendUint64(b, math.Float64bits(v)), nil
	case string:
		return legacyAppendCBORText(b, v)
	case []byte:
		b = legacyAppendCBORHead(b, legacyCBORBytes, uint64(len(v)))
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

func legacyAppendCBORText(b []byte, s string) ([]byte, error) {
	if !utf8.ValidString(s) {
		return b, unsupported("string that is not valid UTF-8")
	}
	b = legacyAppendCBORHead(b, legacyCBORText, uint64(len(s)))
	return append(b, s...), nil
}

func (e *legacyEncoder) cborList(b []byte, l []any, depth int) ([]byte, error) {
	if depth > e.maxDepth {
		return b, ErrTooDeep
	}
	b = legacyAppendCBORHead(b, legacyCBORArray, uint64(len(l)))
	for _, v := range l {
		var err error
		if b, err = e.cborValue(b, v, depth); err != nil {
			return b, err
		}
	}
	return b, nil
}

func (e *legacyEncoder) cborDict(b []byte, m map[string]any, depth int) ([]byte, error) {
	if depth > e.maxDepth {
		return b, ErrTooDeep
	}
	b = legacyAppendCBORHead(b, legacyCBORMap, uint64(len(m)))
	base := e.pushPairs(m, legacyByLenKey)
	defer e.popPairs(base)
	for i := range len(m) {
		p := e.pairs[base+i]
		var err error
		if b, err = legacyAppendCBORText(b, p.k); err != nil {
			return b, err
		}
		if b, err = e.cborValue(b, p.v, depth); err != nil {
			return b, err
		}
	}
	return b, nil
}

// legacyEncoder is the scratch state of one Encode call, pooled.
type legacyEncoder struct {
	buf      []byte       // output buffer of Encode
	pairs    []legacyPair // dict entries being sorted, a stack shared by nesting levels
	maxDepth int
}

// legacyPair is one dict entry.
type legacyPair struct {
	k string
	v any
}

// Pooled buffers larger than these are dropped rather than kept.
const (
	legacyMaxPooledPairs = 1024
)

var legacyEncoderPool = sync.Pool{New: func() any { return new(legacyEncoder) }}

func legacyGetEncoder(maxDepth int) *legacyEncoder {
	e := legacyEncoderPool.Get().(*legacyEncoder)
	e.maxDepth = maxDepth
	return e
}

func legacyPutEncoder(e *legacyEncoder) {
	if cap(e.buf) > maxPooledBuf {
		e.buf = nil
	}
	clear(e.pairs)
	e.pairs = e.pairs[:0]
	if cap(e.pairs) > legacyMaxPooledPairs {
		e.pairs = nil
	}
	legacyEncoderPool.Put(e)
}

// pushPairs pushes the entries of m on e.pairs, sorted by cmp, and
// returns the index of the first one; the caller reads e.pairs[base+i]
// (nested calls may move e.pairs) and truncates e.pairs to base when done.
func (e *legacyEncoder) pushPairs(m map[string]any, cmp func(a, b legacyPair) int) int {
	base := len(e.pairs)
	for k, v := range m {
		e.pairs = append(e.pairs, legacyPair{k, v})
	}
	if len(m) > 1 {
		slices.SortFunc(e.pairs[base:], cmp)
	}
	return base
}

// popPairs drops the entries pushed at base.
func (e *legacyEncoder) popPairs(base int) {
	clear(e.pairs[base:])
	e.pairs = e.pairs[:base]
}

// legacyByKey orders dict entries by key, bytewise.
func legacyByKey(a, b legacyPair) int { return strings.Compare(a.k, b.k) }

// legacyByLenKey orders dict entries shorter key first, then bytewise: the order
// of RFC 8949 core deterministic encoding for text keys.
func legacyByLenKey(a, b legacyPair) int {
	if len(a.k) != len(b.k) {
		return len(a.k) - len(b.k)
	}
	return strings.Compare(a.k, b.k)
}
