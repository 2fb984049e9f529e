package rawsocket

import (
	"bufio"
	"bytes"
	"io"
	"testing"
	"testing/iotest"

	"github.com/wampgo/wampgo/internal/transport/lazyio"
)

// Frames of every size read back whole through the lazy reader, whatever
// the stream's chunking, and no pooled buffer stays held once the stream
// is drained.
func TestLazyReaderReadsFramesWhole(t *testing.T) {
	var stream []byte
	var want [][]byte
	for _, n := range []int{0, 1, 11, 12, 13, 500, 508, 509, 510, 600, 4096, ioBuffer - 4, ioBuffer, 3 * ioBuffer} {
		p := bytes.Repeat([]byte{byte(n)}, n)
		want = append(want, p)
		stream = append(appendHeader(stream, FrameMessage, n), p...)
	}
	for name, r := range map[string]io.Reader{
		"whole":   bytes.NewReader(stream),
		"onebyte": iotest.OneByteReader(bytes.NewReader(stream)),
		"half":    iotest.HalfReader(bytes.NewReader(stream)),
	} {
		t.Run(name, func(t *testing.T) {
			// A pooled buffer as writeBatch leaves it: empty.
			bp := lazyio.GetBuffer()
			*bp = (*bp)[:0]
			lazyio.PutBuffer(bp)
			lr := &lazyio.Reader{R: r}
			fr := frameReader{r: bufio.NewReaderSize(lr, 16), limit: MaxMaxLength}
			for i, w := range want {
				_, p, err := fr.ReadFrame()
				if err != nil || !bytes.Equal(p, w) {
					t.Fatalf("frame %d: %d bytes, %v; want %d bytes", i, len(p), err, len(w))
				}
			}
			if _, _, err := fr.ReadFrame(); err != io.EOF {
				t.Fatalf("after the last frame: %v, want io.EOF", err)
			}
			if lr.Holding() {
				t.Fatal("a pooled buffer is still held")
			}
		})
	}
}
