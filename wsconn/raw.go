package wsconn

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"sync"
	"sync/atomic"

	"github.com/wampgo/wampgo/codec"
)

// rawConn wraps the network connection under a websocket.Conn. It counts
// progress for keepalive, lets Close and keepalive close the connection
// whatever the websocket.Conn is doing, and batches writes: between hold
// and release it gathers what the websocket.Conn writes (each frame is one
// Write, as it flushes after every frame) and release writes it all at
// once, so a batch of frames costs one system call instead of one each.
type rawConn struct {
	io.ReadWriteCloser

	// wmu orders the writes to the network connection: the writer's
	// gathered batch and the frames coder/websocket flushes on other
	// goroutines (pings, close) must not interleave. It is a one-slot
	// channel rather than a sync.Mutex because it is held across a
	// network write: a channel wait is one testing/synctest sees as
	// durably blocked. Lazily made by lock.
	wmu     chan struct{}
	wmuOnce sync.Once
	holding bool    // guarded by wmu: writes are gathered in *wbp
	wbp     *[]byte // guarded by wmu: the bytes gathered, from gatherBufs while gathering, else nil
	// writes counts the writes made to the network connection, frames the
	// frames the writer goroutine wrote (see WriteStats).
	writes, frames atomic.Uint64

	// progress counts the reads that returned data: the Conn's counter
	// (connstate.Conn.Progress), set before its reader starts; nil before.
	progress *atomic.Uint64
	// tls is the TLS state of a dialed wss:// connection (the handshake
	// response's), nil otherwise; see TLSConnectionState.
	tls *tls.ConnectionState
}

func (r *rawConn) Read(p []byte) (int, error) {
	n, err := r.ReadWriteCloser.Read(p)
	if n > 0 && r.progress != nil {
		r.progress.Add(1)
	}
	return n, err
}

// maxGather is how many bytes hold gathers before writing them out: a
// large frame is written through rather than copied.
const maxGather = 64 << 10

// gatherBufs holds the buffers hold gathers in, shared by every
// connection: an idle connection holds none.
var gatherBufs = sync.Pool{New: func() any { b := make([]byte, 0, maxGather); return &b }}

func (r *rawConn) lock() {
	r.wmuOnce.Do(func() { r.wmu = make(chan struct{}, 1) })
	r.wmu <- struct{}{}
}

func (r *rawConn) unlock() { <-r.wmu }

// Write writes p, or gathers it while the writer holds the batch.
func (r *rawConn) Write(p []byte) (int, error) {
	r.lock()
	defer r.unlock()
	if r.holding {
		if len(r.gathered())+len(p) > maxGather {
			if err := r.flushLocked(); err != nil {
				return 0, err
			}
		}
		if len(p) <= maxGather {
			if r.wbp == nil {
				r.wbp = gatherBufs.Get().(*[]byte)
				*r.wbp = (*r.wbp)[:0]
			}
			*r.wbp = append(*r.wbp, p...)
			return len(p), nil
		}
	}
	r.writes.Add(1)
	return r.ReadWriteCloser.Write(p)
}

// hold starts gathering writes. Only the writer goroutine calls it.
func (r *rawConn) hold() {
	r.lock()
	r.holding = true
	r.unlock()
}

// release writes what was gathered since hold, in one write, and stops
// gathering. Only the writer goroutine calls it.
func (r *rawConn) release() error {
	r.lock()
	defer r.unlock()
	r.holding = false
	return r.flushLocked()
}

// gathered returns the bytes gathered and not written yet. Called with
// wmu held.
func (r *rawConn) gathered() []byte {
	if r.wbp == nil {
		return nil
	}
	return *r.wbp
}

func (r *rawConn) flushLocked() error {
	if len(r.gathered()) == 0 {
		return nil
	}
	r.writes.Add(1)
	_, err := r.ReadWriteCloser.Write(*r.wbp)
	*r.wbp = (*r.wbp)[:0]
	gatherBufs.Put(r.wbp)
	r.wbp = nil
	return err
}

// captureTransport wraps the RoundTripper of the handshake's HTTP client to
// catch the connection of a 101 response, whose body is the connection.
type captureTransport struct {
	base    http.RoundTripper
	offered []codec.Codec
	raw     *rawConn // set by RoundTrip; Dial reads it after the handshake
}

func (t *captureTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil || resp.StatusCode != http.StatusSwitchingProtocols {
		return resp, err
	}
	if sp := resp.Header.Get("Sec-WebSocket-Protocol"); sp != "" && pick(t.offered, sp) == nil {
		// coder/websocket will refuse it, then wait up to 3s reading
		// the body for its error message: close the connection now.
		resp.Body.Close()
		return resp, nil
	}
	if rwc, ok := resp.Body.(io.ReadWriteCloser); ok {
		t.raw = &rawConn{ReadWriteCloser: rwc, tls: resp.TLS}
		resp.Body = t.raw
	}
	return resp, nil
}

// hijackCapture wraps the http.ResponseWriter given to Accept to catch the
// connection that coder/websocket hijacks.
type hijackCapture struct {
	http.ResponseWriter
	raw *rawConn // set by Hijack
}

// Unwrap lets http.ResponseController reach the wrapped writer.
func (h *hijackCapture) Unwrap() http.ResponseWriter { return h.ResponseWriter }

func (h *hijackCapture) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	nc, brw, err := http.NewResponseController(h.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	h.raw = &rawConn{ReadWriteCloser: nc}
	cn := &countingNetConn{Conn: nc, raw: h.raw}
	// coder/websocket writes through the hijacked bufio.Writer, which
	// writes to the network connection directly: give it one over cn, so
	// that writes are counted and batched as on the dialing side. net/http
	// flushed the 101 response before handing the writer over; flush again
	// in case anything is left.
	if err := brw.Writer.Flush(); err != nil {
		nc.Close()
		return nil, nil, err
	}
	brw = bufio.NewReadWriter(brw.Reader, bufio.NewWriterSize(cn, brw.Writer.Size()))
	return cn, brw, nil
}

// countingNetConn is a net.Conn whose reads and writes go through raw.
type countingNetConn struct {
	net.Conn
	raw *rawConn
}

func (c *countingNetConn) Read(p []byte) (int, error)  { return c.raw.Read(p) }
func (c *countingNetConn) Write(p []byte) (int, error) { return c.raw.Write(p) }
