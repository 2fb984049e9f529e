package wsconn

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"sync/atomic"

	"github.com/wampgo/wampgo/codec"
)

// rawConn wraps the network connection under a websocket.Conn. It counts
// progress for keepalive and lets Close and keepalive close the connection
// whatever the websocket.Conn is doing.
type rawConn struct {
	io.ReadWriteCloser
	// progress counts the reads that returned data, and the reader's
	// websocket reads started. Written by the reader goroutine (directly
	// and through the websocket.Conn), read by keepalive.
	progress atomic.Uint64
	// tls is the TLS state of a dialed wss:// connection (the handshake
	// response's), nil otherwise; see TLSConnectionState.
	tls *tls.ConnectionState
}

func (r *rawConn) Read(p []byte) (int, error) {
	n, err := r.ReadWriteCloser.Read(p)
	if n > 0 {
		r.progress.Add(1)
	}
	return n, err
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
	return &countingNetConn{Conn: nc, raw: h.raw}, brw, nil
}

// countingNetConn is a net.Conn whose reads go through raw.
type countingNetConn struct {
	net.Conn
	raw *rawConn
}

func (c *countingNetConn) Read(p []byte) (int, error) { return c.raw.Read(p) }
