package wsframe

import (
	"bytes"
	"errors"
	"io"
	"testing"

	"github.com/wampgo/wampgo/internal/transport/oversize"
)

// FuzzReader: whatever a server sends, the reader returns messages that
// respect the limit, or an error; it never panics, and a control frame's
// payload is never over 125 octets.
func FuzzReader(f *testing.F) {
	f.Add([]byte{0x81, 0x02, 'h', 'i'}, int64(1024))
	f.Add(concat(serverFrame(false, OpText, []byte("ab")), serverFrame(true, OpPing, []byte("p")),
		serverFrame(true, OpContinuation, []byte("c"))), int64(2))
	f.Add(serverFrame(true, OpClose, []byte{0x03, 0xE8, 'x'}), int64(-1))
	f.Add([]byte{0x82, 127, 0, 0, 0, 0, 0, 1, 0, 0}, int64(100))
	f.Fuzz(func(t *testing.T, stream []byte, limit int64) {
		r := NewReader(bytes.NewReader(stream), limit, func(op Opcode, p []byte) error {
			if !op.IsControl() || len(p) > MaxControlPayload {
				t.Fatalf("control got %v of %d octets", op, len(p))
			}
			return nil
		})
		for range 64 {
			m, err := r.ReadMessage()
			if err != nil {
				var cr *CloseReceived
				if err != io.EOF && err != io.ErrUnexpectedEOF && !errors.Is(err, ErrBadFrame) && !errors.As(err, &cr) {
					t.Fatalf("unexpected error %v", err)
				}
				return
			}
			switch {
			case m.Over && (limit < 0 || m.Size <= limit || len(m.Data) > oversize.HeadSize):
				t.Fatalf("Over with size %d, limit %d, head %d", m.Size, limit, len(m.Data))
			case !m.Over && (int64(len(m.Data)) != m.Size || (limit >= 0 && m.Size > limit)):
				t.Fatalf("message of %d octets, size %d, limit %d", len(m.Data), m.Size, limit)
			}
		}
	})
}
