// Package lazyio holds the buffers both transports (wsconn's lean
// WebSocket client and internal/transport/rawsocket) read and write
// through, so that an idle connection holds no large buffer: reads wait for
// data in a small array of the connection's own (Reader), and the buffers a
// burst of traffic needs come from a pool shared by every connection
// (Buffers) and go back to it as soon as they are empty.
//
// The package starts no goroutines.
package lazyio

import (
	"io"
	"sync"
)

// BufferSize is the size of the pooled buffers.
const BufferSize = 32 << 10

// SmallRead is the size of the array a Reader waits for data in: a few
// small messages.
const SmallRead = 256

// Buffers holds *[]byte of length and capacity BufferSize, shared by every
// connection. Put a buffer back with its length and capacity unchanged
// (GetBuffer, PutBuffer).
var Buffers = sync.Pool{New: func() any { b := make([]byte, BufferSize); return &b }}

// GetBuffer takes a pooled buffer of BufferSize bytes.
func GetBuffer() *[]byte { return Buffers.Get().(*[]byte) }

// PutBuffer returns a buffer taken with GetBuffer; the caller must not use
// it afterwards.
func PutBuffer(b *[]byte) {
	*b = (*b)[:cap(*b)]
	Buffers.Put(b)
}

// Reader buffers reads from R without holding a large buffer while it
// waits: it reads into a small array of its own, and only when that filled
// up (more is likely waiting) does the next read take a pooled buffer,
// which it returns once its bytes are consumed. A connection therefore
// waits in a pooled buffer only after a read that filled its buffer
// exactly, with nothing after it. A read of at least SmallRead bytes with
// nothing buffered goes straight into the caller's slice.
//
// One goroutine at a time may use a Reader (the connection's reader). The
// zero value with R set is ready to use.
type Reader struct {
	R     io.Reader
	data  []byte  // unread bytes, in small or *big
	big   *[]byte // pooled; nil while nothing is buffered in it
	more  bool    // the last read filled its buffer
	small [SmallRead]byte
}

// Prime makes b the first bytes Read returns, before any from R: what a
// handshake read past its end. b is copied when it fits the small array,
// else retained until consumed.
func (l *Reader) Prime(b []byte) {
	if len(b) <= SmallRead {
		l.data = l.small[:copy(l.small[:], b)]
		return
	}
	l.data = b
}

// Fill waits until data is buffered, reading R when nothing is, and
// returns R's error if that read returned none (the next Read meets it
// again). A reader goroutine calls it to wait for data on a shallow stack.
func (l *Reader) Fill() error {
	if len(l.data) > 0 {
		return nil
	}
	return l.fill()
}

// fill reads R into small, or into a pooled buffer when the last read
// filled its buffer.
func (l *Reader) fill() error {
	l.release()
	buf := l.small[:]
	if l.more {
		l.big = GetBuffer()
		buf = *l.big
	}
	n, err := l.R.Read(buf)
	l.more = n == len(buf)
	l.data = buf[:n]
	if n == 0 {
		l.release()
		return err
	}
	// An error that came with data is dropped: the stream's next read
	// reports it again.
	if err != nil {
		l.more = false
	}
	return nil
}

// Read reads into p, as io.Reader.
func (l *Reader) Read(p []byte) (int, error) {
	if len(l.data) == 0 {
		l.release()
		if len(p) >= SmallRead {
			// A payload read straight into place. Whether more
			// follows is learnt by the next read, into small.
			l.more = false
			return l.R.Read(p)
		}
		if err := l.fill(); err != nil {
			return 0, err
		}
		if len(l.data) == 0 {
			return 0, nil
		}
	}
	n := copy(p, l.data)
	l.data = l.data[n:]
	if len(l.data) == 0 {
		l.release()
	}
	return n, nil
}

// Holding reports whether a pooled buffer is held (for tests).
func (l *Reader) Holding() bool { return l.big != nil }

// release returns the pooled buffer, if any; nothing is buffered in it.
func (l *Reader) release() {
	if l.big != nil {
		PutBuffer(l.big)
		l.big = nil
		l.data = nil
	}
}
