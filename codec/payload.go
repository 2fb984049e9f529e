package codec

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"

	"github.com/wampgo/wampgo/protocol"
)

// ValueAppender is implemented by the codecs of this package: AppendValue
// appends the serialization of one value (of the types that Encode accepts,
// or any value that Normalize converts to them) to dst, under the same
// rules and depth limit as Encode. On error the returned slice is dst.
type ValueAppender interface {
	AppendValue(dst []byte, v any) ([]byte, error)
}

// EncodedPayload is a message payload (Arguments, ArgumentsKw) serialized
// ahead of time by one codec, so that the values it came from need not be
// kept: a session encodes a caller's arguments in the caller's goroutine
// and splices them into the message later, with AppendSpliced, once the
// message's request id is known.
//
// The zero value is the empty payload. An EncodedPayload is immutable and
// safe to share between goroutines.
type EncodedPayload struct {
	codec string // the name of the codec that encoded data
	count int    // how many list elements data holds: 0, 1 (args) or 2 (args, kwargs)
	data  []byte // the elements, back to back (JSON: separated by commas)
}

// Codec names the codec that encoded the payload ("" for the empty one).
func (p EncodedPayload) Codec() string { return p.codec }

// Count is how many message elements the payload adds: 0 (no arguments),
// 1 (Arguments only) or 2 (Arguments and ArgumentsKw).
func (p EncodedPayload) Count() int { return p.count }

// Size is the payload's encoded size in bytes.
func (p EncodedPayload) Size() int { return len(p.data) }

// EncodePayload serializes args and kwargs with c in their shortest message
// form: nothing when both are empty, [args] when kwargs is empty, else
// [args, kwargs] (args as an empty list if need be). It fails with an
// *EncodeError on a value c cannot carry. Neither args nor kwargs is
// retained.
func EncodePayload(c Codec, args protocol.List, kwargs protocol.Dict) (EncodedPayload, error) {
	if len(args) == 0 && len(kwargs) == 0 {
		return EncodedPayload{}, nil
	}
	va, ok := c.(ValueAppender)
	if !ok {
		return EncodedPayload{}, &EncodeError{Codec: c.Name(), Err: errors.New("codec cannot encode a payload on its own (no AppendValue)")}
	}
	if args == nil {
		args = protocol.List{}
	}
	// Room for a small payload at once, instead of growing it by
	// doubling from nothing as the value is appended.
	var b []byte
	var err error
	if cc, ok := c.(*codec); ok {
		b, err = cc.appendArgs(make([]byte, 0, 64), args)
	} else {
		b, err = va.AppendValue(make([]byte, 0, 64), args)
	}
	if err != nil {
		return EncodedPayload{}, encodeError(c, err)
	}
	p := EncodedPayload{codec: c.Name(), count: 1}
	if len(kwargs) > 0 {
		if !c.Binary() {
			b = append(b, ',')
		}
		if b, err = va.AppendValue(b, kwargs); err != nil {
			return EncodedPayload{}, encodeError(c, err)
		}
		p.count = 2
	}
	p.data = b
	return p, nil
}

func encodeError(c Codec, err error) error {
	var ee *EncodeError
	if errors.As(err, &ee) {
		return err
	}
	return &EncodeError{Codec: c.Name(), Err: err}
}

// AppendSpliced appends to dst the serialization by c of msg followed by
// the payload p, as if msg had carried p's arguments: msg itself must carry
// no payload (empty Arguments and ArgumentsKw). It is how a message whose
// arguments were encoded earlier, by EncodePayload, is completed once its
// other fields (a request id) are known.
//
// A payload encoded by another codec than c (a session that reconnected to
// a router with another serializer) is transcoded first. The error is an
// *EncodeError, as from Encode; on error the returned slice is dst.
func AppendSpliced(c Codec, dst []byte, msg protocol.Message, p EncodedPayload) ([]byte, error) {
	if p.count > 0 && p.codec != c.Name() {
		var err error
		if p, err = transcode(p, c); err != nil {
			return dst, err
		}
	}
	start := len(dst)
	b, err := appendMessage(c, dst, msg)
	if err != nil || p.count == 0 {
		return b, err
	}
	switch c.Name() {
	case "json":
		if len(b) == start || b[len(b)-1] != ']' {
			return dst, &EncodeError{Codec: c.Name(), Err: errors.New("splice: message is not a JSON array")}
		}
		b = append(b[:len(b)-1], ',')
		b = append(b, p.data...)
		return append(b, ']'), nil
	case "msgpack", "cbor":
		b, err = fixListHeader(c.Name(), b, start, p.count)
		if err != nil {
			return dst, &EncodeError{Codec: c.Name(), Err: err}
		}
		return append(b, p.data...), nil
	}
	return dst, &EncodeError{Codec: c.Name(), Err: fmt.Errorf("splice: unknown serializer %q", c.Name())}
}

// appendMessage appends c's serialization of msg to dst.
func appendMessage(c Codec, dst []byte, msg protocol.Message) ([]byte, error) {
	if a, ok := c.(Appender); ok {
		return a.AppendEncode(dst, msg)
	}
	b, err := c.Encode(msg)
	if err != nil {
		return dst, err
	}
	return append(dst, b...), nil
}

// fixListHeader rewrites the array header at b[start:] (a MessagePack or
// CBOR message list) to count extra more elements.
func fixListHeader(format string, b []byte, start, extra int) ([]byte, error) {
	n, hlen, err := readListHeader(format, b[start:])
	if err != nil {
		return b, err
	}
	var hdr [9]byte
	h := appendListHeader(format, hdr[:0], n+uint64(extra))
	if len(h) == hlen {
		copy(b[start:], h)
		return b, nil
	}
	out := make([]byte, 0, len(b)+len(h)-hlen+16)
	out = append(out, b[:start]...)
	out = append(out, h...)
	return append(out, b[start+hlen:]...), nil
}

func readListHeader(format string, b []byte) (n uint64, hlen int, err error) {
	if len(b) == 0 {
		return 0, 0, errors.New("splice: empty message")
	}
	h := b[0]
	need := func(k int) error {
		if len(b) < 1+k {
			return errors.New("splice: truncated list header")
		}
		return nil
	}
	if format == "msgpack" {
		switch {
		case h&0xf0 == 0x90:
			return uint64(h & 0x0f), 1, nil
		case h == 0xdc:
			if err := need(2); err != nil {
				return 0, 0, err
			}
			return uint64(binary.BigEndian.Uint16(b[1:])), 3, nil
		case h == 0xdd:
			if err := need(4); err != nil {
				return 0, 0, err
			}
			return uint64(binary.BigEndian.Uint32(b[1:])), 5, nil
		}
		return 0, 0, errors.New("splice: message is not a MessagePack array")
	}
	if h>>5 != 4 {
		return 0, 0, errors.New("splice: message is not a CBOR array")
	}
	switch info := h & 0x1f; {
	case info < 24:
		return uint64(info), 1, nil
	case info == 24:
		if err := need(1); err != nil {
			return 0, 0, err
		}
		return uint64(b[1]), 2, nil
	case info == 25:
		if err := need(2); err != nil {
			return 0, 0, err
		}
		return uint64(binary.BigEndian.Uint16(b[1:])), 3, nil
	case info == 26:
		if err := need(4); err != nil {
			return 0, 0, err
		}
		return uint64(binary.BigEndian.Uint32(b[1:])), 5, nil
	case info == 27:
		if err := need(8); err != nil {
			return 0, 0, err
		}
		return binary.BigEndian.Uint64(b[1:]), 9, nil
	}
	return 0, 0, errors.New("splice: indefinite-length CBOR array")
}

func appendListHeader(format string, b []byte, n uint64) []byte {
	if format == "msgpack" {
		switch {
		case n < 16:
			return append(b, 0x90|byte(n))
		case n <= 0xffff:
			return binary.BigEndian.AppendUint16(append(b, 0xdc), uint16(n))
		}
		return binary.BigEndian.AppendUint32(append(b, 0xdd), uint32(n))
	}
	switch {
	case n < 24:
		return append(b, 0x80|byte(n))
	case n <= 0xff:
		return append(b, 0x98, byte(n))
	case n <= 0xffff:
		return binary.BigEndian.AppendUint16(append(b, 0x99), uint16(n))
	case n <= 0xffffffff:
		return binary.BigEndian.AppendUint32(append(b, 0x9a), uint32(n))
	}
	return binary.BigEndian.AppendUint64(append(b, 0x9b), n)
}

// transcode re-encodes p with c: it decodes p with the codec that made it
// (as the payload of an EVENT, the simplest message that carries one) and
// encodes the values again.
func transcode(p EncodedPayload, c Codec) (EncodedPayload, error) {
	// p was encoded here, not received: no bound on what it decodes to.
	src, ok := New(p.codec, Limits{MaxMessageSize: len(p.data) + 64, MaxDecodedSize: math.MaxInt})
	if !ok {
		return EncodedPayload{}, &EncodeError{Codec: c.Name(), Err: fmt.Errorf("transcode: unknown serializer %q", p.codec)}
	}
	carrier := &protocol.Event{Subscription: 1, Publication: 1, Details: protocol.Dict{}}
	b, err := AppendSpliced(src, nil, carrier, p)
	if err != nil {
		return EncodedPayload{}, err
	}
	m, err := src.Decode(b)
	if err != nil {
		return EncodedPayload{}, &EncodeError{Codec: c.Name(), Err: fmt.Errorf("transcode from %s: %w", p.codec, err)}
	}
	ev := m.(*protocol.Event)
	return EncodePayload(c, ev.Args, ev.Kwargs)
}
