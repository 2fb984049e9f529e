package wsframe

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/protocol"
)

// Opcode is a frame's opcode.
type Opcode uint8

// The opcodes of RFC 6455 section 5.2; the others are reserved.
const (
	OpContinuation Opcode = 0x0
	OpText         Opcode = 0x1
	OpBinary       Opcode = 0x2
	OpClose        Opcode = 0x8
	OpPing         Opcode = 0x9
	OpPong         Opcode = 0xA
)

func (op Opcode) String() string {
	switch op {
	case OpContinuation:
		return "continuation"
	case OpText:
		return "text"
	case OpBinary:
		return "binary"
	case OpClose:
		return "close"
	case OpPing:
		return "ping"
	case OpPong:
		return "pong"
	}
	return fmt.Sprintf("reserved opcode 0x%x", uint8(op))
}

// IsControl reports whether op is a control frame's opcode.
func (op Opcode) IsControl() bool { return op&0x8 != 0 }

// MaxControlPayload is the longest payload of a control frame.
const MaxControlPayload = 125

// MaxHeaderLen is the longest frame header: 2 octets, 8 of extended
// length, 4 of masking key.
const MaxHeaderLen = 14

// ErrBadFrame matches the errors of a frame that breaks RFC 6455: reserved
// bits or opcodes, a masked frame from a server, a control frame that is
// fragmented or longer than 125 octets, a continuation out of place, a bad
// close payload. These errors also match protocol.ErrProtocolViolation.
var ErrBadFrame = errors.New("wsframe: bad frame")

func badFrame(format string, args ...any) error {
	return fmt.Errorf("%w: %s: %w", ErrBadFrame, fmt.Sprintf(format, args...), protocol.ErrProtocolViolation)
}

// header is a parsed frame header (of a server's frame: never masked).
type header struct {
	fin    bool
	op     Opcode
	length int64
}

// AppendHeader appends the header of a client frame (FIN set, masked with
// key) of opcode op and n payload octets to b.
func AppendHeader(b []byte, op Opcode, n int, key [4]byte) []byte {
	b = append(b, 0x80|byte(op))
	switch {
	case n <= 125:
		b = append(b, 0x80|byte(n))
	case n <= 0xFFFF:
		b = append(b, 0x80|126, byte(n>>8), byte(n))
	default:
		b = append(b, 0x80|127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	return append(b, key[:]...)
}

// Mask masks (or unmasks) b in place with key, b starting at offset pos of
// the payload, and returns the offset after b.
func Mask(key [4]byte, pos int, b []byte) int {
	var k [4]byte
	for i := range k {
		k[i] = key[(pos+i)&3]
	}
	k32 := binary.LittleEndian.Uint32(k[:])
	k64 := uint64(k32)<<32 | uint64(k32)
	i := 0
	for ; i+8 <= len(b); i += 8 {
		binary.LittleEndian.PutUint64(b[i:], binary.LittleEndian.Uint64(b[i:])^k64)
	}
	for ; i < len(b); i++ {
		b[i] ^= k[i&3]
	}
	return pos + len(b)
}

// AppendMasked appends p masked with key (p starting at payload offset
// pos) to b, and returns b and the offset after p.
func AppendMasked(b []byte, key [4]byte, pos int, p []byte) ([]byte, int) {
	n := len(b)
	b = append(b, p...)
	return b, Mask(key, pos, b[n:])
}
