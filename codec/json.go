package codec

import (
	"bytes"
	"encoding/base64"
	"errors"
	"io"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/wampgo/wampgo/protocol"
)

// jsonFormat is WAMP's JSON serializer ("wamp.2.json", text frames), on
// github.com/go-json-experiment/json/jsontext, with the binary convention
// of the spec: a []byte travels as a string holding U+0000 followed by its
// standard base64 encoding. jsontext checks the grammar and UTF-8 and
// hands out each string and number as its exact text; this file turns the
// text into the values of the closed set.
type jsonFormat struct{ maxDepth, maxDecoded int }

func (jsonFormat) name() string        { return "json" }
func (jsonFormat) subprotocol() string { return "wamp.2.json" }
func (jsonFormat) binary() bool        { return false }

var (
	errJSONNotList     = errors.New("message is not a JSON array")
	errJSONNumberRange = errors.New("number out of float64 range")
)

// jsonInvalidUTF8 is the cause jsontext gives for invalid UTF-8 (its
// sentinel is internal): learnt once by decoding a string that is not.
var jsonInvalidUTF8 = func() error {
	_, err := jsontext.NewDecoder(bytes.NewReader([]byte("\"\xff\""))).ReadValue()
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		return se.Err
	}
	return nil
}()

// jsonDecoder is the pooled state of one decoding.
type jsonDecoder struct {
	data       []byte
	in         bytes.Buffer // aliases data: jsontext reads it in place
	dec        *jsontext.Decoder
	maxDepth   int
	maxDecoded int
	mem        memBudget // of the current reading
	buf        []byte    // unescaped text of the current string
	stack      []any     // the elements of the lists being read, innermost last
	strs       strCache  // caches short strings across messages
	ints       intCache  // caches boxed integers across messages
	// surrogates is set for a second reading of input that failed and
	// holds a surrogate, escaped or encoded: jsontext then lets unpaired
	// surrogate escapes and invalid UTF-8 through, and text reads the
	// surrogates as U+FFFD and refuses other invalid UTF-8 (see
	// surrogates.go).
	surrogates bool
	// nonFinite, in a second reading, holds the values of the NaN and
	// Infinity words replaced by number tokens, by offset (see
	// json_nonfinite.go).
	nonFinite map[int]float64
}

var jsonDecoderPool = sync.Pool{New: func() any {
	d := new(jsonDecoder)
	d.dec = jsontext.NewDecoder(&d.in)
	return d
}}

// jsonOptions: duplicate names are found while the dict is built, for free.
var jsonOptions = jsontext.AllowDuplicateNames(true)

// jsonSurrogateOptions are the options of the second reading.
var jsonSurrogateOptions = jsontext.AllowInvalidUTF8(true)

func (f jsonFormat) decode(data []byte) (protocol.Message, error) {
	d := jsonDecoderPool.Get().(*jsonDecoder)
	d.data, d.maxDepth, d.maxDecoded = data, f.maxDepth, f.maxDecoded
	d.in = *bytes.NewBuffer(data)
	d.dec.Reset(&d.in, jsonOptions)
	var msg protocol.Message
	l, err := d.message()
	if err != nil {
		l, err = d.secondReading(data, err)
	}
	if err == nil {
		msg, err = fromList("json", l)
	}
	d.data = nil
	d.in = bytes.Buffer{}
	d.dec.Reset(&d.in)
	if cap(d.buf) > maxPooledBuf {
		d.buf = nil
	}
	d.stack = reuseStack(d.stack)
	jsonDecoderPool.Put(d)
	return msg, err
}

// secondReading reads data, which failed to decode with err, a second
// time if it holds what a peer may legitimately send but jsontext refuses:
// a lone surrogate (surrogates.go) or a non-finite number
// (json_nonfinite.go). It returns err when there is neither.
func (d *jsonDecoder) secondReading(data []byte, err error) ([]any, error) {
	surrogates := hasSurrogateEscape(data) || hasEncodedSurrogate(data)
	var replaced []byte
	if hasNonFiniteWord(data) {
		replaced, d.nonFinite = replaceNonFinite(data)
	}
	if !surrogates && replaced == nil {
		return nil, err
	}
	if replaced != nil {
		d.data = replaced
	}
	d.in = *bytes.NewBuffer(d.data)
	if surrogates {
		d.dec.Reset(&d.in, jsonOptions, jsonSurrogateOptions)
	} else {
		d.dec.Reset(&d.in, jsonOptions)
	}
	d.surrogates = surrogates
	l, err := d.message()
	d.surrogates, d.nonFinite = false, nil
	return l, err
}

// message reads the whole input, which must be one array.
func (d *jsonDecoder) message() ([]any, error) {
	switch d.dec.PeekKind() {
	case '[':
	case 0:
		_, err := d.dec.ReadToken()
		return nil, d.fail(err)
	default:
		return nil, &DecodeError{Codec: "json", Offset: int(d.dec.InputOffset()), Err: errJSONNotList}
	}
	d.mem = memBudget{d.maxDecoded}
	d.stack = reuseStack(d.stack) // a first reading may have failed half-way
	// The message's list is only read by fromList, which keeps its
	// elements, not the list: it is left on the stack.
	if err := d.elements(1); err != nil {
		return nil, err
	}
	end := int(d.dec.InputOffset())
	if rest := bytes.TrimLeft(d.data[end:], " \t\r\n"); len(rest) != 0 {
		return nil, &DecodeError{Codec: "json", Offset: len(d.data) - len(rest), Err: ErrTrailingData}
	}
	return d.stack, nil
}

// fail wraps an error of jsontext, at the offset it reports.
func (d *jsonDecoder) fail(err error) error {
	off := int(d.dec.InputOffset())
	var se *jsontext.SyntacticError
	if errors.As(err, &se) {
		off = int(se.ByteOffset)
		switch {
		case se.Err == io.ErrUnexpectedEOF:
			err = ErrTruncated
		case se.Err == jsonInvalidUTF8:
			err = ErrInvalidUTF8
		}
	} else if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = ErrTruncated
	}
	return &DecodeError{Codec: "json", Offset: off, Err: err}
}

// value reads one value whose container sits at nesting level depth.
func (d *jsonDecoder) value(depth int) (any, error) {
	v, err := d.item(depth)
	if err != nil {
		return nil, err
	}
	switch v.(type) {
	case []any, map[string]any:
	default:
		if !d.mem.charge(MemSize(v)) {
			return nil, d.tooLarge()
		}
	}
	return v, nil
}

// tooLarge is the error for a message past Limits.MaxDecodedSize.
func (d *jsonDecoder) tooLarge() error {
	return &DecodeError{Codec: "json", Offset: int(d.dec.InputOffset()), Err: ErrDecodedTooLarge}
}

// item reads one value; value charges it to the memory budget.
func (d *jsonDecoder) item(depth int) (any, error) {
	switch d.dec.PeekKind() {
	case '"':
		raw, err := d.dec.ReadValue()
		if err != nil {
			return nil, d.fail(err)
		}
		return d.str(raw)
	case '0':
		raw, err := d.dec.ReadValue()
		if err != nil {
			return nil, d.fail(err)
		}
		return d.number(raw)
	case '[':
		return d.list(depth + 1)
	case '{':
		return d.dict(depth + 1)
	}
	tok, err := d.dec.ReadToken()
	if err != nil {
		return nil, d.fail(err)
	}
	switch tok.Kind() {
	case 't':
		return true, nil
	case 'f':
		return false, nil
	}
	return nil, nil // 'n'; jsontext has reported everything else
}

// open reads the '[' or '{' of a list or dict at nesting level depth.
func (d *jsonDecoder) open(depth int) error {
	if depth > d.maxDepth {
		return &DecodeError{Codec: "json", Offset: int(d.dec.InputOffset()), Err: ErrTooDeep}
	}
	if _, err := d.dec.ReadToken(); err != nil {
		return d.fail(err)
	}
	return nil
}

// close reads the ']' or '}' that PeekKind found.
func (d *jsonDecoder) close() error {
	if _, err := d.dec.ReadToken(); err != nil {
		return d.fail(err)
	}
	return nil
}

// list reads a list at nesting level depth into a new slice of its own
// length: its elements gather on the stack first.
func (d *jsonDecoder) list(depth int) (any, error) {
	base := len(d.stack)
	if err := d.elements(depth); err != nil {
		return nil, err
	}
	n := len(d.stack) - base
	if !d.mem.charge(slotMem * n) {
		return nil, d.tooLarge()
	}
	l := make([]any, n)
	copy(l, d.stack[base:])
	clear(d.stack[base:])
	d.stack = d.stack[:base]
	return l, nil
}

// elements reads a list at nesting level depth, pushing its elements on
// the stack. The budget pays for every array the stack outgrows (a pooled
// decoder's stack seldom grows; the list made of the elements is its
// caller's to charge).
func (d *jsonDecoder) elements(depth int) error {
	if err := d.open(depth); err != nil {
		return err
	}
	if !d.mem.charge(listMemSize(0)) {
		return d.tooLarge()
	}
	for d.dec.PeekKind() != ']' {
		v, err := d.value(depth)
		if err != nil {
			return err
		}
		grown := append(d.stack, v)
		if cap(grown) != cap(d.stack) && !d.mem.charge(slotMem*cap(grown)) {
			return d.tooLarge()
		}
		d.stack = grown
	}
	return d.close()
}

func (d *jsonDecoder) dict(depth int) (any, error) {
	if err := d.open(depth); err != nil {
		return nil, err
	}
	if !d.mem.charge(dictMemSize(0)) {
		return nil, d.tooLarge()
	}
	m := map[string]any{}
	for i := 0; d.dec.PeekKind() != '}'; i++ {
		if !d.mem.charge(dictMemSize(i+1) - dictMemSize(i)) {
			return nil, d.tooLarge()
		}
		raw, err := d.dec.ReadValue() // the name: jsontext allows only a string here
		if err != nil {
			return nil, d.fail(err)
		}
		kb, err := d.text(raw)
		if err != nil {
			return nil, err
		}
		k := d.strs.key(kb)
		if !d.mem.charge(len(k)) {
			return nil, d.tooLarge()
		}
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		m[k] = v
		if len(m) != i+1 {
			return nil, &DecodeError{Codec: "json", Offset: int(d.dec.InputOffset()), Err: duplicateKey(k)}
		}
	}
	return m, d.close()
}

// text returns the content of the JSON string raw (quoted; valid, or in
// the second reading with lone surrogates): a slice of the input when it
// is valid and has no escapes, else a new slice or one of d.buf.
func (d *jsonDecoder) text(raw jsontext.Value) ([]byte, error) {
	if d.surrogates && !utf8.Valid(raw) {
		fixed, ok := replaceSurrogates(raw)
		if !ok {
			return nil, &DecodeError{Codec: "json", Offset: int(d.dec.InputOffset()) - len(raw), Err: ErrInvalidUTF8}
		}
		raw = fixed
	}
	if bytes.IndexByte(raw, '\\') < 0 {
		return raw[1 : len(raw)-1], nil
	}
	// raw is valid but for unpaired surrogate escapes, which the error
	// reports and the text holds as U+FFFD.
	d.buf, _ = jsontext.AppendUnquote(d.buf[:0], raw)
	return d.buf, nil
}

// hasSurrogateEscape reports whether data holds the escape of a surrogate,
// \uD800 to \uDFFF (in a string or not: a cheap test before a second
// reading).
func hasSurrogateEscape(data []byte) bool {
	for {
		i := bytes.Index(data, []byte(`\u`))
		if i < 0 || i+4 > len(data) {
			return false
		}
		if c, h := data[i+2], data[i+3]; (c == 'd' || c == 'D') && strings.IndexByte("89abcdefABCDEF", h) >= 0 {
			return true
		}
		data = data[i+2:]
	}
}

// str maps a JSON string: binary when it starts with U+0000 followed by
// standard base64 (WAMP's binary convention), text otherwise.
func (d *jsonDecoder) str(raw jsontext.Value) (any, error) {
	b, err := d.text(raw)
	if err != nil {
		return nil, err
	}
	if len(b) > 0 && b[0] == 0 {
		if bin, ok := decodeBase64(b[1:]); ok {
			return bin, nil
		}
	}
	return d.strs.value(b), nil
}

// decodeBase64 decodes standard base64 with its padding (RFC 4648,
// section 4, which WAMP's binary convention names), into a new slice.
// Anything else is not base64: a NUL-led string whose rest is unpadded
// ("\u0000abc", text a Python or JavaScript peer may send) stays text, as
// Autobahn|Python, which refuses unpadded base64, reads it.
func decodeBase64(s []byte) ([]byte, bool) {
	if len(s)%4 != 0 || bytes.ContainsAny(s, "\r\n") { // the decoder would skip \r and \n
		return nil, false
	}
	out := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
	n, err := base64.StdEncoding.Decode(out, s)
	if err != nil {
		return nil, false
	}
	return out[:n], true
}

// number maps a JSON number (valid, by jsontext): integers (no fraction,
// no exponent) that fit become int64, or uint64 above math.MaxInt64; other
// numbers float64, rounded to the nearest.
func (d *jsonDecoder) number(raw jsontext.Value) (any, error) {
	if d.nonFinite != nil {
		if v, ok := d.nonFinite[int(d.dec.InputOffset())-len(raw)]; ok {
			return v, nil
		}
	}
	if !bytes.ContainsAny(raw, ".eE") {
		if raw[0] == '-' {
			if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
				return d.ints.value(n), nil
			}
		} else if u, err := strconv.ParseUint(string(raw), 10, 64); err == nil {
			return d.ints.uint(u), nil
		}
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if err != nil {
		return nil, &DecodeError{Codec: "json", Offset: int(d.dec.InputOffset()) - len(raw), Err: errJSONNumberRange}
	}
	return f, nil
}
