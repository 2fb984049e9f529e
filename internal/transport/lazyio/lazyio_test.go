package lazyio

import (
	"bytes"
	"io"
	"testing"
	"testing/iotest"
)

// Primed bytes come first, then the stream's; Fill waits for data without
// consuming it; a stream read whole leaves no pooled buffer held.
func TestReaderPrimeFillRead(t *testing.T) {
	for _, primed := range [][]byte{nil, []byte("head:"), bytes.Repeat([]byte("p"), 2*SmallRead)} {
		stream := bytes.Repeat([]byte("0123456789"), 10000)
		want := append(append([]byte(nil), primed...), stream...)
		for name, src := range map[string]io.Reader{
			"whole": bytes.NewReader(stream),
			"half":  iotest.HalfReader(bytes.NewReader(stream)),
		} {
			l := &Reader{R: src}
			l.Prime(primed)
			if err := l.Fill(); err != nil {
				t.Fatalf("%s: Fill: %v", name, err)
			}
			var got []byte
			buf := make([]byte, 7) // small reads: through the small array and pooled buffers
			for {
				if len(got)%1000 == 0 {
					l.Fill()
				}
				n, err := l.Read(buf)
				got = append(got, buf[:n]...)
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Fatalf("%s: Read: %v", name, err)
				}
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("%s, %d primed: read %d bytes, want %d", name, len(primed), len(got), len(want))
			}
			if l.Holding() {
				t.Fatalf("%s: a pooled buffer is still held at the end", name)
			}
			if err := l.Fill(); err != io.EOF {
				t.Fatalf("%s: Fill at the end: %v, want io.EOF", name, err)
			}
		}
	}
}
