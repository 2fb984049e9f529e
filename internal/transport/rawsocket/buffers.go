package rawsocket

import (
	"io"
	"sync"
)

// An idle connection holds no large buffer: reads wait for data in a small
// array of the connection's own, and the read and write buffers a burst of
// traffic needs come from a pool shared by every connection and go back to
// it as soon as they are empty.

// ioBuffer is the size of the pooled read and write buffers.
const ioBuffer = 32 << 10

// smallRead is the size of the array a connection waits for data in: a
// few small messages.
const smallRead = 256

var ioBuffers = sync.Pool{New: func() any { b := make([]byte, ioBuffer); return &b }}

// lazyReader buffers reads from r without holding a large buffer while it
// waits: it reads into small, and only when that filled up (more is likely
// waiting) does the next read take a pooled buffer, which it returns once
// its bytes are consumed. A connection therefore waits in a pooled buffer
// only after a read that filled its buffer exactly, with nothing after it. A read of at least smallRead bytes with nothing
// buffered goes straight into the caller's slice. Only the reader
// goroutine uses it.
type lazyReader struct {
	r     io.Reader
	data  []byte  // unread bytes, in small or *big
	big   *[]byte // pooled; nil while nothing is buffered in it
	more  bool    // the last read filled its buffer
	small [smallRead]byte
}

func (l *lazyReader) Read(p []byte) (int, error) {
	if len(l.data) == 0 {
		l.release()
		if len(p) >= smallRead {
			// A payload read straight into place. Whether more
			// follows is learnt by the next read, into small.
			l.more = false
			return l.r.Read(p)
		}
		buf := l.small[:]
		if l.more {
			l.big = ioBuffers.Get().(*[]byte)
			buf = (*l.big)[:cap(*l.big)] // the writers put theirs back empty
		}
		n, err := l.r.Read(buf)
		l.more = n == len(buf)
		l.data = buf[:n]
		if n == 0 {
			l.release()
			return 0, err
		}
		// An error that came with data is dropped: the stream's next
		// read reports it again.
		if err != nil {
			l.more = false
		}
	}
	n := copy(p, l.data)
	l.data = l.data[n:]
	if len(l.data) == 0 {
		l.release()
	}
	return n, nil
}

// release returns the pooled buffer, if any; nothing is buffered in it.
func (l *lazyReader) release() {
	if l.big != nil {
		ioBuffers.Put(l.big)
		l.big = nil
		l.data = nil
	}
}
