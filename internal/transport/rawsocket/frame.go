package rawsocket

import (
	"bufio"
	"fmt"
	"io"

	"github.com/wampgo/wampgo/internal/transport/lazyio"
	"github.com/wampgo/wampgo/internal/transport/oversize"
	"github.com/wampgo/wampgo/protocol"
)

// FrameType is the 3-bit transport message type of a frame prefix.
type FrameType uint8

// The frame types of the spec; 3 to 7 are reserved.
const (
	FrameMessage FrameType = 0 // a serialized WAMP message
	FramePing    FrameType = 1 // a PING; the peer echoes its payload in a PONG
	FramePong    FrameType = 2 // a PONG
)

func (t FrameType) String() string {
	switch t {
	case FrameMessage:
		return "message"
	case FramePing:
		return "PING"
	case FramePong:
		return "PONG"
	}
	return fmt.Sprintf("reserved frame type %d", uint8(t))
}

// headerLen is the length of a frame prefix.
const headerLen = 4

// appendHeader appends the prefix of a frame of type t and payload length n
// (0 <= n <= 2^24) to b.
func appendHeader(b []byte, t FrameType, n int) []byte {
	if n == MaxMaxLength {
		return append(b, 0x08|uint8(t), 0, 0, 0)
	}
	return append(b, uint8(t), uint8(n>>16), uint8(n>>8), uint8(n))
}

// parseHeader decodes a frame prefix. Every error matches ErrBadFrame and
// protocol.ErrProtocolViolation.
func parseHeader(h [headerLen]byte) (FrameType, int, error) {
	if h[0]&0xF0 != 0 {
		return 0, 0, badFrame("reserved bits 0x%02x set in the frame prefix", h[0]&0xF0)
	}
	t := FrameType(h[0] & 0x07)
	if t > FramePong {
		return 0, 0, badFrame("%v", t)
	}
	n := int(h[1])<<16 | int(h[2])<<8 | int(h[3])
	if h[0]&0x08 != 0 {
		if n != 0 {
			return 0, 0, badFrame("length bit 25 set with a nonzero length (over 16 MiB)")
		}
		n = MaxMaxLength
	}
	return t, n, nil
}

func badFrame(format string, args ...any) error {
	return fmt.Errorf("%w: %s: %w", ErrBadFrame, fmt.Sprintf(format, args...), protocol.ErrProtocolViolation)
}

// tooLargeIn is the error for an incoming PING or PONG of n octets over
// limit.
func tooLargeIn(t FrameType, n int, limit int64) error {
	return fmt.Errorf("%w: the peer sent a %v of %d bytes, over the announced limit of %d bytes: %w",
		ErrMessageTooLarge, t, n, limit, protocol.ErrProtocolViolation)
}

// frameReader reads frames from a buffered stream. The payload ReadFrame
// returns is valid until release or the next call; an idle frameReader
// holds no payload buffer.
type frameReader struct {
	r      *bufio.Reader
	limit  int64   // largest payload accepted
	pooled *[]byte // the last payload's buffer, when pooled
	// over is the length of the last message frame read, when it was
	// over limit: ReadFrame then returned its head only. 0 otherwise.
	over int
}

// release gives back the last payload's buffer, if pooled.
func (fr *frameReader) release() {
	if fr.pooled != nil {
		lazyio.PutBuffer(fr.pooled)
		fr.pooled = nil
	}
}

// ReadFrame reads one frame. A message frame over the limit is read
// through in bounded memory: ReadFrame returns its first
// oversize.HeadSize bytes and sets fr.over to its length (see
// readOversize). It fails with an error matching ErrMessageTooLarge (a
// PING or PONG over the limit) or ErrBadFrame (both also match
// protocol.ErrProtocolViolation) without reading the payload, or with the
// stream's error (io.EOF at a frame boundary, io.ErrUnexpectedEOF within a
// frame).
func (fr *frameReader) ReadFrame() (FrameType, []byte, error) {
	fr.over = 0
	var h [headerLen]byte
	if _, err := io.ReadFull(fr.r, h[:]); err != nil {
		return 0, nil, err
	}
	t, n, err := parseHeader(h)
	if err != nil {
		return 0, nil, err
	}
	if int64(n) > fr.limit {
		if t != FrameMessage {
			return 0, nil, tooLargeIn(t, n, fr.limit)
		}
		p, err := fr.readOversize(n)
		return t, p, err
	}
	p, err := fr.readPayload(n)
	return t, p, err
}

// readPayload reads a payload of n bytes into a pooled buffer (or one
// sized to it when larger), held until release.
func (fr *frameReader) readPayload(n int) ([]byte, error) {
	fr.release()
	var p []byte
	if n <= lazyio.BufferSize {
		fr.pooled = lazyio.GetBuffer()
		p = (*fr.pooled)[:n]
	} else {
		p = make([]byte, n)
	}
	if _, err := io.ReadFull(fr.r, p); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return p, nil
}

// readOversize reads a message payload of n bytes, over the limit: its
// head into the buffer, the rest into io.Discard. It returns the head and
// sets fr.over.
func (fr *frameReader) readOversize(n int) ([]byte, error) {
	head := min(n, oversize.HeadSize)
	p, err := fr.readPayload(head)
	if err != nil {
		return nil, err
	}
	if err := oversize.Skip(fr.r, int64(n-head)); err != nil {
		return nil, err
	}
	fr.over = n
	return p, nil
}
