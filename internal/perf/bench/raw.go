package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"

	"github.com/coder/websocket"
	"github.com/fxamacker/cbor/v2"
	"github.com/vmihailenco/msgpack/v5"
)

// RawCodec is a serializer used without WAMP: the third-party library
// behind each of wampgo's formats, encoding and decoding generic values.
type RawCodec struct {
	Name      string
	Frame     websocket.MessageType
	Marshal   func(v any) ([]byte, error)
	Unmarshal func(data []byte, v any) error
}

// RawCodecByName returns the raw codec for "json" (encoding/json, text
// frames), "msgpack" (vmihailenco/msgpack, binary frames) or "cbor"
// (fxamacker/cbor, binary frames).
func RawCodecByName(name string) (RawCodec, bool) {
	switch name {
	case "json":
		return RawCodec{Name: name, Frame: websocket.MessageText, Marshal: json.Marshal, Unmarshal: json.Unmarshal}, true
	case "msgpack":
		return RawCodec{Name: name, Frame: websocket.MessageBinary, Marshal: msgpack.Marshal, Unmarshal: msgpack.Unmarshal}, true
	case "cbor":
		return RawCodec{Name: name, Frame: websocket.MessageBinary, Marshal: cbor.Marshal, Unmarshal: cbor.Unmarshal}, true
	}
	return RawCodec{}, false
}

// EchoServer is a WebSocket echo server on 127.0.0.1: on each connection it
// reads a message and writes it back, one at a time, with no decoding. It is
// the server of the raw baseline. Close it when done.
type EchoServer struct {
	srv    *httptest.Server
	ctx    context.Context // ends at Close; closes every connection
	cancel context.CancelFunc

	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup // connection goroutines
}

// StartEcho starts an echo server on a new HTTP server bound to
// 127.0.0.1:0.
func StartEcho() *EchoServer {
	e := &EchoServer{}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	e.srv = httptest.NewServer(e)
	return e
}

// URL is the server's WebSocket URL, ws://127.0.0.1:port/.
func (e *EchoServer) URL() string { return wsURL(e.srv.URL) }

// Close stops the server, closes every connection and waits for their
// goroutines. It is safe to call more than once.
func (e *EchoServer) Close() {
	e.mu.Lock()
	e.closed = true
	e.mu.Unlock()
	e.cancel() // a websocket read whose context ends closes its connection
	e.srv.Close()
	e.wg.Wait()
}

// ServeHTTP accepts a WebSocket connection and echoes it until it ends.
func (e *EchoServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		return
	}
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		ws.CloseNow()
		return
	}
	e.wg.Add(1)
	e.mu.Unlock()
	defer e.wg.Done()
	defer ws.CloseNow()
	for {
		typ, data, err := ws.Read(e.ctx)
		if err != nil {
			return
		}
		if err := ws.Write(e.ctx, typ, data); err != nil {
			return
		}
	}
}

// RawClient multiplexes concurrent request/reply exchanges on one
// WebSocket, the way a hand-written client without WAMP would: each request
// is the list [id, args...] encoded by the caller's goroutine, writes are
// serialized by a mutex, and a single reader goroutine decodes every reply
// and hands it, by id, to the channel of the waiting request.
type RawClient struct {
	ws     *websocket.Conn
	codec  RawCodec
	hc     *http.Client
	ctx    context.Context // lives until Close: coder/websocket closes the connection when a read or write context ends
	cancel context.CancelFunc
	lastID atomic.Uint64

	wmu sync.Mutex // serializes writes

	mu      sync.Mutex
	pending map[uint64]chan []any // guarded by mu
	err     error                 // guarded by mu: why the reader stopped

	done chan struct{} // closed when the reader has exited
}

// DialRaw connects a RawClient to url (an EchoServer) with the given codec.
func DialRaw(ctx context.Context, url string, c RawCodec) (*RawClient, error) {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	hc := &http.Client{Transport: tr}
	ws, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPClient: hc, CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		tr.CloseIdleConnections()
		return nil, err
	}
	ws.SetReadLimit(-1)
	rc := &RawClient{ws: ws, codec: c, hc: hc, pending: map[uint64]chan []any{}, done: make(chan struct{})}
	rc.ctx, rc.cancel = context.WithCancel(context.Background())
	go rc.readLoop()
	return rc, nil
}

// Call sends [id, args...] and waits for the reply with the same id,
// returning the reply's elements after the id.
func (c *RawClient) Call(ctx context.Context, args ...any) ([]any, error) {
	id := c.lastID.Add(1)
	req := make([]any, 0, len(args)+1)
	req = append(req, id)
	req = append(req, args...)
	data, err := c.codec.Marshal(req)
	if err != nil {
		return nil, err
	}
	ch := make(chan []any, 1)
	c.mu.Lock()
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return nil, err
	}
	c.pending[id] = ch
	c.mu.Unlock()

	c.wmu.Lock()
	err = c.ws.Write(c.ctx, c.codec.Frame, data)
	c.wmu.Unlock()
	if err != nil {
		c.forget(id)
		return nil, err
	}
	select {
	case reply := <-ch:
		return reply, nil
	case <-c.done:
		c.forget(id)
		return nil, c.readErr()
	case <-ctx.Done():
		c.forget(id)
		return nil, ctx.Err()
	}
}

func (c *RawClient) forget(id uint64) {
	c.mu.Lock()
	delete(c.pending, id)
	c.mu.Unlock()
}

func (c *RawClient) readErr() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

// readLoop is the reader goroutine: it decodes each reply and delivers it
// to the request waiting for its id.
func (c *RawClient) readLoop() {
	defer close(c.done)
	stop := func(err error) {
		c.mu.Lock()
		if c.err == nil {
			c.err = err
		}
		c.mu.Unlock()
	}
	for {
		_, data, err := c.ws.Read(c.ctx)
		if err != nil {
			stop(fmt.Errorf("bench: raw read: %w", err))
			return
		}
		var reply []any
		if err := c.codec.Unmarshal(data, &reply); err != nil || len(reply) == 0 {
			stop(fmt.Errorf("bench: raw reply undecodable: %v", err))
			c.ws.CloseNow()
			return
		}
		id, ok := toID(reply[0])
		if !ok {
			stop(fmt.Errorf("bench: raw reply id %T", reply[0]))
			c.ws.CloseNow()
			return
		}
		c.mu.Lock()
		ch := c.pending[id]
		delete(c.pending, id)
		c.mu.Unlock()
		if ch != nil {
			ch <- reply[1:]
		}
	}
}

// Close closes the connection (closing handshake, then the TCP connection)
// and waits for the reader to exit. Calls in flight fail.
func (c *RawClient) Close() error {
	err := c.ws.Close(websocket.StatusNormalClosure, "")
	c.cancel()
	<-c.done
	c.hc.Transport.(*http.Transport).CloseIdleConnections()
	return err
}

// toID reads a request id decoded generically: a JSON number is a float64,
// MessagePack and CBOR integers come in several Go integer types.
func toID(v any) (uint64, bool) {
	switch x := v.(type) {
	case float64:
		return uint64(x), x >= 0
	case uint64:
		return x, true
	case int64:
		return uint64(x), x >= 0
	case uint32:
		return uint64(x), true
	case int32:
		return uint64(x), x >= 0
	case uint16:
		return uint64(x), true
	case int16:
		return uint64(x), x >= 0
	case uint8:
		return uint64(x), true
	case int8:
		return uint64(x), x >= 0
	}
	return 0, false
}
