package codec

import (
	"encoding/base64"
	"errors"
	"math"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/wampgo/wampgo/protocol"
)

// jsonDecoder parses one JSON message in a single pass, straight into the
// closed set of value types. It is pooled: its stacks keep their capacity
// between messages.
type jsonDecoder struct {
	data     []byte
	pos      int
	depth    int
	maxDepth int

	// vals and keys hold the elements of the lists and dicts being parsed,
	// a stack shared by the nesting levels: a list or dict is allocated
	// once, at its exact size, when it closes (the message's own list is
	// not allocated at all: FromList reads it from vals). Entries past len
	// are zero.
	vals []any
	keys []string
	// buf holds the unescaped text of the current string, when it had
	// escapes.
	buf []byte
	// strs caches short strings across the messages this decoder parses.
	strs strCache
}

var jsonDecoderPool = sync.Pool{New: func() any { return new(jsonDecoder) }}

// Pooled decoders drop stacks larger than these.
const (
	maxPooledVals = 4096
	maxPooledKeys = 1024
)

var (
	errJSONNotList     = errors.New("message is not a JSON array")
	errJSONSyntax      = errors.New("invalid JSON syntax")
	errJSONControl     = errors.New("control character in string")
	errJSONEscape      = errors.New("invalid escape in string")
	errJSONSurrogate   = errors.New("invalid surrogate escape in string")
	errJSONNumber      = errors.New("invalid number")
	errJSONNumberRange = errors.New("number out of float64 range")
	errJSONBase64      = errors.New(`invalid base64 in binary ("\u0000"-prefixed) string`)
)

func (jsonFormat) decode(data []byte, lim *Limits) (protocol.Message, error) {
	d := jsonDecoderPool.Get().(*jsonDecoder)
	d.data, d.pos, d.depth, d.maxDepth = data, 0, 0, lim.MaxDepth
	var msg protocol.Message
	l, err := d.message()
	if err == nil {
		msg, err = fromList("json", l)
	}
	d.release()
	return msg, err
}

func (d *jsonDecoder) release() {
	d.data = nil
	clear(d.vals)
	d.vals = d.vals[:0]
	if cap(d.vals) > maxPooledVals {
		d.vals = nil
	}
	clear(d.keys)
	d.keys = d.keys[:0]
	if cap(d.keys) > maxPooledKeys {
		d.keys = nil
	}
	if cap(d.buf) > maxPooledBuf {
		d.buf = nil
	}
	jsonDecoderPool.Put(d)
}

func (d *jsonDecoder) fail(err error) error {
	return &DecodeError{Codec: "json", Offset: d.pos, Err: err}
}

// message parses the whole input, which must be one array. The list
// returned is d.vals, valid until release.
func (d *jsonDecoder) message() ([]any, error) {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return nil, d.fail(ErrTruncated)
	}
	if d.data[d.pos] != '[' {
		return nil, d.fail(errJSONNotList)
	}
	if err := d.elements(); err != nil {
		return nil, err
	}
	l := d.vals
	d.skipSpace()
	if d.pos != len(d.data) {
		return nil, d.fail(ErrTrailingData)
	}
	return l, nil
}

func (d *jsonDecoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\n', '\r', '\t':
			d.pos++
		default:
			return
		}
	}
}

// value parses the value at d.pos, after optional white space.
func (d *jsonDecoder) value() (any, error) {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return nil, d.fail(ErrTruncated)
	}
	switch c := d.data[d.pos]; c {
	case '"':
		return d.stringValue()
	case '{':
		m, err := d.object()
		if err != nil {
			return nil, err
		}
		return m, nil
	case '[':
		l, err := d.array()
		if err != nil {
			return nil, err
		}
		return l, nil
	case 't':
		return true, d.literal("true")
	case 'f':
		return false, d.literal("false")
	case 'n':
		return nil, d.literal("null")
	default:
		if c == '-' || c >= '0' && c <= '9' {
			return d.number()
		}
		return nil, d.fail(errJSONSyntax)
	}
}

func (d *jsonDecoder) literal(lit string) error {
	if len(d.data)-d.pos < len(lit) {
		if string(d.data[d.pos:]) == lit[:len(d.data)-d.pos] {
			d.pos = len(d.data)
			return d.fail(ErrTruncated)
		}
		return d.fail(errJSONSyntax)
	}
	if string(d.data[d.pos:d.pos+len(lit)]) != lit {
		return d.fail(errJSONSyntax)
	}
	d.pos += len(lit)
	return nil
}

// enter opens a list or dict at d.pos, checking the depth limit.
func (d *jsonDecoder) enter() error {
	d.depth++
	if d.depth > d.maxDepth {
		return d.fail(ErrTooDeep)
	}
	d.pos++
	return nil
}

// next consumes the separator after an element: it returns true after a
// comma, false after close, and an error otherwise.
func (d *jsonDecoder) next(close byte) (bool, error) {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return false, d.fail(ErrTruncated)
	}
	switch d.data[d.pos] {
	case ',':
		d.pos++
		return true, nil
	case close:
		d.pos++
		return false, nil
	}
	return false, d.fail(errJSONSyntax)
}

// array parses the array at d.pos.
func (d *jsonDecoder) array() ([]any, error) {
	base := len(d.vals)
	if err := d.elements(); err != nil {
		return nil, err
	}
	l := make([]any, len(d.vals)-base)
	copy(l, d.vals[base:])
	clear(d.vals[base:])
	d.vals = d.vals[:base]
	return l, nil
}

// elements parses the array at d.pos, pushing its elements on d.vals.
func (d *jsonDecoder) elements() error {
	if err := d.enter(); err != nil {
		return err
	}
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
		d.depth--
		return nil
	}
	for {
		v, err := d.value()
		if err != nil {
			return err
		}
		d.vals = append(d.vals, v)
		more, err := d.next(']')
		if err != nil {
			return err
		}
		if !more {
			break
		}
	}
	d.depth--
	return nil
}

// object parses the object at d.pos.
func (d *jsonDecoder) object() (map[string]any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
		d.depth--
		return map[string]any{}, nil
	}
	kbase, vbase := len(d.keys), len(d.vals)
	for {
		d.skipSpace()
		if d.pos >= len(d.data) {
			return nil, d.fail(ErrTruncated)
		}
		if d.data[d.pos] != '"' {
			return nil, d.fail(errJSONSyntax)
		}
		kb, _, err := d.scanString()
		if err != nil {
			return nil, err
		}
		d.keys = append(d.keys, d.strs.key(kb))
		d.skipSpace()
		if d.pos >= len(d.data) {
			return nil, d.fail(ErrTruncated)
		}
		if d.data[d.pos] != ':' {
			return nil, d.fail(errJSONSyntax)
		}
		d.pos++
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		d.vals = append(d.vals, v)
		more, err := d.next('}')
		if err != nil {
			return nil, err
		}
		if !more {
			break
		}
	}
	keys, vals := d.keys[kbase:], d.vals[vbase:]
	m := make(map[string]any, len(keys))
	for i, k := range keys {
		m[k] = vals[i]
		if len(m) != i+1 {
			return nil, &DecodeError{Codec: "json", Offset: d.pos, Err: duplicateKey(k)}
		}
	}
	clear(keys)
	d.keys = d.keys[:kbase]
	clear(vals)
	d.vals = d.vals[:vbase]
	d.depth--
	return m, nil
}

// jsonPlain marks the bytes that stand for themselves in a JSON string and
// need no check: printable ASCII other than '"' and '\\'.
var jsonPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// stringValue parses the string at d.pos: binary when it starts with
// U+0000 (necessarily escaped, as raw control characters are invalid),
// text otherwise.
func (d *jsonDecoder) stringValue() (any, error) {
	start := d.pos
	b, escaped, err := d.scanString()
	if err != nil {
		return nil, err
	}
	if escaped && len(b) > 0 && b[0] == 0 {
		bin, ok := decodeBase64(b[1:])
		if !ok {
			return nil, &DecodeError{Codec: "json", Offset: start, Err: errJSONBase64}
		}
		return bin, nil
	}
	return d.strs.value(b), nil
}

// decodeBase64 decodes standard base64, padded or not, into a new slice.
func decodeBase64(s []byte) ([]byte, bool) {
	enc := base64.StdEncoding
	if len(s)%4 != 0 {
		enc = base64.RawStdEncoding
	}
	for _, c := range s {
		if c == '\r' || c == '\n' { // the decoder would skip them
			return nil, false
		}
	}
	out := make([]byte, enc.DecodedLen(len(s)))
	n, err := enc.Decode(out, s)
	if err != nil {
		return nil, false
	}
	return out[:n], true
}

// scanString parses the string at d.pos (which holds '"') and returns its
// text, valid UTF-8: a slice of the input when it had no escapes, else of
// d.buf, valid until the next call.
func (d *jsonDecoder) scanString() (text []byte, escaped bool, err error) {
	data := d.data
	start := d.pos + 1
	i := start
	for i < len(data) && jsonPlain[data[i]] {
		i++
	}
	if i < len(data) && data[i] == '"' {
		d.pos = i + 1
		return data[start:i], false, nil
	}
	return d.scanStringSlow(start, i)
}

// scanStringSlow continues scanString at data[i], the first byte that is
// not plain ASCII.
func (d *jsonDecoder) scanStringSlow(start, i int) ([]byte, bool, error) {
	data := d.data
	buf := d.buf[:0]
	escaped, high := false, false
	lit := start // start of the run not yet copied to buf
	for {
		if i >= len(data) {
			d.pos = i
			return nil, false, d.fail(ErrTruncated)
		}
		c := data[i]
		switch {
		case jsonPlain[c]:
			i++
		case c == '"':
			if high && !utf8.Valid(data[start:i]) {
				d.pos = start - 1
				return nil, false, d.fail(ErrInvalidUTF8)
			}
			d.pos = i + 1
			if !escaped {
				return data[start:i], false, nil
			}
			buf = append(buf, data[lit:i]...)
			d.buf = buf
			return buf, true, nil
		case c == '\\':
			escaped = true
			buf = append(buf, data[lit:i]...)
			var err error
			if buf, i, err = d.unescape(buf, i); err != nil {
				return nil, false, err
			}
			lit = i
		case c < 0x20:
			d.pos = i
			return nil, false, d.fail(errJSONControl)
		default:
			high = true
			i++
		}
	}
}

// unescape appends the character of the escape at data[i] ('\\') to buf and
// returns the index after the escape.
func (d *jsonDecoder) unescape(buf []byte, i int) ([]byte, int, error) {
	data := d.data
	if i+1 >= len(data) {
		d.pos = len(data)
		return nil, 0, d.fail(ErrTruncated)
	}
	var c byte
	switch data[i+1] {
	case '"', '\\', '/':
		c = data[i+1]
	case 'b':
		c = '\b'
	case 'f':
		c = '\f'
	case 'n':
		c = '\n'
	case 'r':
		c = '\r'
	case 't':
		c = '\t'
	case 'u':
		r, ok := hex4(data, i+2)
		if !ok {
			d.pos = i
			if i+6 > len(data) {
				return nil, 0, d.fail(ErrTruncated)
			}
			return nil, 0, d.fail(errJSONEscape)
		}
		n := i + 6
		switch {
		case r >= 0xdc00 && r < 0xe000:
			d.pos = i
			return nil, 0, d.fail(errJSONSurrogate)
		case r >= 0xd800 && r < 0xdc00:
			lo, ok := rune(0), false
			if n+1 < len(data) && data[n] == '\\' && data[n+1] == 'u' {
				lo, ok = hex4(data, n+2)
			}
			if !ok || lo < 0xdc00 || lo >= 0xe000 {
				if !ok && len(data)-n < 6 && isEscapePrefix(data[n:]) {
					d.pos = len(data)
					return nil, 0, d.fail(ErrTruncated)
				}
				d.pos = i
				return nil, 0, d.fail(errJSONSurrogate)
			}
			r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
			n += 6
		}
		return utf8.AppendRune(buf, r), n, nil
	default:
		d.pos = i
		return nil, 0, d.fail(errJSONEscape)
	}
	return append(buf, c), i + 2, nil
}

// isEscapePrefix reports whether b could start a \u escape (four hex digits follow).
func isEscapePrefix(b []byte) bool {
	for i, c := range b {
		switch {
		case i == 0 && c != '\\', i == 1 && c != 'u':
			return false
		case i >= 2 && !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'):
			return false
		}
	}
	return true
}

// hex4 reads the four hex digits at data[i:].
func hex4(data []byte, i int) (rune, bool) {
	if i+4 > len(data) {
		return 0, false
	}
	var r rune
	for _, c := range data[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// number parses the number at d.pos. Integers (no fraction, no exponent)
// that fit become int64, or uint64 above math.MaxInt64; other numbers
// float64.
func (d *jsonDecoder) number() (any, error) {
	data := d.data
	start := d.pos
	i := start
	neg := data[i] == '-'
	if neg {
		i++
	}
	if i >= len(data) {
		return nil, d.numberError(i)
	}
	var u uint64
	overflow := false
	switch c := data[i]; {
	case c == '0':
		i++
	case c >= '1' && c <= '9':
		for ; i < len(data) && data[i] >= '0' && data[i] <= '9'; i++ {
			dg := uint64(data[i] - '0')
			if u > (math.MaxUint64-dg)/10 {
				overflow = true
			}
			u = u*10 + dg
		}
	default:
		return nil, d.numberError(i)
	}
	integer := true
	if i < len(data) && data[i] == '.' {
		integer = false
		i++
		j := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		if i == j {
			return nil, d.numberError(i)
		}
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		integer = false
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		j := i
		for i < len(data) && data[i] >= '0' && data[i] <= '9' {
			i++
		}
		if i == j {
			return nil, d.numberError(i)
		}
	}
	d.pos = i
	if integer && !overflow {
		switch {
		case !neg && u <= math.MaxInt64:
			return int64(u), nil
		case !neg:
			return u, nil
		case u <= 1<<63:
			return -int64(u), nil // wraps to math.MinInt64 for 1<<63
		}
	}
	f, err := strconv.ParseFloat(string(data[start:i]), 64)
	if err != nil {
		d.pos = start
		return nil, d.fail(errJSONNumberRange)
	}
	return f, nil
}

// numberError reports a number missing a digit at data[i].
func (d *jsonDecoder) numberError(i int) error {
	d.pos = i
	if i >= len(d.data) {
		return d.fail(ErrTruncated)
	}
	return d.fail(errJSONNumber)
}
