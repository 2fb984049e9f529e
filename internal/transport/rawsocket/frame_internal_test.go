package rawsocket

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/wampgo/wampgo/internal/transport/oversize"
	"github.com/wampgo/wampgo/protocol"
)

// Every frame prefix: what it decodes to, or why it is refused.
func TestParseHeader(t *testing.T) {
	for _, tc := range []struct {
		name string
		h    [4]byte
		typ  FrameType
		n    int
		bad  bool
	}{
		{"empty message", [4]byte{0, 0, 0, 0}, FrameMessage, 0, false},
		{"message 258", [4]byte{0, 0, 1, 2}, FrameMessage, 258, false},
		{"PING 5", [4]byte{1, 0, 0, 5}, FramePing, 5, false},
		{"PONG 5", [4]byte{2, 0, 0, 5}, FramePong, 5, false},
		{"16M-1", [4]byte{0, 0xFF, 0xFF, 0xFF}, FrameMessage, 1<<24 - 1, false},
		{"16M with bit 25", [4]byte{0x08, 0, 0, 0}, FrameMessage, 1 << 24, false},
		{"PING 16M", [4]byte{0x09, 0, 0, 0}, FramePing, 1 << 24, false},
		{"bit 25 and a length", [4]byte{0x08, 0, 0, 1}, 0, 0, true},
		{"reserved bit 0x10", [4]byte{0x10, 0, 0, 1}, 0, 0, true},
		{"reserved bit 0x80", [4]byte{0x80, 0, 0, 1}, 0, 0, true},
		{"type 3", [4]byte{3, 0, 0, 1}, 0, 0, true},
		{"type 7", [4]byte{7, 0, 0, 1}, 0, 0, true},
	} {
		typ, n, err := parseHeader(tc.h)
		if tc.bad {
			if !errors.Is(err, ErrBadFrame) || !errors.Is(err, protocol.ErrProtocolViolation) {
				t.Errorf("%s: %v, want ErrBadFrame and a protocol violation", tc.name, err)
			}
			continue
		}
		if err != nil || typ != tc.typ || n != tc.n {
			t.Errorf("%s: %v %d %v", tc.name, typ, n, err)
			continue
		}
		var h [4]byte
		if got := appendHeader(h[:0], typ, n); !bytes.Equal(got, tc.h[:]) {
			t.Errorf("%s: appendHeader % x, want % x", tc.name, got, tc.h)
		}
	}
}

// PING and PONG frames over the limit are refused before their payload is
// read; a message frame over it is read through, its head kept; a cut
// stream is told apart from a clean end.
func TestFrameReaderLimitsAndEnds(t *testing.T) {
	read := func(in []byte, limit int64) (FrameType, []byte, error) {
		fr := frameReader{r: bufio.NewReader(bytes.NewReader(in)), limit: limit}
		return fr.ReadFrame()
	}
	if _, p, err := read([]byte{0, 0, 0, 3, 'a', 'b', 'c'}, 3); err != nil || string(p) != "abc" {
		t.Fatalf("at the limit: %q %v", p, err)
	}
	big := append([]byte{0, 0x01, 0, 1}, bytes.Repeat([]byte{'h'}, 1<<16+1)...)
	big = append(big, 0, 0, 0, 1, 'n')
	fr := frameReader{r: bufio.NewReader(bytes.NewReader(big)), limit: 3}
	if typ, p, err := fr.ReadFrame(); err != nil || typ != FrameMessage || len(p) != oversize.HeadSize || fr.over != 1<<16+1 {
		t.Fatalf("message over the limit: %v, %d bytes, over %d, %v", typ, len(p), fr.over, err)
	}
	if _, p, err := fr.ReadFrame(); err != nil || string(p) != "n" || fr.over != 0 {
		t.Fatalf("the next frame: %q, over %d, %v", p, fr.over, err)
	}
	if _, _, err := read([]byte{0, 0, 0, 4, 'a'}, 3); err != io.ErrUnexpectedEOF {
		t.Fatalf("message over the limit, cut: %v", err)
	}
	for _, in := range [][]byte{{1, 0, 0, 4}, {2, 1, 0, 0}, {0x09, 0, 0, 0}} {
		_, _, err := read(in, 3)
		if !errors.Is(err, ErrMessageTooLarge) || !errors.Is(err, protocol.ErrProtocolViolation) {
			t.Fatalf("% x over 3: %v", in, err)
		}
	}
	if _, _, err := read(nil, 3); err != io.EOF {
		t.Fatalf("clean end: %v", err)
	}
	for _, in := range [][]byte{{0, 0}, {0, 0, 0, 3, 'a'}, {0, 0, 0, 3}} {
		if _, _, err := read(in, 3); err != io.ErrUnexpectedEOF {
			t.Fatalf("% x: %v, want io.ErrUnexpectedEOF", in, err)
		}
	}
}

// The largest frame, exactly 16 MiB, is written with the 25th length bit
// and read back whole.
func TestLargestFrame(t *testing.T) {
	payload := bytes.Repeat([]byte{0xAB}, MaxMaxLength)
	var buf bytes.Buffer
	f := &rawFramer{conn: &Conn{}, sink: &buf}
	if err := f.WriteBatch([]control{{Control: uint8(FrameMessage), P: payload}}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes()[:4], []byte{0x08, 0, 0, 0}) {
		t.Fatalf("prefix % x", buf.Bytes()[:4])
	}
	fr := frameReader{r: bufio.NewReader(&buf), limit: MaxMaxLength}
	typ, p, err := fr.ReadFrame()
	if err != nil || typ != FrameMessage || !bytes.Equal(p, payload) {
		t.Fatalf("read back: %v %d bytes %v", typ, len(p), err)
	}
}

func TestLengthExponent(t *testing.T) {
	for _, tc := range []struct {
		limit int64
		exp   uint8
		n     int64
	}{{1, 0, 512}, {512, 0, 512}, {1023, 0, 512}, {1024, 1, 1024}, {65536, 7, 65536}, {1 << 24, 15, 1 << 24}, {1 << 40, 15, 1 << 24}} {
		if exp, n := lengthExponent(tc.limit); exp != tc.exp || n != tc.n || maxLength(exp) != n {
			t.Errorf("lengthExponent(%d) = %d, %d", tc.limit, exp, n)
		}
	}
}

// FuzzFrameReader feeds arbitrary streams to the frame reader: it never
// panics, never returns a payload over its limit, classifies every error,
// and what it reads re-encodes to the bytes it consumed.
func FuzzFrameReader(f *testing.F) {
	f.Add([]byte{0, 0, 0, 2, '[', ']', 1, 0, 0, 1, 'x', 2, 0, 0, 0}, uint16(64))
	f.Add([]byte{0x08, 0, 0, 0}, uint16(512))
	f.Add([]byte{0x0F, 0xFF, 0xFF, 0xFF, 0}, uint16(1))
	f.Add([]byte{0, 0, 1, 0, 'a'}, uint16(300))
	f.Fuzz(func(t *testing.T, in []byte, limit uint16) {
		fr := frameReader{r: bufio.NewReaderSize(bytes.NewReader(in), 16), limit: int64(limit)}
		var again []byte
		for {
			typ, p, err := fr.ReadFrame()
			if err != nil {
				switch {
				case err == io.EOF, err == io.ErrUnexpectedEOF:
				case errors.Is(err, protocol.ErrProtocolViolation) &&
					(errors.Is(err, ErrBadFrame) || errors.Is(err, ErrMessageTooLarge)):
				default:
					t.Fatalf("unclassified error %v", err)
				}
				if err == io.EOF && !bytes.Equal(again, in) {
					t.Fatalf("clean end after % x, input % x", again, in)
				}
				return
			}
			if int64(len(p)) > int64(limit) || typ > FramePong {
				t.Fatalf("frame %v of %d bytes past limit %d", typ, len(p), limit)
			}
			again = appendHeader(again, typ, len(p))
			again = append(again, p...)
			if !bytes.HasPrefix(in, again) {
				t.Fatalf("re-encoded % x is not a prefix of % x", again, in)
			}
		}
	})
}
