package codec

import (
	"errors"
	"io"
	"slices"
	"sync"
	"unicode/utf8"

	"github.com/vmihailenco/msgpack/v5/msgpcode"

	"github.com/wampgo/wampgo/protocol"
)

// msgpackFormat is WAMP's MessagePack serializer ("wamp.2.msgpack", binary
// frames), MessagePack version 5 (str and bin distinct), on
// github.com/vmihailenco/msgpack/v5. The library's Decoder reads one value
// at a time; this file chooses, from the value's code, which of its
// methods builds the value of the closed set.
type msgpackFormat struct{ maxDepth, maxDecoded int }

func (msgpackFormat) name() string        { return "msgpack" }
func (msgpackFormat) subprotocol() string { return "wamp.2.msgpack" }
func (msgpackFormat) binary() bool        { return true }

var (
	errMsgpackNotList  = errors.New("message is not a MessagePack array")
	errMsgpackReserved = errors.New("reserved byte 0xc1")
	errMsgpackKey      = errors.New("dict key is not a string")
)

// msgpackDecoder is the pooled state of one decoding.
type msgpackDecoder struct {
	data     []byte
	pos      int // the offset of the next unread byte (msgpack_read.go)
	maxDepth int
	mem      memBudget
	strs     strCache // caches short strings across messages
	ints     intCache // caches boxed integers across messages
	top      []any    // the message's own list, reused: fromList keeps only its elements
}

var msgpackDecoderPool = sync.Pool{New: func() any { return new(msgpackDecoder) }}

func (f msgpackFormat) decode(data []byte) (protocol.Message, error) {
	d := msgpackDecoderPool.Get().(*msgpackDecoder)
	d.data, d.pos, d.maxDepth, d.mem = data, 0, f.maxDepth, memBudget{f.maxDecoded}
	var msg protocol.Message
	l, err := d.message()
	if err == nil {
		msg, err = fromList("msgpack", l)
	}
	d.data, d.pos = nil, 0
	d.top = reuseTop(d.top)
	msgpackDecoderPool.Put(d)
	return msg, err
}

// message reads the whole input, which must be one array.
func (d *msgpackDecoder) message() ([]any, error) {
	c, err := d.peek()
	if err != nil {
		return nil, d.fail(err)
	}
	if !isArray(c) {
		return nil, d.fail(errMsgpackNotList)
	}
	n, err := d.arrayLen(c)
	if err != nil {
		return nil, d.fail(err)
	}
	if err := d.enter(1, n, 1, listMemSize(n)); err != nil {
		return nil, err
	}
	// The message's list is only read by fromList, which keeps its
	// elements, not the list: the decoder's own array serves every
	// message.
	l := slices.Grow(d.top[:0], n)[:n]
	d.top = l
	if err := d.elements(l, 1); err != nil {
		return nil, err
	}
	if d.pos != len(d.data) {
		return nil, d.fail(ErrTrailingData)
	}
	return l, nil
}

// offset is the position of the next unread byte.
func (d *msgpackDecoder) offset() int { return d.pos }

// left is the number of bytes not read yet.
func (d *msgpackDecoder) left() int { return len(d.data) - d.pos }

// fail wraps err, at the current offset; end-of-input errors become
// ErrTruncated.
func (d *msgpackDecoder) fail(err error) error {
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = ErrTruncated
	}
	return &DecodeError{Codec: "msgpack", Offset: d.offset(), Err: err}
}

// value reads one value whose container sits at nesting level depth, and
// charges it to the memory budget (a list or dict charges itself).
func (d *msgpackDecoder) value(depth int) (any, error) {
	v, err := d.item(depth)
	if err != nil {
		return nil, err
	}
	var mem int
	switch x := v.(type) {
	case nil, bool, []any, map[string]any:
		return v, nil
	case string:
		mem = strMem + len(x)
	case []byte:
		mem = binMem + len(x)
	default:
		mem = boxMem
	}
	if !d.mem.charge(mem) {
		return nil, d.fail(ErrDecodedTooLarge)
	}
	return v, nil
}

// item reads one value whose container sits at nesting level depth.
func (d *msgpackDecoder) item(depth int) (any, error) {
	c, err := d.peek()
	if err != nil {
		return nil, d.fail(err)
	}
	switch {
	case msgpcode.IsFixedNum(c):
		d.pos++
		return int64(int8(c)), nil
	case msgpcode.IsString(c):
		b, err := d.str(c)
		if err != nil {
			return nil, err
		}
		return d.strs.value(b), nil
	case isArray(c):
		n, err := d.arrayLen(c)
		if err != nil {
			return nil, d.fail(err)
		}
		return d.list(n, depth+1)
	case isMap(c):
		n, err := d.mapLen(c)
		if err != nil {
			return nil, d.fail(err)
		}
		return d.dict(n, depth+1)
	case c == msgpcode.Nil:
		d.pos++
		return nil, nil
	case c == msgpcode.False || c == msgpcode.True:
		d.pos++
		return c == msgpcode.True, nil
	case c == msgpcode.Uint64:
		u, err := d.header(8)
		if err != nil {
			return nil, d.fail(err)
		}
		return d.ints.uint(u), nil
	case c >= msgpcode.Uint8 && c <= msgpcode.Int64: // every other integer
		n, err := d.integer(c)
		if err != nil {
			return nil, d.fail(err)
		}
		return d.ints.value(n), nil
	case c == msgpcode.Float || c == msgpcode.Double:
		f, err := d.float(c)
		if err != nil {
			return nil, d.fail(err)
		}
		return f, nil
	case msgpcode.IsBin(c):
		return d.bin(c)
	case msgpcode.IsExt(c):
		return d.ext(c) // msgpack_ext.go
	}
	return nil, d.fail(errMsgpackReserved) // 0xc1, the one code left
}

// length reads the length of a str or bin of code c and checks it
// against the bytes left.
func (d *msgpackDecoder) length(c byte) (int, error) {
	n, err := d.bytesLen(c)
	if err != nil {
		return 0, d.fail(err)
	}
	if n > d.left() {
		return 0, d.fail(errLengthExceedsEnd)
	}
	return n, nil
}

// str reads a str, valid UTF-8, as a slice of the input (or, when it holds
// a lone surrogate, as a new slice with U+FFFD in its place).
func (d *msgpackDecoder) str(c byte) ([]byte, error) {
	n, err := d.length(c)
	if err != nil {
		return nil, err
	}
	start := d.offset()
	b := d.data[start : start+n]
	if !utf8.Valid(b) {
		var ok bool
		if b, ok = replaceSurrogates(b); !ok { // surrogates.go
			return nil, &DecodeError{Codec: "msgpack", Offset: start, Err: ErrInvalidUTF8}
		}
	}
	d.pos += n
	return b, nil
}

// bin reads a bin into a new slice.
func (d *msgpackDecoder) bin(c byte) (any, error) {
	n, err := d.length(c)
	if err != nil {
		return nil, err
	}
	out := make([]byte, n)
	copy(out, d.data[d.pos:])
	d.pos += n
	return out, nil
}

// enter checks that a list or dict at nesting level depth, declaring n
// entries of at least size bytes each and costing mem bytes (MemSize,
// without its entries' values), is within the limits, and charges mem.
func (d *msgpackDecoder) enter(depth, n, size, mem int) error {
	if depth > d.maxDepth {
		return d.fail(ErrTooDeep)
	}
	if n > d.left()/size {
		return d.fail(errLengthExceedsEnd)
	}
	if !d.mem.charge(mem) {
		return d.fail(ErrDecodedTooLarge)
	}
	return nil
}

// maxPrealloc bounds the room a dict is given up front from its declared
// length (a map's slots cost ~5 times a list's elements); past it, it
// grows as its entries arrive.
const maxPrealloc = 1024

// list reads the n elements of a list at nesting level depth.
func (d *msgpackDecoder) list(n, depth int) (any, error) {
	if err := d.enter(depth, n, 1, listMemSize(n)); err != nil {
		return nil, err
	}
	// Its declared length is backed by the input (a byte per element at
	// least) and already charged to the budget: its array is allocated
	// whole.
	l := make([]any, n)
	if err := d.elements(l, depth); err != nil {
		return nil, err
	}
	return l, nil
}

// elements reads the elements of a list at nesting level depth into l.
func (d *msgpackDecoder) elements(l []any, depth int) error {
	for i := range l {
		v, err := d.value(depth)
		if err != nil {
			return err
		}
		l[i] = v
	}
	return nil
}

// dict reads the n entries of a dict at nesting level depth.
func (d *msgpackDecoder) dict(n, depth int) (any, error) {
	if err := d.enter(depth, n, 2, dictMemSize(n)); err != nil {
		return nil, err
	}
	m := make(map[string]any, min(n, maxPrealloc))
	for i := range n {
		c, err := d.peek()
		if err != nil {
			return nil, d.fail(err)
		}
		if !msgpcode.IsString(c) {
			return nil, d.fail(errMsgpackKey)
		}
		kb, err := d.str(c)
		if err != nil {
			return nil, err
		}
		k := d.strs.key(kb)
		if !d.mem.charge(len(k)) {
			return nil, d.fail(ErrDecodedTooLarge)
		}
		v, err := d.value(depth)
		if err != nil {
			return nil, err
		}
		m[k] = v
		if len(m) != i+1 {
			return nil, d.fail(duplicateKey(k))
		}
	}
	return m, nil
}
