package codec

import (
	"encoding/binary"
	"errors"
	"time"
)

// MessagePack extensions. The JavaScript peers write two for ordinary
// values: msgpackr (wampy.js) and msgpack5 (autobahn-js) write a Date as
// the timestamp extension, and msgpackr writes undefined (in a list, or as
// a dict value) as fixext 1 of type 0 holding one zero byte. The value set
// has no type for an extension, so each decodes as the nearest value:
//
//   - type -1, the timestamp: its date as text, from dateText; msgpackr's
//     invalid Date (one byte, 0xff) as the zero time's text, as the CBOR
//     codec reads an invalid Date from cbor-x;
//   - type 0 holding the byte 0x00: nil, as CBOR's undefined;
//   - any other: its data as []byte, the type dropped, as the CBOR codec
//     keeps the content of a tag it does not know.
const (
	msgpackExtTimestamp = -1
	msgpackExtUndefined = 0
)

var (
	// errMsgpackTimestamp: timestamp data of a length the specification
	// does not define (4, 8 or 12 bytes), other than msgpackr's invalid
	// Date.
	errMsgpackTimestamp = errors.New("timestamp extension of invalid length")
	// errMsgpackNanos: a timestamp's nanoseconds field above 999999999.
	errMsgpackNanos = errors.New("timestamp nanoseconds out of range")
)

// ext reads an extension of code c at the current offset.
func (d *msgpackDecoder) ext(c byte) (any, error) {
	typ, n, err := d.extHeader(c)
	if err != nil {
		return nil, d.fail(err)
	}
	// n < 0: an ext 32 length beyond what an int holds.
	if n < 0 || n > d.left() {
		return nil, d.fail(errLengthExceedsEnd)
	}
	start := d.offset()
	b := d.data[start : start+n]
	d.pos += n
	switch {
	case typ == msgpackExtTimestamp:
		s, err := msgpackTimestamp(b)
		if err != nil {
			return nil, &DecodeError{Codec: "msgpack", Offset: start, Err: err}
		}
		return s, nil
	case typ == msgpackExtUndefined && n == 1 && b[0] == 0:
		return nil, nil
	}
	out := make([]byte, n)
	copy(out, b)
	return out, nil
}

// msgpackTimestamp reads the data of a timestamp extension (type -1) in
// any of its three forms: 32-bit seconds; 30-bit nanoseconds and 34-bit
// seconds; 32-bit nanoseconds and 64-bit signed seconds. Every integer is
// big-endian, seconds count from the Unix epoch, and the time is UTC.
func msgpackTimestamp(b []byte) (string, error) {
	var sec int64
	var nsec uint32
	switch len(b) {
	case 4:
		sec = int64(binary.BigEndian.Uint32(b))
	case 8:
		v := binary.BigEndian.Uint64(b)
		nsec, sec = uint32(v>>34), int64(v&(1<<34-1))
	case 12:
		nsec, sec = binary.BigEndian.Uint32(b), int64(binary.BigEndian.Uint64(b[4:]))
	case 1:
		// msgpackr writes an invalid Date (getTime() is NaN) as this one
		// byte; it reads every length but 4, 8 and 12 as an invalid Date.
		if b[0] == 0xff {
			return dateText(time.Time{})
		}
		return "", errMsgpackTimestamp
	default:
		return "", errMsgpackTimestamp
	}
	if nsec > 999999999 {
		return "", errMsgpackNanos
	}
	return dateText(time.Unix(sec, int64(nsec)))
}
