package codec

// The hand-written decoders that the library-based ones replaced, kept
// only as the reference of FuzzDifferential (differential_test.go).

import (
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/maphash"
	"math"
	"strconv"
	"sync"
	"unicode/utf8"

	"github.com/wampgo/wampgo/protocol"
)

func legacyFromList(format string, l []any) (protocol.Message, error) {
	msg, err := protocol.FromList(l)
	if err != nil {
		return nil, &DecodeError{Codec: format, Offset: -1, Err: err}
	}
	return msg, nil
}

// legacyJSONDecoder parses one JSON message in a single pass, straight into the
// closed set of value types. It is pooled: its stacks keep their capacity
// between messages.
type legacyJSONDecoder struct {
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
	strs legacyStrCache
}

var legacyJSONDecoderPool = sync.Pool{New: func() any { return new(legacyJSONDecoder) }}

// Pooled decoders drop stacks larger than these.
const (
	legacyMaxPooledVals = 4096
	legacyMaxPooledKeys = 1024
)

var (
	legacyErrJSONNotList     = errors.New("message is not a JSON array")
	legacyErrJSONSyntax      = errors.New("invalid JSON syntax")
	legacyErrJSONControl     = errors.New("control character in string")
	legacyErrJSONEscape      = errors.New("invalid escape in string")
	legacyErrJSONSurrogate   = errors.New("invalid surrogate escape in string")
	legacyErrJSONNumber      = errors.New("invalid number")
	legacyErrJSONNumberRange = errors.New("number out of float64 range")
	legacyErrJSONBase64      = errors.New(`invalid base64 in binary ("\u0000"-prefixed) string`)
)

func legacyDecodeJSON(data []byte, lim *Limits) (protocol.Message, error) {
	d := legacyJSONDecoderPool.Get().(*legacyJSONDecoder)
	d.data, d.pos, d.depth, d.maxDepth = data, 0, 0, lim.MaxDepth
	var msg protocol.Message
	l, err := d.message()
	if err == nil {
		msg, err = legacyFromList("json", l)
	}
	d.release()
	return msg, err
}

func (d *legacyJSONDecoder) release() {
	d.data = nil
	clear(d.vals)
	d.vals = d.vals[:0]
	if cap(d.vals) > legacyMaxPooledVals {
		d.vals = nil
	}
	clear(d.keys)
	d.keys = d.keys[:0]
	if cap(d.keys) > legacyMaxPooledKeys {
		d.keys = nil
	}
	if cap(d.buf) > maxPooledBuf {
		d.buf = nil
	}
	legacyJSONDecoderPool.Put(d)
}

func (d *legacyJSONDecoder) fail(err error) error {
	return &DecodeError{Codec: "json", Offset: d.pos, Err: err}
}

// message parses the whole input, which must be one array. The list
// returned is d.vals, valid until release.
func (d *legacyJSONDecoder) message() ([]any, error) {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return nil, d.fail(ErrTruncated)
	}
	if d.data[d.pos] != '[' {
		return nil, d.fail(legacyErrJSONNotList)
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

func (d *legacyJSONDecoder) skipSpace() {
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
func (d *legacyJSONDecoder) value() (any, error) {
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
		return nil, d.fail(legacyErrJSONSyntax)
	}
}

func (d *legacyJSONDecoder) literal(lit string) error {
	if len(d.data)-d.pos < len(lit) {
		if string(d.data[d.pos:]) == lit[:len(d.data)-d.pos] {
			d.pos = len(d.data)
			return d.fail(ErrTruncated)
		}
		return d.fail(legacyErrJSONSyntax)
	}
	if string(d.data[d.pos:d.pos+len(lit)]) != lit {
		return d.fail(legacyErrJSONSyntax)
	}
	d.pos += len(lit)
	return nil
}

// enter opens a list or dict at d.pos, checking the depth limit.
func (d *legacyJSONDecoder) enter() error {
	d.depth++
	if d.depth > d.maxDepth {
		return d.fail(ErrTooDeep)
	}
	d.pos++
	return nil
}

// next consumes the separator after an element: it returns true after a
// comma, false after close, and an error otherwise.
func (d *legacyJSONDecoder) next(close byte) (bool, error) {
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
	return false, d.fail(legacyErrJSONSyntax)
}

// array parses the array at d.pos.
func (d *legacyJSONDecoder) array() ([]any, error) {
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
func (d *legacyJSONDecoder) elements() error {
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
func (d *legacyJSONDecoder) object() (map[string]any, error) {
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
			return nil, d.fail(legacyErrJSONSyntax)
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
			return nil, d.fail(legacyErrJSONSyntax)
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

// legacyJSONPlain marks the bytes that stand for themselves in a JSON string and
// need no check: printable ASCII other than '"' and '\\'.
var legacyJSONPlain = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// stringValue parses the string at d.pos: binary when it starts with
// U+0000 (necessarily escaped, as raw control characters are invalid),
// text otherwise.
func (d *legacyJSONDecoder) stringValue() (any, error) {
	start := d.pos
	b, escaped, err := d.scanString()
	if err != nil {
		return nil, err
	}
	if escaped && len(b) > 0 && b[0] == 0 {
		bin, ok := legacyDecodeBase64(b[1:])
		if !ok {
			return nil, &DecodeError{Codec: "json", Offset: start, Err: legacyErrJSONBase64}
		}
		return bin, nil
	}
	return d.strs.value(b), nil
}

// legacyDecodeBase64 decodes standard base64, padded or not, into a new slice.
func legacyDecodeBase64(s []byte) ([]byte, bool) {
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
func (d *legacyJSONDecoder) scanString() (text []byte, escaped bool, err error) {
	data := d.data
	start := d.pos + 1
	i := start
	for i < len(data) && legacyJSONPlain[data[i]] {
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
func (d *legacyJSONDecoder) scanStringSlow(start, i int) ([]byte, bool, error) {
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
		case legacyJSONPlain[c]:
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
			return nil, false, d.fail(legacyErrJSONControl)
		default:
			high = true
			i++
		}
	}
}

// unescape appends the character of the escape at data[i] ('\\') to buf and
// returns the index after the escape.
func (d *legacyJSONDecoder) unescape(buf []byte, i int) ([]byte, int, error) {
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
		r, ok := legacyHex4(data, i+2)
		if !ok {
			d.pos = i
			if i+6 > len(data) {
				return nil, 0, d.fail(ErrTruncated)
			}
			return nil, 0, d.fail(legacyErrJSONEscape)
		}
		n := i + 6
		switch {
		case r >= 0xdc00 && r < 0xe000:
			d.pos = i
			return nil, 0, d.fail(legacyErrJSONSurrogate)
		case r >= 0xd800 && r < 0xdc00:
			lo, ok := rune(0), false
			if n+1 < len(data) && data[n] == '\\' && data[n+1] == 'u' {
				lo, ok = legacyHex4(data, n+2)
			}
			if !ok || lo < 0xdc00 || lo >= 0xe000 {
				if !ok && len(data)-n < 6 && legacyIsEscapePrefix(data[n:]) {
					d.pos = len(data)
					return nil, 0, d.fail(ErrTruncated)
				}
				d.pos = i
				return nil, 0, d.fail(legacyErrJSONSurrogate)
			}
			r = 0x10000 + (r-0xd800)<<10 + (lo - 0xdc00)
			n += 6
		}
		return utf8.AppendRune(buf, r), n, nil
	default:
		d.pos = i
		return nil, 0, d.fail(legacyErrJSONEscape)
	}
	return append(buf, c), i + 2, nil
}

// legacyIsEscapePrefix reports whether b could start a \u escape (four hex digits follow).
func legacyIsEscapePrefix(b []byte) bool {
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

// legacyHex4 reads the four hex digits at data[i:].
func legacyHex4(data []byte, i int) (rune, bool) {
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
func (d *legacyJSONDecoder) number() (any, error) {
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
		return nil, d.fail(legacyErrJSONNumberRange)
	}
	return f, nil
}

// numberError reports a number missing a digit at data[i].
func (d *legacyJSONDecoder) numberError(i int) error {
	d.pos = i
	if i >= len(d.data) {
		return d.fail(ErrTruncated)
	}
	return d.fail(legacyErrJSONNumber)
}

var (
	legacyErrMsgpackNotList  = errors.New("message is not a MessagePack array")
	legacyErrMsgpackReserved = errors.New("reserved byte 0xc1")
	legacyErrMsgpackExt      = errors.New("extension types are not supported")
	legacyErrMsgpackKey      = errors.New("dict key is not a string")
	// errLengthExceedsEnd: a header declares more than the input holds.
)

// Initial capacity bounds for lists and dicts whose declared length has not
// been read yet: a header may claim more elements than follow, and what is
// allocated up front must stay proportional to what was actually read.
const (
	legacyMaxListPrealloc = 4096
	legacyMaxDictPrealloc = 64
)

// legacyMsgpackDecoder parses one MessagePack message straight into the closed
// set of value types.
type legacyMsgpackDecoder struct{ legacyScan }

var legacyMsgpackDecoderPool = sync.Pool{New: func() any { return new(legacyMsgpackDecoder) }}

func legacyDecodeMsgpack(data []byte, lim *Limits) (protocol.Message, error) {
	d := legacyMsgpackDecoderPool.Get().(*legacyMsgpackDecoder)
	d.start(data, lim)
	var msg protocol.Message
	l, err := d.message()
	if err == nil {
		msg, err = legacyFromList("msgpack", l)
	}
	d.release()
	legacyMsgpackDecoderPool.Put(d)
	return msg, err
}

// message parses the whole input, which must be one array, into d.top.
func (d *legacyMsgpackDecoder) message() ([]any, error) {
	data := d.data
	if len(data) == 0 {
		return nil, d.fail(ErrTruncated)
	}
	var n int
	switch c := data[0]; {
	case c >= 0x90 && c <= 0x9f:
		n, d.pos = int(c&0x0f), 1
	case c == 0xdc || c == 0xdd:
		d.pos = 1
		var err error
		if n, err = d.length(c == 0xdd); err != nil {
			return nil, err
		}
	default:
		return nil, d.fail(legacyErrMsgpackNotList)
	}
	l, err := d.elements(d.top[:0], n)
	d.top = l
	if err != nil {
		return nil, err
	}
	if d.pos != len(data) {
		return nil, d.fail(ErrTrailingData)
	}
	return l, nil
}

func (d *legacyMsgpackDecoder) fail(err error) error {
	return &DecodeError{Codec: "msgpack", Offset: d.pos, Err: err}
}

// take returns the next n bytes.
func (d *legacyMsgpackDecoder) take(n int) ([]byte, error) {
	if n > len(d.data)-d.pos {
		return nil, d.fail(errLengthExceedsEnd)
	}
	b := d.data[d.pos : d.pos+n]
	d.pos += n
	return b, nil
}

// length reads a 16-bit (or, if long, 32-bit) big-endian length.
func (d *legacyMsgpackDecoder) length(long bool) (int, error) {
	if !long {
		b, err := d.take(2)
		if err != nil {
			return 0, err
		}
		return int(binary.BigEndian.Uint16(b)), nil
	}
	b, err := d.take(4)
	if err != nil {
		return 0, err
	}
	return int(binary.BigEndian.Uint32(b)), nil
}

// length8 reads an 8-bit length.
func (d *legacyMsgpackDecoder) length8() (int, error) {
	b, err := d.take(1)
	if err != nil {
		return 0, err
	}
	return int(b[0]), nil
}

func (d *legacyMsgpackDecoder) value() (any, error) {
	if d.pos >= len(d.data) {
		return nil, d.fail(ErrTruncated)
	}
	c := d.data[d.pos]
	d.pos++
	switch {
	case c <= 0x7f:
		return int64(c), nil
	case c >= 0xe0:
		return int64(int8(c)), nil
	case c <= 0x8f:
		return d.dict(int(c & 0x0f))
	case c <= 0x9f:
		return d.listValue(int(c & 0x0f))
	case c <= 0xbf:
		return d.str(int(c & 0x1f))
	}
	switch c {
	case 0xc0:
		return nil, nil
	case 0xc2:
		return false, nil
	case 0xc3:
		return true, nil
	case 0xc4, 0xc5, 0xc6:
		var n int
		var err error
		if c == 0xc4 {
			n, err = d.length8()
		} else {
			n, err = d.length(c == 0xc6)
		}
		if err != nil {
			return nil, err
		}
		return d.bin(n)
	case 0xca:
		b, err := d.take(4)
		if err != nil {
			return nil, err
		}
		return float64(math.Float32frombits(binary.BigEndian.Uint32(b))), nil
	case 0xcb:
		b, err := d.take(8)
		if err != nil {
			return nil, err
		}
		return math.Float64frombits(binary.BigEndian.Uint64(b)), nil
	case 0xcc:
		b, err := d.take(1)
		if err != nil {
			return nil, err
		}
		return int64(b[0]), nil
	case 0xcd:
		b, err := d.take(2)
		if err != nil {
			return nil, err
		}
		return int64(binary.BigEndian.Uint16(b)), nil
	case 0xce:
		b, err := d.take(4)
		if err != nil {
			return nil, err
		}
		return int64(binary.BigEndian.Uint32(b)), nil
	case 0xcf:
		b, err := d.take(8)
		if err != nil {
			return nil, err
		}
		return legacyNormUint(binary.BigEndian.Uint64(b)), nil
	case 0xd0:
		b, err := d.take(1)
		if err != nil {
			return nil, err
		}
		return int64(int8(b[0])), nil
	case 0xd1:
		b, err := d.take(2)
		if err != nil {
			return nil, err
		}
		return int64(int16(binary.BigEndian.Uint16(b))), nil
	case 0xd2:
		b, err := d.take(4)
		if err != nil {
			return nil, err
		}
		return int64(int32(binary.BigEndian.Uint32(b))), nil
	case 0xd3:
		b, err := d.take(8)
		if err != nil {
			return nil, err
		}
		return int64(binary.BigEndian.Uint64(b)), nil
	case 0xd9, 0xda, 0xdb:
		var n int
		var err error
		if c == 0xd9 {
			n, err = d.length8()
		} else {
			n, err = d.length(c == 0xdb)
		}
		if err != nil {
			return nil, err
		}
		return d.str(n)
	case 0xdc, 0xdd:
		n, err := d.length(c == 0xdd)
		if err != nil {
			return nil, err
		}
		return d.listValue(n)
	case 0xde, 0xdf:
		n, err := d.length(c == 0xdf)
		if err != nil {
			return nil, err
		}
		return d.dict(n)
	case 0xc1:
		d.pos--
		return nil, d.fail(legacyErrMsgpackReserved)
	}
	d.pos--
	return nil, d.fail(legacyErrMsgpackExt) // 0xc7-0xc9, 0xd4-0xd8
}

// legacyNormUint returns u as int64 when it fits, else as uint64.
func legacyNormUint(u uint64) any {
	if u <= math.MaxInt64 {
		return int64(u)
	}
	return u
}

func (d *legacyMsgpackDecoder) str(n int) (any, error) {
	b, err := d.utf8(n)
	if err != nil {
		return nil, err
	}
	return d.strs.value(b), nil
}

// utf8 reads n bytes of UTF-8 text.
func (d *legacyMsgpackDecoder) utf8(n int) ([]byte, error) {
	b, err := d.take(n)
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(b) {
		d.pos -= n
		return nil, d.fail(ErrInvalidUTF8)
	}
	return b, nil
}

func (d *legacyMsgpackDecoder) bin(n int) (any, error) {
	b, err := d.take(n)
	if err != nil {
		return nil, err
	}
	out := make([]byte, n)
	copy(out, b)
	return out, nil
}

func (d *legacyMsgpackDecoder) listValue(n int) (any, error) {
	l, err := d.list(n)
	if err != nil {
		return nil, err
	}
	return l, nil
}

// list reads the n elements of a list whose header has been read.
func (d *legacyMsgpackDecoder) list(n int) ([]any, error) {
	if n > len(d.data)-d.pos { // every element takes a byte at least
		return nil, d.fail(errLengthExceedsEnd)
	}
	return d.elements(make([]any, 0, min(n, legacyMaxListPrealloc)), n)
}

// elements appends the n elements of a list whose header has been read
// to l.
func (d *legacyMsgpackDecoder) elements(l []any, n int) ([]any, error) {
	d.depth++
	if d.depth > d.maxDepth {
		return l, d.fail(ErrTooDeep)
	}
	if n > len(d.data)-d.pos { // every element takes a byte at least
		return l, d.fail(errLengthExceedsEnd)
	}
	for range n {
		v, err := d.value()
		if err != nil {
			return l, err
		}
		l = append(l, v)
	}
	d.depth--
	return l, nil
}

// dict reads the n entries of a dict whose header has been read.
func (d *legacyMsgpackDecoder) dict(n int) (any, error) {
	d.depth++
	if d.depth > d.maxDepth {
		return nil, d.fail(ErrTooDeep)
	}
	if n > (len(d.data)-d.pos)/2 { // every entry takes two bytes at least
		return nil, d.fail(errLengthExceedsEnd)
	}
	m := make(map[string]any, min(n, legacyMaxDictPrealloc))
	for i := range n {
		k, err := d.key()
		if err != nil {
			return nil, err
		}
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		m[k] = v
		if len(m) != i+1 {
			return nil, d.fail(duplicateKey(k))
		}
	}
	d.depth--
	return m, nil
}

// key reads a dict key, which must be a str.
func (d *legacyMsgpackDecoder) key() (string, error) {
	if d.pos >= len(d.data) {
		return "", d.fail(ErrTruncated)
	}
	c := d.data[d.pos]
	d.pos++
	var n int
	var err error
	switch {
	case c >= 0xa0 && c <= 0xbf:
		n = int(c & 0x1f)
	case c == 0xd9:
		n, err = d.length8()
	case c == 0xda || c == 0xdb:
		n, err = d.length(c == 0xdb)
	default:
		d.pos--
		return "", d.fail(legacyErrMsgpackKey)
	}
	if err != nil {
		return "", err
	}
	b, err := d.utf8(n)
	if err != nil {
		return "", err
	}
	return d.strs.key(b), nil
}

// CBOR major types.
const (
	legacyCBORUint   = 0
	legacyCBORNeg    = 1
	legacyCBORBytes  = 2
	legacyCBORText   = 3
	legacyCBORArray  = 4
	legacyCBORMap    = 5
	legacyCBORTag    = 6
	legacyCBORSimple = 7

	legacyCBORIndefinite = 31   // additional information of an indefinite length
	legacyCBORBreak      = 0xff // the stop code of an indefinite length item
)

var (
	legacyErrCBORNotList = errors.New("message is not a CBOR array")
	legacyErrCBORTag     = errors.New("tags are not supported")
	legacyErrCBORSimple  = errors.New("simple values other than false, true, null and undefined are not supported")
	legacyErrCBORInfo    = errors.New("reserved additional information")
	legacyErrCBORBreak   = errors.New("unexpected break code")
	legacyErrCBORChunk   = errors.New("indefinite-length string chunk of the wrong type")
	legacyErrCBORKey     = errors.New("dict key is not a text string")
)

// legacyCBORDecoder parses one CBOR message straight into the closed set of value
// types.
type legacyCBORDecoder struct{ legacyScan }

var legacyCBORDecoderPool = sync.Pool{New: func() any { return new(legacyCBORDecoder) }}

func legacyDecodeCBOR(data []byte, lim *Limits) (protocol.Message, error) {
	d := legacyCBORDecoderPool.Get().(*legacyCBORDecoder)
	d.start(data, lim)
	var msg protocol.Message
	l, err := d.message()
	if err == nil {
		msg, err = legacyFromList("cbor", l)
	}
	d.release()
	legacyCBORDecoderPool.Put(d)
	return msg, err
}

// message parses the whole input, which must be one array, into d.top.
func (d *legacyCBORDecoder) message() ([]any, error) {
	data := d.data
	if len(data) == 0 {
		return nil, d.fail(ErrTruncated)
	}
	if data[0]>>5 != legacyCBORArray {
		return nil, d.fail(legacyErrCBORNotList)
	}
	d.pos = 1
	l, err := d.elements(d.top[:0], data[0]&0x1f)
	d.top = l
	if err != nil {
		return nil, err
	}
	if d.pos != len(data) {
		return nil, d.fail(ErrTrailingData)
	}
	return l, nil
}

func (d *legacyCBORDecoder) fail(err error) error {
	return &DecodeError{Codec: "cbor", Offset: d.pos, Err: err}
}

// argument reads the argument of a head whose additional information is
// info (< 31), the head's first byte having been consumed.
func (d *legacyCBORDecoder) argument(info byte) (uint64, error) {
	if info < 24 {
		return uint64(info), nil
	}
	var n int
	switch info {
	case 24:
		n = 1
	case 25:
		n = 2
	case 26:
		n = 4
	case 27:
		n = 8
	default:
		d.pos--
		return 0, d.fail(legacyErrCBORInfo)
	}
	if n > len(d.data)-d.pos {
		return 0, d.fail(ErrTruncated)
	}
	b := d.data[d.pos : d.pos+n]
	d.pos += n
	switch n {
	case 1:
		return uint64(b[0]), nil
	case 2:
		return uint64(binary.BigEndian.Uint16(b)), nil
	case 4:
		return uint64(binary.BigEndian.Uint32(b)), nil
	}
	return binary.BigEndian.Uint64(b), nil
}

// length reads the argument of a string, array or map head as a length of
// items of at least minSize bytes each, checked against the bytes left.
func (d *legacyCBORDecoder) length(info byte, minSize int) (int, error) {
	n, err := d.argument(info)
	if err != nil {
		return 0, err
	}
	if n > uint64(len(d.data)-d.pos)/uint64(minSize) {
		return 0, d.fail(errLengthExceedsEnd)
	}
	return int(n), nil
}

func (d *legacyCBORDecoder) value() (any, error) {
	if d.pos >= len(d.data) {
		return nil, d.fail(ErrTruncated)
	}
	c := d.data[d.pos]
	d.pos++
	major, info := c>>5, c&0x1f
	switch major {
	case legacyCBORUint:
		if info < 24 {
			return int64(info), nil
		}
		u, err := d.argument(info)
		if err != nil {
			return nil, err
		}
		return legacyNormUint(u), nil
	case legacyCBORNeg:
		u, err := d.argument(info)
		if err != nil {
			return nil, err
		}
		if u <= math.MaxInt64 {
			return -1 - int64(u), nil
		}
		return -1 - float64(u), nil // below math.MinInt64: rounded
	case legacyCBORBytes:
		b, err := d.bytes(legacyCBORBytes, info)
		if err != nil {
			return nil, err
		}
		if b == nil {
			b = []byte{}
		}
		return b, nil
	case legacyCBORText:
		b, err := d.bytes(legacyCBORText, info)
		if err != nil {
			return nil, err
		}
		return d.strs.value(b), nil
	case legacyCBORArray:
		l, err := d.list(info)
		if err != nil {
			return nil, err
		}
		return l, nil
	case legacyCBORMap:
		m, err := d.dict(info)
		if err != nil {
			return nil, err
		}
		return m, nil
	case legacyCBORTag:
		d.pos--
		return nil, d.fail(legacyErrCBORTag)
	}
	return d.simple(info)
}

// simple reads a value of major type 7.
func (d *legacyCBORDecoder) simple(info byte) (any, error) {
	switch info {
	case 20:
		return false, nil
	case 21:
		return true, nil
	case 22, 23: // null, undefined
		return nil, nil
	case 25, 26, 27:
		u, err := d.argument(info)
		if err != nil {
			return nil, err
		}
		switch info {
		case 25:
			return legacyHalfToFloat64(uint16(u)), nil
		case 26:
			return float64(math.Float32frombits(uint32(u))), nil
		}
		return math.Float64frombits(u), nil
	case legacyCBORIndefinite:
		d.pos--
		return nil, d.fail(legacyErrCBORBreak)
	case 28, 29, 30:
		d.pos--
		return nil, d.fail(legacyErrCBORInfo)
	}
	d.pos--
	return nil, d.fail(legacyErrCBORSimple)
}

// legacyHalfToFloat64 converts an IEEE 754 half precision float exactly.
func legacyHalfToFloat64(h uint16) float64 {
	sign := uint64(h>>15) << 63
	exp := uint64(h>>10) & 0x1f
	frac := uint64(h & 0x3ff)
	switch exp {
	case 0: // zero or subnormal: frac * 2^-24
		f := float64(frac) / (1 << 24)
		if sign != 0 {
			f = -f
		}
		return f
	case 0x1f: // infinity or NaN
		return math.Float64frombits(sign | 0x7ff<<52 | frac<<42)
	}
	return math.Float64frombits(sign | (exp-15+1023)<<52 | frac<<42)
}

// bytes reads the content of a byte or text string (major type major)
// whose head's first byte has been consumed. A definite string is a slice
// of the input; an indefinite one is a new slice joining its chunks, text
// chunks being checked for UTF-8 one by one.
func (d *legacyCBORDecoder) bytes(major, info byte) ([]byte, error) {
	if info != legacyCBORIndefinite {
		n, err := d.length(info, 1)
		if err != nil {
			return nil, err
		}
		b := d.data[d.pos : d.pos+n]
		if major == legacyCBORText && !utf8.Valid(b) {
			return nil, d.fail(ErrInvalidUTF8)
		}
		d.pos += n
		if major == legacyCBORBytes {
			return append([]byte(nil), b...), nil
		}
		return b, nil
	}
	var out []byte
	for {
		if d.pos >= len(d.data) {
			return nil, d.fail(ErrTruncated)
		}
		c := d.data[d.pos]
		if c == legacyCBORBreak {
			d.pos++
			if out == nil {
				out = []byte{}
			}
			return out, nil
		}
		if c>>5 != major || c&0x1f == legacyCBORIndefinite {
			return nil, d.fail(legacyErrCBORChunk)
		}
		d.pos++
		chunk, err := d.bytes(major, c&0x1f)
		if err != nil {
			return nil, err
		}
		out = append(out, chunk...)
	}
}

// enter opens a list or dict, checking the depth limit.
func (d *legacyCBORDecoder) enter() error {
	d.depth++
	if d.depth > d.maxDepth {
		d.pos--
		return d.fail(ErrTooDeep)
	}
	return nil
}

// atBreak consumes a break code, if one is next.
func (d *legacyCBORDecoder) atBreak() (bool, error) {
	if d.pos >= len(d.data) {
		return false, d.fail(ErrTruncated)
	}
	if d.data[d.pos] == legacyCBORBreak {
		d.pos++
		return true, nil
	}
	return false, nil
}

// list reads an array whose head's first byte has been consumed.
func (d *legacyCBORDecoder) list(info byte) ([]any, error) {
	return d.elements(nil, info)
}

// elements appends the elements of an array whose head's first byte has
// been consumed to l; when l is nil, it allocates the list, never nil.
func (d *legacyCBORDecoder) elements(l []any, info byte) ([]any, error) {
	if err := d.enter(); err != nil {
		return l, err
	}
	if info == legacyCBORIndefinite {
		if l == nil {
			l = []any{}
		}
		for {
			end, err := d.atBreak()
			if err != nil {
				return l, err
			}
			if end {
				break
			}
			v, err := d.value()
			if err != nil {
				return l, err
			}
			l = append(l, v)
		}
		d.depth--
		return l, nil
	}
	n, err := d.length(info, 1)
	if err != nil {
		return l, err
	}
	if l == nil {
		l = make([]any, 0, min(n, legacyMaxListPrealloc))
	}
	for range n {
		v, err := d.value()
		if err != nil {
			return l, err
		}
		l = append(l, v)
	}
	d.depth--
	return l, nil
}

// dict reads a map whose head's first byte has been consumed.
func (d *legacyCBORDecoder) dict(info byte) (map[string]any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	n := -1 // indefinite
	if info != legacyCBORIndefinite {
		var err error
		if n, err = d.length(info, 2); err != nil {
			return nil, err
		}
	}
	m := make(map[string]any, min(max(n, 0), legacyMaxDictPrealloc))
	for i := 0; i != n; i++ {
		if n < 0 {
			end, err := d.atBreak()
			if err != nil {
				return nil, err
			}
			if end {
				break
			}
		}
		k, err := d.key()
		if err != nil {
			return nil, err
		}
		v, err := d.value()
		if err != nil {
			return nil, err
		}
		m[k] = v
		if len(m) != i+1 {
			return nil, d.fail(duplicateKey(k))
		}
	}
	d.depth--
	return m, nil
}

// key reads a dict key, which must be a text string.
func (d *legacyCBORDecoder) key() (string, error) {
	if d.pos >= len(d.data) {
		return "", d.fail(ErrTruncated)
	}
	c := d.data[d.pos]
	if c>>5 != legacyCBORText {
		return "", d.fail(legacyErrCBORKey)
	}
	d.pos++
	b, err := d.bytes(legacyCBORText, c&0x1f)
	if err != nil {
		return "", err
	}
	return d.strs.key(b), nil
}

// legacyScan is the state the MessagePack and CBOR decoders share: the
// input, the read position, the nesting depth and its limit, the string
// cache, and the message's own list, reused across messages. A decoder is
// used by one goroutine at a time (they are pooled).
type legacyScan struct {
	data     []byte
	pos      int
	depth    int
	maxDepth int
	strs     legacyStrCache // caches short strings across messages
	top      []any          // the message's list, reused
}

// start prepares the scan of data under lim.
func (s *legacyScan) start(data []byte, lim *Limits) {
	s.data, s.pos, s.depth, s.maxDepth = data, 0, 0, lim.MaxDepth
}

// release drops the references the scan holds, so that a pooled decoder
// keeps neither the input nor decoded values alive; an oversized list is
// not kept for reuse.
func (s *legacyScan) release() {
	s.data = nil
	clear(s.top)
	s.top = s.top[:0]
	if cap(s.top) > legacyMaxPooledVals {
		s.top = nil
	}
}

// Bounds of a legacyStrCache.
const (
	legacyStrCacheSlots  = 256 // a power of two
	legacyMaxCachedBytes = 40  // longer strings are never cached
)

// legacyStrCache remembers short strings a decoder has made, both as strings (for
// dict keys) and boxed in an interface (for values). A peer sends the same
// few short strings over and over: option and payload field names, URIs,
// enumerations. A decoder that finds one in its cache allocates nothing for
// it. The cache is direct-mapped: a string evicts whatever shared its slot,
// so it follows the working set with bounded memory, and colliding input
// costs only misses. Strings and interfaces holding them are immutable, so
// sharing them between messages is safe. A legacyStrCache belongs to one pooled
// decoder at a time.
type legacyStrCache struct {
	seed  maphash.Seed
	slots *[legacyStrCacheSlots]legacyStrSlot // allocated on first use
}

type legacyStrSlot struct {
	s string
	v any // s boxed, or nil until first asked for
}

// slot returns the slot holding b, having stored b in it if needed.
func (c *legacyStrCache) slot(b []byte) *legacyStrSlot {
	if c.slots == nil {
		c.seed = maphash.MakeSeed()
		c.slots = new([legacyStrCacheSlots]legacyStrSlot)
	}
	e := &c.slots[maphash.Bytes(c.seed, b)&(legacyStrCacheSlots-1)]
	if e.s != string(b) { // compares without allocating
		e.s, e.v = string(b), nil
	}
	return e
}

// key returns b as a string.
func (c *legacyStrCache) key(b []byte) string {
	if len(b) > legacyMaxCachedBytes {
		return string(b)
	}
	return c.slot(b).s
}

// value returns b as a string in an interface.
func (c *legacyStrCache) value(b []byte) any {
	if len(b) > legacyMaxCachedBytes {
		return string(b)
	}
	e := c.slot(b)
	if e.v == nil {
		e.v = e.s
	}
	return e.v
}
