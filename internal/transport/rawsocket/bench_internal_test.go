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
// a frame from memory, decoding it and handing it over; with Traffic
// counting or not.

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

// benchConn is a Conn whose goroutines do not run, counting into tr.
func benchConn(b *testing.B, tr *connstate.Traffic) *Conn {
	cfg, err := (&Options{Codecs: []codec.Codec{codec.JSON()}, Traffic: tr}).config()
	if err != nil {
		b.Fatal(err)
	}
	return newConn(nil, codec.JSON(), cfg, MaxMaxLength)
}

func benchWritePath(b *testing.B, tr *connstate.Traffic) {
	c := benchConn(b, tr)
	c.sink = io.Discard
	batch := []control{{typ: FrameMessage, payload: benchMessage(b, c.codec)}}
	b.SetBytes(int64(len(batch[0].payload)))
	b.ReportAllocs()
	for b.Loop() {
		if err := c.writeBatch(batch); err != nil {
			b.Fatal(err)
		}
	}
}

func benchReadPath(b *testing.B, tr *connstate.Traffic) {
	c := benchConn(b, tr)
	enc := benchMessage(b, c.codec)
	c.fr.r = bufio.NewReaderSize(&cycleReader{b: append(appendHeader(nil, FrameMessage, len(enc)), enc...)}, ioBuffer)
	c.recvc = make(chan protocol.Message, 1)
	b.SetBytes(int64(len(enc)))
	b.ReportAllocs()
	for b.Loop() {
		_, p, err := c.fr.ReadFrame()
		if err != nil {
			b.Fatal(err)
		}
		if !c.deliver(p) {
			b.Fatal(c.Err())
		}
		<-c.recvc
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
