package wsframe

import (
	"encoding/binary"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/wampgo/wampgo/internal/transport/lazyio"
	"github.com/wampgo/wampgo/internal/transport/oversize"
)

// Message is one data message read whole (or, over the read limit, its
// head).
type Message struct {
	// Binary is set for a binary message, clear for a text one.
	Binary bool
	// Data is the message, or its first oversize.HeadSize octets when Over
	// is set. It is valid until Release or the next ReadMessage.
	Data []byte
	// Size is the message's whole length.
	Size int64
	// Over is set when Size is over the read limit: the rest of the
	// message was read through and discarded.
	Over bool
}

// CloseReceived is the error ReadMessage returns for the peer's close
// frame: the code (1005, no status, when the frame had none) and reason.
type CloseReceived struct {
	Code   uint16
	Reason string
}

func (e *CloseReceived) Error() string {
	return fmt.Sprintf("wsframe: close frame received: %d %q", e.Code, e.Reason)
}

// StatusNoStatus is the code reported for a close frame without one.
const StatusNoStatus = 1005

// Reader reads the frames a WebSocket server sends to its client. Only one
// goroutine at a time may use it.
type Reader struct {
	r     io.Reader
	limit int64 // largest message accepted; negative: none
	// control is called for each ping, pong and close frame met between
	// or within messages, with its payload (valid during the call). A
	// non-nil error ends ReadMessage with it.
	control func(op Opcode, payload []byte) error
	pooled  *[]byte // the buffer of the message returned last, if pooled
}

// NewReader returns a Reader of r (buffer it: every header is read in a
// few small reads; a lazyio.Reader suits). limit is the largest message
// accepted, negative for none; control sees every control frame.
func NewReader(r io.Reader, limit int64, control func(op Opcode, payload []byte) error) *Reader {
	return &Reader{r: r, limit: limit, control: control}
}

// ReadMessage reads frames until a whole data message, answering control
// frames through the control function on the way. A message over the
// limit is read through, its head kept (Message.Over). A close frame ends
// it with a *CloseReceived (after control saw it). It fails with an error
// matching ErrBadFrame on a frame that breaks RFC 6455, and otherwise with
// the stream's error (io.EOF at a frame boundary, io.ErrUnexpectedEOF
// within a frame).
//
// The message's data is valid until Release or the next call.
func (r *Reader) ReadMessage() (Message, error) {
	r.Release()
	var m Message
	var data []byte
	started := false
	for {
		h, err := r.readHeader()
		if err != nil {
			if started && err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return Message{}, err
		}
		if h.op.IsControl() {
			if err := r.readControl(h); err != nil {
				return Message{}, err
			}
			continue
		}
		first := !started
		switch {
		case !started && h.op == OpContinuation:
			return Message{}, badFrame("continuation frame without a message to continue")
		case started && h.op != OpContinuation:
			return Message{}, badFrame("%v frame within a fragmented message", h.op)
		case !started:
			started = true
			m.Binary = h.op == OpBinary
		}
		if m.Over || (r.limit >= 0 && m.Size+h.length > r.limit) {
			if !m.Over {
				m.Over = true
				data = data[:min(len(data), oversize.HeadSize)]
			}
			head := min(int64(oversize.HeadSize-len(data)), h.length)
			if head > 0 {
				data = r.grow(data, int(head), false)
				if err := r.readFull(data[len(data)-int(head):]); err != nil {
					return Message{}, err
				}
			}
			if err := oversize.Skip(r.r, h.length-head); err != nil {
				return Message{}, err
			}
		} else {
			var err error
			if data, err = r.readPayload(data, h.length, h.fin && first); err != nil {
				return Message{}, err
			}
		}
		m.Size += h.length
		if h.fin {
			m.Data = data
			return m, nil
		}
	}
}

// maxTrust is the most a frame's length may make the reader allocate
// before its octets arrived: a longer payload grows its buffer as they do,
// so that a peer claiming a huge frame (with no read limit) costs memory
// only for what it sends.
const maxTrust = 1 << 20

// readPayload appends a payload of n octets, read from the stream, to data.
func (r *Reader) readPayload(data []byte, n int64, last bool) ([]byte, error) {
	for n > 0 {
		step := min(n, int64(max(maxTrust, cap(data))))
		data = r.grow(data, int(step), last && step == n)
		if err := r.readFull(data[len(data)-int(step):]); err != nil {
			return nil, err
		}
		n -= step
	}
	return data, nil
}

// grow returns data extended by n octets, in a pooled buffer while it
// fits one, else in an allocated one (exactly sized when last is set: the
// message's only frame).
func (r *Reader) grow(data []byte, n int, last bool) []byte {
	need := len(data) + n
	if need <= cap(data) {
		return data[:need]
	}
	if need <= lazyio.BufferSize && r.pooled == nil {
		r.pooled = lazyio.GetBuffer()
		b := append((*r.pooled)[:0], data...)
		return b[:need]
	}
	size := need
	if !last {
		size = max(need, 2*cap(data))
	}
	b := make([]byte, len(data), size)
	copy(b, data)
	r.Release()
	return b[:need]
}

// Release gives back the buffer of the message returned last, if pooled:
// its Data must not be used afterwards. Safe to call more than once.
func (r *Reader) Release() {
	if r.pooled != nil {
		lazyio.PutBuffer(r.pooled)
		r.pooled = nil
	}
}

func (r *Reader) readFull(p []byte) error {
	_, err := io.ReadFull(r.r, p)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// readHeader reads and checks one frame header.
func (r *Reader) readHeader() (header, error) {
	var b [8]byte
	if _, err := io.ReadFull(r.r, b[:2]); err != nil {
		return header{}, err
	}
	h := header{fin: b[0]&0x80 != 0, op: Opcode(b[0] & 0x0F)}
	if rsv := b[0] & 0x70; rsv != 0 {
		return header{}, badFrame("reserved bits 0x%02x set (no extension was negotiated)", rsv)
	}
	switch h.op {
	case OpContinuation, OpText, OpBinary, OpClose, OpPing, OpPong:
	default:
		return header{}, badFrame("%v", h.op)
	}
	if b[1]&0x80 != 0 {
		return header{}, badFrame("masked frame from the server")
	}
	switch n := b[1] & 0x7F; n {
	case 126:
		if err := r.readFull(b[:2]); err != nil {
			return header{}, err
		}
		h.length = int64(binary.BigEndian.Uint16(b[:2]))
	case 127:
		if err := r.readFull(b[:8]); err != nil {
			return header{}, err
		}
		l := binary.BigEndian.Uint64(b[:8])
		if l>>63 != 0 {
			return header{}, badFrame("payload length with the most significant bit set")
		}
		h.length = int64(l)
	default:
		h.length = int64(n)
	}
	if h.op.IsControl() {
		if !h.fin {
			return header{}, badFrame("fragmented %v frame", h.op)
		}
		if h.length > MaxControlPayload {
			return header{}, badFrame("%v frame of %d octets, over 125", h.op, h.length)
		}
	}
	return h, nil
}

// readControl reads a control frame's payload (into a small array) and
// hands it to control; a close frame then ends the read.
func (r *Reader) readControl(h header) error {
	var buf [MaxControlPayload]byte
	p := buf[:h.length]
	if err := r.readFull(p); err != nil {
		return err
	}
	var closed *CloseReceived
	if h.op == OpClose {
		var err error
		if closed, err = parseClose(p); err != nil {
			return err
		}
	}
	if r.control != nil {
		if err := r.control(h.op, p); err != nil {
			return err
		}
	}
	if closed != nil {
		return closed
	}
	return nil
}

// parseClose checks a close frame's payload (RFC 6455 section 5.5.1 and
// 7.4): empty, or a valid code and a UTF-8 reason.
func parseClose(p []byte) (*CloseReceived, error) {
	switch {
	case len(p) == 0:
		return &CloseReceived{Code: StatusNoStatus}, nil
	case len(p) == 1:
		return nil, badFrame("close frame of 1 octet")
	}
	code := binary.BigEndian.Uint16(p)
	if !validCloseCode(code) {
		return nil, badFrame("close code %d", code)
	}
	if !utf8.Valid(p[2:]) {
		return nil, badFrame("close reason not UTF-8")
	}
	return &CloseReceived{Code: code, Reason: string(p[2:])}, nil
}

// validCloseCode reports whether a peer may send code (RFC 6455 section
// 7.4 and the IANA registry).
func validCloseCode(code uint16) bool {
	switch {
	case code >= 3000 && code <= 4999:
		return true
	case code >= 1000 && code <= 1014:
		return code != 1004 && code != 1005 && code != 1006
	}
	return false
}
