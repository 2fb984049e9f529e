package wsconn_test

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// bound is how long a test waits for something that should happen at once
// before it declares a hang. It bounds failures; passing tests never wait it.
const bound = 10 * time.Second

// acceptServer is a loopback HTTP server that accepts WAMP connections with
// wsconn.Accept and hands them to the test.
type acceptServer struct {
	url   string
	conns chan *wsconn.Conn // accepted connections
	errs  chan error        // Accept failures
}

func newAcceptServer(t *testing.T, opts *wsconn.AcceptOptions) *acceptServer {
	t.Helper()
	s := &acceptServer{conns: make(chan *wsconn.Conn, 16), errs: make(chan error, 16)}
	var mu sync.Mutex
	var all []*wsconn.Conn
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := wsconn.Accept(w, r, opts)
		if err != nil {
			s.errs <- err
			return
		}
		mu.Lock()
		all = append(all, c)
		mu.Unlock()
		s.conns <- c
	}))
	t.Cleanup(func() {
		srv.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range all {
			c.Close()
		}
	})
	s.url = "ws" + strings.TrimPrefix(srv.URL, "http")
	return s
}

// next returns the next accepted connection.
func (s *acceptServer) next(t *testing.T) *wsconn.Conn {
	t.Helper()
	select {
	case c := <-s.conns:
		return c
	case err := <-s.errs:
		t.Fatalf("Accept: %v", err)
	case <-time.After(bound):
		t.Fatal("no connection accepted")
	}
	return nil
}

// rawServer is a loopback HTTP server that accepts with coder/websocket
// itself, offering subprotocols, and runs script on each connection, for
// peers that misbehave. script's ctx ends when the test ends; the
// connection is closed when script returns.
func rawServer(t *testing.T, opts *websocket.AcceptOptions, script func(ctx context.Context, c *websocket.Conn)) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		wg.Add(1)
		defer wg.Done()
		c, err := websocket.Accept(w, r, opts)
		if err != nil {
			return
		}
		defer c.CloseNow()
		script(ctx, c)
	}))
	// A small receive buffer, so that a peer that stops reading blocks a
	// writer soon (see smallBuffers).
	srv.Listener = smallBufListener{srv.Listener}
	srv.Start()
	t.Cleanup(func() {
		srv.Close() // no new handlers after this
		cancel()
		wg.Wait()
	})
	return "ws" + strings.TrimPrefix(srv.URL, "http")
}

type smallBufListener struct{ net.Listener }

func (l smallBufListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetReadBuffer(4096)
	}
	return c, err
}

// smallBuffers returns an HTTP client whose connections have a small send
// buffer: with rawServer's small receive buffer, a message of a few hundred
// KiB fills both when the server does not read, and the writer blocks.
func smallBuffers(t *testing.T) *http.Client {
	tr := &http.Transport{DialContext: smallBufferDial}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// smallBufferDial dials a connection with a small send buffer (see
// smallBuffers).
func smallBufferDial(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetWriteBuffer(4096)
	}
	return c, err
}

// dial dials url and closes the connection when the test ends.
func dial(t *testing.T, url string, opts *wsconn.Options) *wsconn.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	c, err := wsconn.Dial(ctx, url, opts)
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// send sends msg, failing the test on error.
func send(t *testing.T, c protocol.Transport, msg protocol.Message) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	if err := c.Send(ctx, msg); err != nil {
		t.Fatalf("Send(%v): %v", msg.Type(), err)
	}
}

// recv receives one message, failing the test if none comes.
func recv(t *testing.T, c protocol.Transport) protocol.Message {
	t.Helper()
	select {
	case m, ok := <-c.Receive():
		if !ok {
			t.Fatalf("Receive closed; Err = %v", c.Err())
		}
		return m
	case <-time.After(bound):
		t.Fatal("no message received")
	}
	return nil
}

// waitEnd waits for c to end and for Receive to be closed, and returns Err.
func waitEnd(t *testing.T, c protocol.Transport) error {
	t.Helper()
	select {
	case <-c.Done():
	case <-time.After(bound):
		t.Fatal("transport did not end")
	}
	for {
		select {
		case _, ok := <-c.Receive():
			if !ok {
				return c.Err()
			}
		case <-time.After(bound):
			t.Fatal("Receive not closed after the end")
		}
	}
}

func sampleMessages() []protocol.Message {
	return []protocol.Message{
		&protocol.Hello{Realm: "realm1", Details: protocol.Dict{
			"roles": protocol.Dict{"caller": protocol.Dict{}, "subscriber": protocol.Dict{}},
		}},
		&protocol.Call{Request: 1, Options: protocol.Dict{}, Procedure: "com.example.add",
			Payload: protocol.Payload{Args: protocol.List{int64(2), int64(-3)}, Kwargs: protocol.Dict{"unit": "m"}}},
		&protocol.Event{Subscription: 7, Publication: protocol.MaxID, Details: protocol.Dict{},
			Payload: protocol.Payload{Args: protocol.List{[]byte{0, 1, 2, 255}, 1.5, true, nil, "ünïcode"}}},
		&protocol.Abort{Details: protocol.Dict{"message": "bye"}, Reason: "wamp.error.protocol_violation"},
	}
}

func equalMessages(t *testing.T, got, want protocol.Message) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("message mismatch:\n got %#v\nwant %#v", got, want)
	}
}

// pipeTransport is an http.RoundTripper that serves each request with h
// over a net.Pipe, so a WebSocket runs in memory (and inside a synctest
// bubble). h must hijack to switch protocols; it runs in RoundTrip.
type pipeTransport struct{ h http.HandlerFunc }

func (p pipeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	client, server := net.Pipe()
	rec := httptest.NewRecorder()
	p.h(pipeHijacker{ResponseRecorder: rec, conn: server}, r)
	resp := rec.Result()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		client.Close()
		server.Close()
		return resp, nil
	}
	resp.Body = client
	return resp, nil
}

type pipeHijacker struct {
	*httptest.ResponseRecorder
	conn net.Conn
}

func (h pipeHijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return h.conn, bufio.NewReadWriter(bufio.NewReader(h.conn), bufio.NewWriter(h.conn)), nil
}

// pipeDial dials a server handler h in memory.
func pipeDial(t *testing.T, h http.HandlerFunc, opts *wsconn.Options) *wsconn.Conn {
	t.Helper()
	o := wsconn.Options{}
	if opts != nil {
		o = *opts
	}
	o.HTTPClient = &http.Client{Transport: pipeTransport{h}}
	c, err := wsconn.Dial(context.Background(), "ws://pipe.invalid/", &o)
	if err != nil {
		t.Fatalf("Dial over pipe: %v", err)
	}
	return c
}

// pipeDialFunc dials a server handler in memory (pipeDial, leanPipeDial).
type pipeDialFunc func(t *testing.T, h http.HandlerFunc, opts *wsconn.Options) *wsconn.Conn

// bothClients runs test in a synctest bubble once with each client: Dial's
// lean one and coder/websocket's (the one Dial takes with an HTTPClient).
func bothClients(t *testing.T, test func(t *testing.T, pipeDial pipeDialFunc)) {
	t.Helper()
	for _, c := range []struct {
		name string
		dial pipeDialFunc
	}{{"lean", leanPipeDial}, {"coder", pipeDial}} {
		t.Run(c.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { test(t, c.dial) })
		})
	}
}

// leanPipeDial dials a server handler h in memory, with Dial's lean
// client: h serves the one request read from the server's end of a
// net.Pipe, and must hijack to switch protocols.
func leanPipeDial(t *testing.T, h http.HandlerFunc, opts *wsconn.Options) *wsconn.Conn {
	t.Helper()
	o := wsconn.Options{}
	if opts != nil {
		o = *opts
	}
	client, server := net.Pipe()
	go func() {
		br := bufio.NewReader(server)
		req, err := http.ReadRequest(br)
		if err != nil {
			server.Close()
			return
		}
		h(&pipeResponse{header: http.Header{}, conn: server, br: br}, req)
	}()
	o.NetDial = func(context.Context, string, string) (net.Conn, error) { return client, nil }
	c, err := wsconn.Dial(context.Background(), "ws://pipe.invalid/", &o)
	if err != nil {
		t.Fatalf("Dial over pipe: %v", err)
	}
	return c
}

// pipeResponse is the http.ResponseWriter of leanPipeDial's server: it
// writes the answer's head to the pipe at WriteHeader, and hijacks.
type pipeResponse struct {
	header http.Header
	conn   net.Conn
	br     *bufio.Reader
	wrote  bool
}

func (p *pipeResponse) Header() http.Header { return p.header }

func (p *pipeResponse) WriteHeader(code int) {
	if p.wrote {
		return
	}
	p.wrote = true
	var b strings.Builder
	fmt.Fprintf(&b, "HTTP/1.1 %d %s\r\n", code, http.StatusText(code))
	p.header.Write(&b)
	b.WriteString("\r\n")
	p.conn.Write([]byte(b.String()))
}

func (p *pipeResponse) Write(b []byte) (int, error) {
	p.WriteHeader(http.StatusOK)
	return p.conn.Write(b)
}

func (p *pipeResponse) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return p.conn, bufio.NewReadWriter(p.br, bufio.NewWriter(p.conn)), nil
}
