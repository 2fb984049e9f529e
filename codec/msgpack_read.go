package codec

import (
	"encoding/binary"
	"io"
	"math"

	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// The MessagePack decoder reads its input in place, a byte slice and an
// offset: the headers of the format are a code byte and a big-endian
// integer at most, so no reader sits between the decoder and the bytes.
// End of input is reported as io.EOF (nothing left) or
// io.ErrUnexpectedEOF (a header cut short), which fail turns into
// ErrTruncated; the offset then stays at the code byte's.

// peek returns the code byte at the offset, without taking it.
func (d *msgpackDecoder) peek() (byte, error) {
	if d.pos >= len(d.data) {
		return 0, io.EOF
	}
	return d.data[d.pos], nil
}

// header takes a code byte followed by a big-endian unsigned integer of
// size bytes (0, 1, 2, 4 or 8) and returns the integer.
func (d *msgpackDecoder) header(size int) (uint64, error) {
	if len(d.data)-d.pos < 1+size {
		return 0, io.ErrUnexpectedEOF
	}
	b := d.data[d.pos+1 : d.pos+1+size]
	d.pos += 1 + size
	switch size {
	case 1:
		return uint64(b[0]), nil
	case 2:
		return uint64(binary.BigEndian.Uint16(b)), nil
	case 4:
		return uint64(binary.BigEndian.Uint32(b)), nil
	case 8:
		return binary.BigEndian.Uint64(b), nil
	}
	return 0, nil
}

// containerLen takes the header of a list (or a dict, with fix, the fixed
// form's code, 0x80, and c16, the code with a 16-bit length) and returns
// its length.
func (d *msgpackDecoder) containerLen(c, fix, c16 byte) (int, error) {
	if c&0xf0 == fix {
		d.pos++
		return int(c & 0x0f), nil
	}
	size := 4 // c16+1: 32-bit length
	if c == c16 {
		size = 2
	}
	n, err := d.header(size)
	return int(n), err
}

// arrayLen takes a list's header.
func (d *msgpackDecoder) arrayLen(c byte) (int, error) {
	return d.containerLen(c, msgpcode.FixedArrayLow, msgpcode.Array16)
}

// mapLen takes a dict's header.
func (d *msgpackDecoder) mapLen(c byte) (int, error) {
	return d.containerLen(c, msgpcode.FixedMapLow, msgpcode.Map16)
}

// isArray and isMap report whether c starts a list or a dict.
func isArray(c byte) bool {
	return msgpcode.IsFixedArray(c) || c == msgpcode.Array16 || c == msgpcode.Array32
}

func isMap(c byte) bool {
	return msgpcode.IsFixedMap(c) || c == msgpcode.Map16 || c == msgpcode.Map32
}

// integer takes an integer of code c, Uint8 to Int64 but Uint64.
func (d *msgpackDecoder) integer(c byte) (int64, error) {
	switch c {
	case msgpcode.Uint8, msgpcode.Uint16, msgpcode.Uint32:
		u, err := d.header(1 << (c - msgpcode.Uint8))
		return int64(u), err
	case msgpcode.Int8:
		u, err := d.header(1)
		return int64(int8(u)), err
	case msgpcode.Int16:
		u, err := d.header(2)
		return int64(int16(u)), err
	case msgpcode.Int32:
		u, err := d.header(4)
		return int64(int32(u)), err
	}
	u, err := d.header(8) // Int64
	return int64(u), err
}

// float takes a float of code c (Float or Double).
func (d *msgpackDecoder) float(c byte) (float64, error) {
	if c == msgpcode.Float {
		u, err := d.header(4)
		return float64(math.Float32frombits(uint32(u))), err
	}
	u, err := d.header(8)
	return math.Float64frombits(u), err
}

// bytesLen takes the header of a str or bin of code c.
func (d *msgpackDecoder) bytesLen(c byte) (int, error) {
	if msgpcode.IsFixedString(c) {
		d.pos++
		return int(c & msgpcode.FixedStrMask), nil
	}
	var size int
	switch c {
	case msgpcode.Str8, msgpcode.Bin8:
		size = 1
	case msgpcode.Str16, msgpcode.Bin16:
		size = 2
	default: // Str32, Bin32
		size = 4
	}
	n, err := d.header(size)
	return int(n), err
}

// extHeader takes an extension's header: its type and data length.
func (d *msgpackDecoder) extHeader(c byte) (typ int8, n int, err error) {
	var size int
	switch c {
	case msgpcode.FixExt1, msgpcode.FixExt2, msgpcode.FixExt4, msgpcode.FixExt8, msgpcode.FixExt16:
		n = 1 << (c - msgpcode.FixExt1)
	case msgpcode.Ext8:
		size = 1
	case msgpcode.Ext16:
		size = 2
	default: // Ext32
		size = 4
	}
	if len(d.data)-d.pos < 1+size+1 {
		return 0, 0, io.ErrUnexpectedEOF
	}
	if size > 0 {
		u, _ := d.header(size) // the code and the length: the type follows
		n = int(u)
	} else {
		d.pos++ // the code
	}
	typ = int8(d.data[d.pos])
	d.pos++
	return typ, n, nil
}
