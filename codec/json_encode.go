package codec

import (
	"encoding/base64"
	"math"
	"strconv"
	"unicode/utf8"
)

// appendList appends l as a compact JSON array.
func (jsonFormat) appendList(e *encoder, dst []byte, l []any) ([]byte, error) {
	return e.jsonList(dst, l, 1)
}

func (e *encoder) jsonValue(b []byte, v any, depth int) ([]byte, error) {
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
		return appendJSONFloat(b, v)
	case string:
		if len(v) > 0 && v[0] == 0 {
			return b, unsupported(`JSON string starting with NUL (it would read back as binary)`)
		}
		return appendJSONString(b, v)
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

func (e *encoder) jsonList(b []byte, l []any, depth int) ([]byte, error) {
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

func (e *encoder) jsonDict(b []byte, m map[string]any, depth int) ([]byte, error) {
	if depth > e.maxDepth {
		return b, ErrTooDeep
	}
	b = append(b, '{')
	base := e.pushPairs(m, byKey)
	defer e.popPairs(base)
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
		if b, err = e.jsonValue(b, p.v, depth); err != nil {
			return b, err
		}
	}
	return append(b, '}'), nil
}

const hexDigits = "0123456789abcdef"

// appendJSONString appends s quoted, escaping only what JSON requires:
// '"', '\\' and control characters (no HTML escaping). s must be valid
// UTF-8.
func appendJSONString(b []byte, s string) ([]byte, error) {
	b = append(b, '"')
	lit, high := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if jsonPlain[c] {
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
			b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		}
	}
	if high && !utf8.ValidString(s) {
		return b, unsupported("string that is not valid UTF-8")
	}
	b = append(b, s[lit:]...)
	return append(b, '"'), nil
}

// appendJSONFloat appends f in the shortest form that reads back as the
// same float64, always with a fraction or an exponent so that it reads
// back as a float, not an integer.
func appendJSONFloat(b []byte, f float64) ([]byte, error) {
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
