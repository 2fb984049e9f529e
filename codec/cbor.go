package codec

import (
	"encoding/binary"
	"errors"
	"math"
	"sync"
	"unicode/utf8"

	"github.com/wampgo/wampgo/protocol"
)

// cborFormat is WAMP's CBOR serializer ("wamp.2.cbor", binary frames,
// RFC 8949). Definite and indefinite lengths are both accepted; tags and
// simple values other than false, true, null and undefined are rejected.
type cborFormat struct{}

func (cborFormat) name() string        { return "cbor" }
func (cborFormat) subprotocol() string { return "wamp.2.cbor" }
func (cborFormat) binary() bool        { return true }

// CBOR major types.
const (
	cborUint   = 0
	cborNeg    = 1
	cborBytes  = 2
	cborText   = 3
	cborArray  = 4
	cborMap    = 5
	cborTag    = 6
	cborSimple = 7

	cborIndefinite = 31   // additional information of an indefinite length
	cborBreak      = 0xff // the stop code of an indefinite length item
)

var (
	errCBORNotList = errors.New("message is not a CBOR array")
	errCBORTag     = errors.New("tags are not supported")
	errCBORSimple  = errors.New("simple values other than false, true, null and undefined are not supported")
	errCBORInfo    = errors.New("reserved additional information")
	errCBORBreak   = errors.New("unexpected break code")
	errCBORChunk   = errors.New("indefinite-length string chunk of the wrong type")
	errCBORKey     = errors.New("dict key is not a text string")
)

// cborDecoder parses one CBOR message straight into the closed set of value
// types.
type cborDecoder struct{ binaryScan }

var cborDecoderPool = sync.Pool{New: func() any { return new(cborDecoder) }}

func (cborFormat) decode(data []byte, lim *Limits) (protocol.Message, error) {
	d := cborDecoderPool.Get().(*cborDecoder)
	d.start(data, lim)
	var msg protocol.Message
	l, err := d.message()
	if err == nil {
		msg, err = fromList("cbor", l)
	}
	d.release()
	cborDecoderPool.Put(d)
	return msg, err
}

// message parses the whole input, which must be one array, into d.top.
func (d *cborDecoder) message() ([]any, error) {
	data := d.data
	if len(data) == 0 {
		return nil, d.fail(ErrTruncated)
	}
	if data[0]>>5 != cborArray {
		return nil, d.fail(errCBORNotList)
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

func (d *cborDecoder) fail(err error) error {
	return &DecodeError{Codec: "cbor", Offset: d.pos, Err: err}
}

// argument reads the argument of a head whose additional information is
// info (< 31), the head's first byte having been consumed.
func (d *cborDecoder) argument(info byte) (uint64, error) {
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
		return 0, d.fail(errCBORInfo)
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
func (d *cborDecoder) length(info byte, minSize int) (int, error) {
	n, err := d.argument(info)
	if err != nil {
		return 0, err
	}
	if n > uint64(len(d.data)-d.pos)/uint64(minSize) {
		return 0, d.fail(errLengthExceedsEnd)
	}
	return int(n), nil
}

func (d *cborDecoder) value() (any, error) {
	if d.pos >= len(d.data) {
		return nil, d.fail(ErrTruncated)
	}
	c := d.data[d.pos]
	d.pos++
	major, info := c>>5, c&0x1f
	switch major {
	case cborUint:
		if info < 24 {
			return int64(info), nil
		}
		u, err := d.argument(info)
		if err != nil {
			return nil, err
		}
		return normUint(u), nil
	case cborNeg:
		u, err := d.argument(info)
		if err != nil {
			return nil, err
		}
		if u <= math.MaxInt64 {
			return -1 - int64(u), nil
		}
		return -1 - float64(u), nil // below math.MinInt64: rounded
	case cborBytes:
		b, err := d.bytes(cborBytes, info)
		if err != nil {
			return nil, err
		}
		if b == nil {
			b = []byte{}
		}
		return b, nil
	case cborText:
		b, err := d.bytes(cborText, info)
		if err != nil {
			return nil, err
		}
		return d.strs.value(b), nil
	case cborArray:
		l, err := d.list(info)
		if err != nil {
			return nil, err
		}
		return l, nil
	case cborMap:
		m, err := d.dict(info)
		if err != nil {
			return nil, err
		}
		return m, nil
	case cborTag:
		d.pos--
		return nil, d.fail(errCBORTag)
	}
	return d.simple(info)
}

// simple reads a value of major type 7.
func (d *cborDecoder) simple(info byte) (any, error) {
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
			return halfToFloat64(uint16(u)), nil
		case 26:
			return float64(math.Float32frombits(uint32(u))), nil
		}
		return math.Float64frombits(u), nil
	case cborIndefinite:
		d.pos--
		return nil, d.fail(errCBORBreak)
	case 28, 29, 30:
		d.pos--
		return nil, d.fail(errCBORInfo)
	}
	d.pos--
	return nil, d.fail(errCBORSimple)
}

// halfToFloat64 converts an IEEE 754 half precision float exactly.
func halfToFloat64(h uint16) float64 {
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
func (d *cborDecoder) bytes(major, info byte) ([]byte, error) {
	if info != cborIndefinite {
		n, err := d.length(info, 1)
		if err != nil {
			return nil, err
		}
		b := d.data[d.pos : d.pos+n]
		if major == cborText && !utf8.Valid(b) {
			return nil, d.fail(ErrInvalidUTF8)
		}
		d.pos += n
		if major == cborBytes {
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
		if c == cborBreak {
			d.pos++
			if out == nil {
				out = []byte{}
			}
			return out, nil
		}
		if c>>5 != major || c&0x1f == cborIndefinite {
			return nil, d.fail(errCBORChunk)
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
func (d *cborDecoder) enter() error {
	d.depth++
	if d.depth > d.maxDepth {
		d.pos--
		return d.fail(ErrTooDeep)
	}
	return nil
}

// atBreak consumes a break code, if one is next.
func (d *cborDecoder) atBreak() (bool, error) {
	if d.pos >= len(d.data) {
		return false, d.fail(ErrTruncated)
	}
	if d.data[d.pos] == cborBreak {
		d.pos++
		return true, nil
	}
	return false, nil
}

// list reads an array whose head's first byte has been consumed.
func (d *cborDecoder) list(info byte) ([]any, error) {
	return d.elements(nil, info)
}

// elements appends the elements of an array whose head's first byte has
// been consumed to l; when l is nil, it allocates the list, never nil.
func (d *cborDecoder) elements(l []any, info byte) ([]any, error) {
	if err := d.enter(); err != nil {
		return l, err
	}
	if info == cborIndefinite {
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
		l = make([]any, 0, min(n, maxListPrealloc))
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
func (d *cborDecoder) dict(info byte) (map[string]any, error) {
	if err := d.enter(); err != nil {
		return nil, err
	}
	n := -1 // indefinite
	if info != cborIndefinite {
		var err error
		if n, err = d.length(info, 2); err != nil {
			return nil, err
		}
	}
	m := make(map[string]any, min(max(n, 0), maxDictPrealloc))
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
func (d *cborDecoder) key() (string, error) {
	if d.pos >= len(d.data) {
		return "", d.fail(ErrTruncated)
	}
	c := d.data[d.pos]
	if c>>5 != cborText {
		return "", d.fail(errCBORKey)
	}
	d.pos++
	b, err := d.bytes(cborText, c&0x1f)
	if err != nil {
		return "", err
	}
	return d.strs.key(b), nil
}
