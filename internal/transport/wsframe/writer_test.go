package wsframe

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// A client frame's header says FIN, the opcode, the mask bit and the
// length in its shortest form, then the key; unmasking with the key gives
// the payload back, whatever the offset masking started at.
func TestAppendHeaderAndMask(t *testing.T) {
	key := [4]byte{0x11, 0x22, 0x33, 0x44}
	for _, n := range []int{0, 1, 7, 8, 9, 125, 126, 65535, 65536, 100000} {
		p := make([]byte, n)
		for i := range p {
			p[i] = byte(i * 7)
		}
		b := AppendHeader(nil, OpBinary, n, key)
		hl := 2
		switch {
		case n > 0xFFFF:
			hl += 8
			if b[1] != 0x80|127 || binary.BigEndian.Uint64(b[2:]) != uint64(n) {
				t.Fatalf("n=%d: header % x", n, b)
			}
		case n > 125:
			hl += 2
			if b[1] != 0x80|126 || int(binary.BigEndian.Uint16(b[2:])) != n {
				t.Fatalf("n=%d: header % x", n, b)
			}
		default:
			if b[1] != 0x80|byte(n) {
				t.Fatalf("n=%d: header % x", n, b)
			}
		}
		if b[0] != 0x82 || len(b) != hl+4 || !bytes.Equal(b[hl:], key[:]) {
			t.Fatalf("n=%d: header % x", n, b)
		}
		// Masked in two pieces at an odd offset, unmasked byte by byte.
		cut := n / 3
		b, pos := AppendMasked(b, key, 0, p[:cut])
		b, pos = AppendMasked(b, key, pos, p[cut:])
		if pos != n {
			t.Fatalf("n=%d: offset %d after masking", n, pos)
		}
		body := b[hl+4:]
		for i := range body {
			body[i] ^= key[i%4]
		}
		if !bytes.Equal(body, p) {
			t.Fatalf("n=%d: payload does not unmask to itself", n)
		}
	}
}

func TestAcceptKey(t *testing.T) {
	// RFC 6455 section 1.3's example.
	if got := AcceptKey("dGhlIHNhbXBsZSBub25jZQ=="); got != "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" {
		t.Fatalf("AcceptKey = %q", got)
	}
	if a, b := NewKey(), NewKey(); a == b || len(a) != 24 {
		t.Fatalf("NewKey gave %q and %q", a, b)
	}
}
