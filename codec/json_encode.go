package codec

import (
	"bytes"
	"encoding/base64"
	"math"
	"strconv"
	"sync"

	"github.com/go-json-experiment/json/jsontext"
)

// jsonEncoder is the pooled state of one encoding: jsontext's Encoder
// appending to out, and the dict entries being sorted.
type jsonEncoder struct {
	out      bytes.Buffer
	enc      *jsontext.Encoder
	pairs    pairStack
	maxDepth int
}

var jsonEncoderPool = sync.Pool{New: func() any {
	e := new(jsonEncoder)
	e.enc = jsontext.NewEncoder(&e.out)
	return e
}}

// appendValue appends v as compact JSON, not HTML-escaped, dict keys in
// bytewise order. jsontext checks UTF-8 and escapes strings; floats are
// written here so that they always read back as floats.
func (f jsonFormat) appendValue(dst []byte, v any, depth int) ([]byte, error) {
	e := jsonEncoderPool.Get().(*jsonEncoder)
	e.out = *bytes.NewBuffer(dst)
	// Keys come from a map: they cannot repeat, so jsontext need not track
	// them.
	e.enc.Reset(&e.out, jsonOptions)
	e.maxDepth = f.maxDepth
	err := e.value(v, depth)
	b := e.out.Bytes()
	e.out = bytes.Buffer{}
	e.enc.Reset(&e.out)
	e.pairs.reset()
	jsonEncoderPool.Put(e)
	if err != nil {
		return dst, err
	}
	// jsontext ends a top-level value with a newline.
	return bytes.TrimSuffix(b, []byte{'\n'}), nil
}

func (e *jsonEncoder) value(v any, depth int) error {
	switch v := v.(type) {
	case nil:
		return e.enc.WriteToken(jsontext.Null)
	case bool:
		return e.enc.WriteToken(jsontext.Bool(v))
	case int64:
		return e.enc.WriteToken(jsontext.Int(v))
	case uint64:
		return e.enc.WriteToken(jsontext.Uint(v))
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return unsupported("JSON cannot carry NaN or an infinity")
		}
		return e.enc.WriteValue(appendJSONFloat(e.enc.AvailableBuffer(), v))
	case string:
		if len(v) > 0 && v[0] == 0 {
			if _, binary := decodeBase64([]byte(v[1:])); binary {
				return unsupported(`JSON string of NUL and base64 (it would read back as binary)`)
			}
		}
		return e.str(v)
	case []byte:
		b := append(e.enc.AvailableBuffer(), `"\u0000`...)
		b = base64.StdEncoding.AppendEncode(b, v)
		return e.enc.WriteValue(append(b, '"'))
	case []any:
		if depth+1 > e.maxDepth {
			return ErrTooDeep
		}
		if err := e.enc.WriteToken(jsontext.BeginArray); err != nil {
			return err
		}
		for _, x := range v {
			if err := e.value(x, depth+1); err != nil {
				return err
			}
		}
		return e.enc.WriteToken(jsontext.EndArray)
	case map[string]any:
		return e.dict(v, depth+1)
	}
	// Common Go types (int, float32, []string, map[string]int, …) are
	// converted to the documented ones; anything else is refused.
	if nv, ok := normalizeForeign(v); ok {
		return e.value(nv, depth)
	}
	return unsupportedType(v)
}

// str writes s; jsontext refuses invalid UTF-8.
func (e *jsonEncoder) str(s string) error {
	if err := e.enc.WriteToken(jsontext.String(s)); err != nil {
		return unsupported("string that is not valid UTF-8")
	}
	return nil
}

func (e *jsonEncoder) dict(m map[string]any, depth int) error {
	if depth > e.maxDepth {
		return ErrTooDeep
	}
	if err := e.enc.WriteToken(jsontext.BeginObject); err != nil {
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
	return e.enc.WriteToken(jsontext.EndObject)
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
