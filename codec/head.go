package codec

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"

	"github.com/fxamacker/cbor/v2"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"

	"github.com/wampgo/wampgo/protocol"
)

// Head is what the start of an encoded message tells: its type and the
// ids among its next two elements. A WAMP message is a list that starts
// [TYPE, …, …] in every serializer; what its second and third elements are
// depends on the type (see protocol.NewTooLarge).
type Head struct {
	// Type is the message's type code.
	Type protocol.MessageType
	// IDs holds the second and third elements of the list when they are
	// ids (integers in [0, 2^53]); an element that is not one, or that the
	// head does not hold whole, is 0, and so is every one after it.
	IDs [2]protocol.ID
}

// ErrHeadUnreadable matches every failure of ReadHead.
var ErrHeadUnreadable = errors.New("message head unreadable")

// ReadHead reads the head of a message from prefix, the first bytes of its
// encoding with c (a few KiB are plenty; the rest of the message need not
// be there), with the serializer's own library, reading no further than
// the type and the two elements after it. It is for a message too long to
// decode whole: a transport reads such a message through, keeps its
// prefix, and tells the session what the message was.
//
// c must be one of this package's codecs (JSON, MsgPack, CBOR, or from
// New); for any other the head is unreadable. The error, when the prefix
// does not start a list with a known message type, matches
// ErrHeadUnreadable. ReadHead is safe for concurrent use and does not
// retain prefix.
func ReadHead(c Codec, prefix []byte) (Head, error) {
	cd, ok := c.(*codec)
	if !ok {
		return Head{}, fmt.Errorf("%w: codec %q has no head reader", ErrHeadUnreadable, c.Name())
	}
	var (
		elems []protocol.ID
		err   error
	)
	switch cd.f.(type) {
	case jsonFormat:
		elems, err = jsonHead(prefix)
	case msgpackFormat:
		elems, err = msgpackHead(prefix)
	case cborFormat:
		elems, err = cborHead(prefix)
	default:
		err = fmt.Errorf("serializer %q has no head reader", cd.Name())
	}
	if err == nil && len(elems) == 0 {
		err = errors.New("no message type")
	}
	if err != nil {
		return Head{}, fmt.Errorf("%w: %s: %w", ErrHeadUnreadable, cd.Name(), err)
	}
	h := Head{Type: protocol.MessageType(elems[0])}
	if !h.Type.Known() {
		return Head{}, fmt.Errorf("%w: %s: unknown message type %d", ErrHeadUnreadable, cd.Name(), elems[0])
	}
	copy(h.IDs[:], elems[1:])
	return h, nil
}

// headElems is how many leading elements a head reader reads: the type
// and two ids.
const headElems = 3

// jsonHead reads the leading integer elements of a JSON list with a token
// decoder. An element counts only when a delimiter follows it within the
// prefix: a number cut by the prefix's end is not read.
func jsonHead(prefix []byte) ([]protocol.ID, error) {
	dec := jsontext.NewDecoder(bytes.NewReader(prefix))
	tok, err := dec.ReadToken()
	if err != nil {
		return nil, err
	}
	if tok.Kind() != '[' {
		return nil, errJSONNotList
	}
	var out []protocol.ID
	for len(out) < headElems && dec.PeekKind() == '0' {
		tok, err := dec.ReadToken()
		if err != nil || dec.InputOffset() >= int64(len(prefix)) {
			break
		}
		id, ok := jsonID(tok.String())
		if !ok {
			break
		}
		out = append(out, id)
	}
	return out, nil
}

// jsonID reads a JSON number's text as an id: an integer, or a whole
// float (as some peers write ids), in [0, 2^53].
func jsonID(s string) (protocol.ID, bool) {
	if u, err := strconv.ParseUint(s, 10, 64); err == nil {
		return protocol.AsID(u)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, false
	}
	return protocol.AsID(f)
}

// msgpackHead reads the leading integer elements of a MessagePack array
// with the library's streaming decoder.
func msgpackHead(prefix []byte) ([]protocol.ID, error) {
	dec := msgpack.NewDecoder(bytes.NewReader(prefix))
	n, err := dec.DecodeArrayLen()
	if err != nil {
		return nil, err
	}
	if n < 0 {
		return nil, errMsgpackNotList
	}
	var out []protocol.ID
	for len(out) < min(n, headElems) {
		c, err := dec.PeekCode()
		if err != nil || !msgpackNumber(c) {
			break
		}
		v, err := dec.DecodeInterfaceLoose()
		if err != nil {
			break
		}
		id, ok := protocol.AsID(v)
		if !ok {
			break
		}
		out = append(out, id)
	}
	return out, nil
}

// msgpackNumber reports whether c starts an integer or a float.
func msgpackNumber(c byte) bool {
	return msgpcode.IsFixedNum(c) || (c >= msgpcode.Float && c <= msgpcode.Int64)
}

// cborHead reads the leading integer elements of a CBOR array. The
// library decodes whole data items only, so the array's own header, the
// one item that holds the others, is read here (RFC 8949 §3: major type 4);
// each element is then a whole item of its own that the library decodes.
func cborHead(prefix []byte) ([]protocol.ID, error) {
	n, rest, err := cborArrayHeader(prefix)
	if err != nil {
		return nil, err
	}
	var out []protocol.ID
	for (n < 0 || len(out) < n) && len(out) < headElems && len(rest) > 0 {
		if !cborNumber(rest[0]) {
			break
		}
		var v any
		r, err := cbor.UnmarshalFirst(rest, &v)
		if err != nil {
			break
		}
		id, ok := protocol.AsID(v)
		if !ok {
			break
		}
		out, rest = append(out, id), r
	}
	return out, nil
}

// cborArrayHeader reads the header of a CBOR array: its length (-1 for an
// indefinite one) and the bytes after the header.
func cborArrayHeader(b []byte) (int, []byte, error) {
	if len(b) == 0 {
		return 0, nil, ErrTruncated
	}
	if b[0]>>5 != 4 {
		return 0, nil, errCBORNotList
	}
	info := b[0] & 0x1f
	switch {
	case info < 24:
		return int(info), b[1:], nil
	case info == 31:
		return -1, b[1:], nil
	case info > 27:
		return 0, nil, errCBORNotList
	}
	size := 1 << (info - 24) // 1, 2, 4 or 8 bytes of length
	if len(b) < 1+size {
		return 0, nil, ErrTruncated
	}
	var n uint64
	for _, c := range b[1 : 1+size] {
		n = n<<8 | uint64(c)
	}
	return int(min(n, 1<<31)), b[1+size:], nil
}

// cborNumber reports whether c starts an unsigned integer or a float
// (half, single or double).
func cborNumber(c byte) bool {
	return c>>5 == 0 || c == 0xf9 || c == 0xfa || c == 0xfb
}
