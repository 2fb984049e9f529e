package rawsocket

import (
	"bufio"
	"io"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/connstate"
	"github.com/wampgo/wampgo/protocol"
)

// The write and read paths of one message without goroutines or a network
// in between, so that a few nanoseconds more per message show: the writer
// buffering a frame and flushing it to io.Discard, and the reader reading
// a frame from memory and decoding it; with Traffic counting or not.

func BenchmarkWritePath(b *testing.B) {
	b.Run("uncounted", func(b *testing.B) { benchWritePath(b, nil) })
	b.Run("counted", func(b *testing.B) { benchWritePath(b, &connstate.Traffic{}) })
}

func BenchmarkReadPath(b *testing.B) {
	b.Run("uncounted", func(b *testing.B) { benchReadPath(b, nil) })
	b.Run("counted", func(b *testing.B) { benchReadPath(b, &connstate.Traffic{}) })
}

// benchMessage is a small PUBLISH encoded with cd.
func benchMessage(b *testing.B, cd codec.Codec) []byte {
	msg := &protocol.Publish{Request: 1, Options: protocol.Dict{}, Topic: "com.example.topic",
		Payload: protocol.Payload{Args: protocol.List{"some text", 42, true}}}
	enc, err := cd.Encode(msg)
	if err != nil {
		b.Fatal(err)
	}
	return enc
}

// benchFramer is the framing of a Conn whose goroutines do not run,
// counting into tr.
func benchFramer(b *testing.B, tr *connstate.Traffic) *rawFramer {
	cfg, err := (&Options{Codecs: []codec.Codec{codec.JSON()}, Traffic: tr}).config()
	if err != nil {
		b.Fatal(err)
	}
	return newConn(nil, codec.JSON(), cfg, MaxMaxLength).c.Framing().(*rawFramer)
}

func benchWritePath(b *testing.B, tr *connstate.Traffic) {
	f := benchFramer(b, tr)
	f.sink = io.Discard
	batch := []control{{Control: uint8(FrameMessage), P: benchMessage(b, f.conn.codec)}}
	b.SetBytes(int64(len(batch[0].P)))
	b.ReportAllocs()
	for b.Loop() {
		if err := f.WriteBatch(batch); err != nil {
			b.Fatal(err)
		}
	}
}

func benchReadPath(b *testing.B, tr *connstate.Traffic) {
	f := benchFramer(b, tr)
	enc := benchMessage(b, f.conn.codec)
	f.fr.r = bufio.NewReaderSize(&cycleReader{b: append(appendHeader(nil, FrameMessage, len(enc)), enc...)}, ioBuffer)
	b.SetBytes(int64(len(enc)))
	b.ReportAllocs()
	for b.Loop() {
		m, err := f.Read()
		if err != nil {
			b.Fatal(err)
		}
		connstate.CountRead(tr, int(m.Size))
		if _, err := f.conn.codec.Decode(m.Data); err != nil {
			b.Fatal(err)
		}
		f.Release()
	}
}

// cycleReader reads b over and over.
type cycleReader struct {
	b   []byte
	off int
}

func (r *cycleReader) Read(p []byte) (int, error) {
	n := copy(p, r.b[r.off:])
	r.off = (r.off + n) % len(r.b)
	return n, nil
}
