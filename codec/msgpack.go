package codec

import (
	"encoding/binary"
	"errors"
	"math"
	"sync"
	"unicode/utf8"

	"github.com/wampgo/wampgo/protocol"
)

// msgpackFormat is WAMP's MessagePack serializer ("wamp.2.msgpack", binary
// frames), MessagePack version 5 (str and bin distinct). Extension types
// are not part of WAMP's value set and are rejected.
type msgpackFormat struct{}

func (msgpackFormat) name() string        { return "msgpack" }
func (msgpackFormat) subprotocol() string { return "wamp.2.msgpack" }
func (msgpackFormat) binary() bool        { return true }

var (
	errMsgpackNotList  = errors.New("message is not a MessagePack array")
	errMsgpackReserved = errors.New("reserved byte 0xc1")
	errMsgpackExt      = errors.New("extension types are not supported")
	errMsgpackKey      = errors.New("dict key is not a string")
	// errLengthExceedsEnd: a header declares more than the input holds.
	errLengthExceedsEnd error = &wrapError{msg: "declared length exceeds the input", err: ErrTruncated}
)

// Initial capacity bounds for lists and dicts whose declared length has not
// been read yet: a header may claim more elements than follow, and what is
// allocated up front must stay proportional to what was actually read.
const (
	maxListPrealloc = 4096
	maxDictPrealloc = 64
)

// msgpackDecoder parses one MessagePack message straight into the closed
// set of value types.
type msgpackDecoder struct{ binaryScan }

var msgpackDecoderPool = sync.Pool{New: func() any { return new(msgpackDecoder) }}

func (msgpackFormat) decode(data []byte, lim *Limits) (protocol.Message, error) {
	d := msgpackDecoderPool.Get().(*msgpackDecoder)
	d.start(data, lim)
	var msg protocol.Message
	l, err := d.message()
	if err == nil {
		msg, err = fromList("msgpack", l)
	}
	d.release()
	msgpackDecoderPool.Put(d)
	return msg, err
}

// message parses the whole input, which must be one array, into d.top.
func (d *msgpackDecoder) message() ([]any, error) {
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
		return nil, d.fail(errMsgpackNotList)
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

func (d *msgpackDecoder) fail(err error) error {
	return &DecodeError{Codec: "msgpack", Offset: d.pos, Err: err}
}

// take returns the next n bytes.
func (d *msgpackDecoder) take(n int) ([]byte, error) {
	if n > len(d.data)-d.pos {
		return nil, d.fail(errLengthExceedsEnd)
	}
	b := d.data[d.pos : d.pos+n]
	d.pos += n
	return b, nil
}

// length reads a 16-bit (or, if long, 32-bit) big-endian length.
func (d *msgpackDecoder) length(long bool) (int, error) {
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
func (d *msgpackDecoder) length8() (int, error) {
	b, err := d.take(1)
	if err != nil {
		return 0, err
	}
	return int(b[0]), nil
}

func (d *msgpackDecoder) value() (any, error) {
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
		return normUint(binary.BigEndian.Uint64(b)), nil
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
		return nil, d.fail(errMsgpackReserved)
	}
	d.pos--
	return nil, d.fail(errMsgpackExt) // 0xc7-0xc9, 0xd4-0xd8
}

// normUint returns u as int64 when it fits, else as uint64.
func normUint(u uint64) any {
	if u <= math.MaxInt64 {
		return int64(u)
	}
	return u
}

func (d *msgpackDecoder) str(n int) (any, error) {
	b, err := d.utf8(n)
	if err != nil {
		return nil, err
	}
	return d.strs.value(b), nil
}

// utf8 reads n bytes of UTF-8 text.
func (d *msgpackDecoder) utf8(n int) ([]byte, error) {
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

func (d *msgpackDecoder) bin(n int) (any, error) {
	b, err := d.take(n)
	if err != nil {
		return nil, err
	}
	out := make([]byte, n)
	copy(out, b)
	return out, nil
}

func (d *msgpackDecoder) listValue(n int) (any, error) {
	l, err := d.list(n)
	if err != nil {
		return nil, err
	}
	return l, nil
}

// list reads the n elements of a list whose header has been read.
func (d *msgpackDecoder) list(n int) ([]any, error) {
	if n > len(d.data)-d.pos { // every element takes a byte at least
		return nil, d.fail(errLengthExceedsEnd)
	}
	return d.elements(make([]any, 0, min(n, maxListPrealloc)), n)
}

// elements appends the n elements of a list whose header has been read
// to l.
func (d *msgpackDecoder) elements(l []any, n int) ([]any, error) {
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
func (d *msgpackDecoder) dict(n int) (any, error) {
	d.depth++
	if d.depth > d.maxDepth {
		return nil, d.fail(ErrTooDeep)
	}
	if n > (len(d.data)-d.pos)/2 { // every entry takes two bytes at least
		return nil, d.fail(errLengthExceedsEnd)
	}
	m := make(map[string]any, min(n, maxDictPrealloc))
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
func (d *msgpackDecoder) key() (string, error) {
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
		return "", d.fail(errMsgpackKey)
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
