package wsframe

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/wampgo/wampgo/internal/transport/oversize"
	"github.com/wampgo/wampgo/protocol"
)

// serverFrame is a frame as a server sends it: unmasked, unless masked.
func serverFrame(fin bool, op Opcode, p []byte) []byte {
	b := []byte{byte(op)}
	if fin {
		b[0] |= 0x80
	}
	switch n := len(p); {
	case n <= 125:
		b = append(b, byte(n))
	case n <= 0xFFFF:
		b = append(b, 126, byte(n>>8), byte(n))
	default:
		b = append(b, 127)
		b = binary.BigEndian.AppendUint64(b, uint64(n))
	}
	return append(b, p...)
}

func concat(frames ...[]byte) []byte { return bytes.Join(frames, nil) }

type controlSeen struct {
	op Opcode
	p  string
}

// read reads stream with limit, recording the control frames met.
func read(stream []byte, limit int64) ([]Message, []controlSeen, error) {
	var seen []controlSeen
	r := NewReader(bytes.NewReader(stream), limit, func(op Opcode, p []byte) error {
		seen = append(seen, controlSeen{op, string(p)})
		return nil
	})
	var msgs []Message
	for {
		m, err := r.ReadMessage()
		if err != nil {
			return msgs, seen, err
		}
		m.Data = append([]byte(nil), m.Data...)
		msgs = append(msgs, m)
	}
}

func TestReaderMessages(t *testing.T) {
	big := bytes.Repeat([]byte("b"), 70000)
	stream := concat(
		serverFrame(true, OpText, []byte(`["a"]`)),
		serverFrame(false, OpBinary, []byte{1, 2}),
		serverFrame(true, OpPing, []byte("p1")),
		serverFrame(false, OpContinuation, []byte{3}),
		serverFrame(true, OpPong, nil),
		serverFrame(true, OpContinuation, []byte{4, 5}),
		serverFrame(true, OpBinary, big),
		serverFrame(true, OpText, nil),
	)
	msgs, seen, err := read(stream, -1)
	if err != io.EOF {
		t.Fatalf("err = %v, want io.EOF after the last message", err)
	}
	want := []Message{
		{Binary: false, Data: []byte(`["a"]`), Size: 5},
		{Binary: true, Data: []byte{1, 2, 3, 4, 5}, Size: 5},
		{Binary: true, Data: big, Size: int64(len(big))},
		{Binary: false, Data: []byte{}, Size: 0},
	}
	if len(msgs) != len(want) {
		t.Fatalf("%d messages, want %d", len(msgs), len(want))
	}
	for i := range want {
		if msgs[i].Binary != want[i].Binary || !bytes.Equal(msgs[i].Data, want[i].Data) || msgs[i].Size != want[i].Size || msgs[i].Over {
			t.Errorf("message %d: %+v, want %+v", i, msgs[i], want[i])
		}
	}
	if len(seen) != 2 || seen[0] != (controlSeen{OpPing, "p1"}) || seen[1] != (controlSeen{OpPong, ""}) {
		t.Errorf("control frames seen: %v", seen)
	}
}

// Whatever the stream's chunking, messages read back whole, and no
// pooled buffer stays held once released.
func TestReaderChunking(t *testing.T) {
	var stream []byte
	var want [][]byte
	for _, n := range []int{0, 1, 125, 126, 127, 300, 65535, 65536, 40000} {
		p := bytes.Repeat([]byte{byte(n)}, n)
		want = append(want, p)
		stream = append(stream, serverFrame(true, OpBinary, p)...)
	}
	for name, src := range map[string]io.Reader{
		"onebyte": iotest.OneByteReader(bytes.NewReader(stream)),
		"half":    iotest.HalfReader(bytes.NewReader(stream)),
	} {
		t.Run(name, func(t *testing.T) {
			r := NewReader(src, -1, nil)
			for i, w := range want {
				m, err := r.ReadMessage()
				if err != nil || !bytes.Equal(m.Data, w) {
					t.Fatalf("message %d: %d bytes, %v; want %d bytes", i, len(m.Data), err, len(w))
				}
			}
			r.Release()
			if r.pooled != nil {
				t.Fatal("a pooled buffer is still held")
			}
		})
	}
}

func TestReaderOverLimit(t *testing.T) {
	head := `[36,5,6,{},["`
	body := head + strings.Repeat("x", 10000)
	stream := concat(
		serverFrame(true, OpText, []byte(body)),
		// the same, fragmented: over the limit only in its third frame
		serverFrame(false, OpText, []byte(body[:500])),
		serverFrame(false, OpContinuation, []byte(body[500:900])),
		serverFrame(true, OpContinuation, []byte(body[900:])),
		serverFrame(true, OpText, []byte(`[36,5,7,{}]`)),
	)
	msgs, _, err := read(stream, 1000)
	if err != io.EOF || len(msgs) != 3 {
		t.Fatalf("%d messages, %v", len(msgs), err)
	}
	for _, m := range msgs[:2] {
		if !m.Over || m.Size != int64(len(body)) || len(m.Data) != oversize.HeadSize || !strings.HasPrefix(string(m.Data), head) {
			t.Errorf("over the limit: Over %v, Size %d, %d bytes of head", m.Over, m.Size, len(m.Data))
		}
	}
	if m := msgs[2]; m.Over || string(m.Data) != `[36,5,7,{}]` {
		t.Errorf("after them: %+v", m)
	}
	// A frame claiming more than it carries, with no limit, costs only what
	// it carried.
	claim := binary.BigEndian.AppendUint64([]byte{0x82, 127}, 1<<62)
	if _, _, err := read(append(claim, 1, 2, 3), -1); err != io.ErrUnexpectedEOF {
		t.Errorf("a frame of 2^62 octets cut short: %v", err)
	}
	if msgs, _, err := read(serverFrame(true, OpText, []byte("12345")), 5); err != io.EOF || len(msgs) != 1 || msgs[0].Over {
		t.Errorf("a message of exactly the limit: %+v, %v", msgs, err)
	}
}

func TestReaderClose(t *testing.T) {
	for _, tt := range []struct {
		payload []byte
		code    uint16
		reason  string
	}{
		{nil, StatusNoStatus, ""},
		{[]byte{0x03, 0xE8}, 1000, ""},
		{append([]byte{0x03, 0xE9}, "bye"...), 1001, "bye"},
		{[]byte{0x0F, 0xA0}, 4000, ""},
	} {
		_, seen, err := read(serverFrame(true, OpClose, tt.payload), -1)
		var cr *CloseReceived
		if !errors.As(err, &cr) || cr.Code != tt.code || cr.Reason != tt.reason {
			t.Errorf("close %x: %v, want %d %q", tt.payload, err, tt.code, tt.reason)
		}
		if len(seen) != 1 || seen[0].op != OpClose {
			t.Errorf("close %x: control saw %v", tt.payload, seen)
		}
	}
}

// Frames that break RFC 6455 end the read with ErrBadFrame, before their
// payload is read, and never reach control.
func TestReaderHostileFrames(t *testing.T) {
	long := func(n uint64) []byte { return binary.BigEndian.AppendUint64([]byte{0x82, 127}, n) }
	for name, stream := range map[string][]byte{
		"masked":                  {0x81, 0x85, 1, 2, 3, 4, 'h', 'e', 'l', 'l', 'o'},
		"rsv1":                    {0xC1, 0},
		"rsv2":                    {0xA1, 0},
		"rsv3":                    {0x91, 0},
		"opcode 3":                {0x83, 0},
		"opcode 0xB":              {0x8B, 0},
		"fragmented ping":         {0x09, 0},
		"ping of 126":             concat([]byte{0x89, 126, 0, 126}, make([]byte, 126)),
		"close of 126":            concat([]byte{0x88, 126, 0, 126}, make([]byte, 126)),
		"continuation first":      serverFrame(true, OpContinuation, []byte("x")),
		"text in fragments":       concat(serverFrame(false, OpText, []byte("a")), serverFrame(true, OpText, []byte("b"))),
		"length msb":              long(1 << 63),
		"close of 1":              serverFrame(true, OpClose, []byte{3}),
		"close 1005":              serverFrame(true, OpClose, []byte{0x03, 0xED}),
		"close 1006":              serverFrame(true, OpClose, []byte{0x03, 0xEE}),
		"close 999":               serverFrame(true, OpClose, []byte{0x03, 0xE7}),
		"close 5000":              serverFrame(true, OpClose, []byte{0x13, 0x88}),
		"close reason not UTF-8":  serverFrame(true, OpClose, []byte{0x03, 0xE8, 0xFF}),
		"binary in fragmented":    concat(serverFrame(false, OpBinary, []byte("a")), serverFrame(false, OpBinary, []byte("b"))),
		"masked after a good one": concat(serverFrame(true, OpText, []byte("ok")), []byte{0x81, 0x80, 1, 2, 3, 4}),
	} {
		t.Run(name, func(t *testing.T) {
			_, seen, err := read(stream, 1<<20)
			if !errors.Is(err, ErrBadFrame) || !errors.Is(err, protocol.ErrProtocolViolation) {
				t.Fatalf("err = %v, want ErrBadFrame", err)
			}
			if len(seen) != 0 {
				t.Fatalf("control saw %v", seen)
			}
		})
	}
}

func TestReaderTruncated(t *testing.T) {
	frame := serverFrame(true, OpBinary, bytes.Repeat([]byte{7}, 300))
	for n := 1; n < len(frame); n++ {
		if _, _, err := read(frame[:n], -1); err != io.ErrUnexpectedEOF {
			t.Fatalf("cut at %d: %v, want io.ErrUnexpectedEOF", n, err)
		}
	}
	part := serverFrame(false, OpBinary, []byte{1})
	if _, _, err := read(part, -1); err != io.ErrUnexpectedEOF {
		t.Fatalf("a fragmented message cut between frames: %v, want io.ErrUnexpectedEOF", err)
	}
}

// control's error ends the read with it.
func TestReaderControlError(t *testing.T) {
	stop := errors.New("stop")
	r := NewReader(bytes.NewReader(serverFrame(true, OpPing, nil)), -1, func(Opcode, []byte) error { return stop })
	if _, err := r.ReadMessage(); err != stop {
		t.Fatalf("err = %v, want control's", err)
	}
}
