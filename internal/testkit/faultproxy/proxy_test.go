package faultproxy_test

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/faultproxy"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// bound is how long a test waits for something that should happen at once
// before it declares a hang. Passing tests never wait it out.
const bound = 10 * time.Second

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	t.Cleanup(cancel)
	return ctx
}

// server is a TCP server on 127.0.0.1 standing in for the router. With
// echo set it echoes every connection and reports how each one's read side
// ended on ends; otherwise it hands every accepted connection to the test
// on conns.
type server struct {
	ln    net.Listener
	echo  bool
	conns chan net.Conn
	ends  chan error
	wg    sync.WaitGroup
	mu    sync.Mutex
	all   []net.Conn
}

func newServer(t *testing.T, echo bool) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &server{ln: ln, echo: echo, conns: make(chan net.Conn, 16), ends: make(chan error, 16)}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(func() {
		ln.Close()
		s.mu.Lock()
		for _, c := range s.all {
			c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
	})
	return s
}

func (s *server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.mu.Lock()
		s.all = append(s.all, c)
		s.mu.Unlock()
		if !s.echo {
			s.conns <- c
			continue
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			_, err := io.Copy(c, c)
			c.(*net.TCPConn).CloseWrite()
			s.ends <- err
		}()
	}
}

// next returns the next connection the server accepted.
func (s *server) next(t *testing.T) net.Conn {
	t.Helper()
	select {
	case c := <-s.conns:
		return c
	case <-time.After(bound):
		t.Fatal("the server accepted no connection")
	}
	return nil
}

// noConn fails the test if the server has accepted a connection not yet
// taken by next.
func (s *server) noConn(t *testing.T) {
	t.Helper()
	select {
	case <-s.conns:
		t.Fatal("the server accepted a connection")
	default:
	}
}

func dial(t *testing.T, p *faultproxy.Proxy) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// turnedAway dials p and checks that the connection is reset or closed at
// once: the dial itself may already see the reset.
func turnedAway(t *testing.T, p *faultproxy.Proxy) {
	t.Helper()
	c, err := net.Dial("tcp", p.Addr())
	if err == nil {
		defer c.Close()
		err = readErr(t, c)
	}
	if !errors.Is(err, syscall.ECONNRESET) && err != io.EOF {
		t.Fatalf("connection turned away with %v, want a reset or EOF", err)
	}
}

func write(t *testing.T, c net.Conn, s string) {
	t.Helper()
	c.SetWriteDeadline(time.Now().Add(bound))
	if _, err := io.WriteString(c, s); err != nil {
		t.Fatalf("write: %v", err)
	}
}

// expect reads len(want) bytes from c and compares them to want.
func expect(t *testing.T, c net.Conn, want string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(bound))
	buf := make([]byte, len(want))
	if _, err := io.ReadFull(c, buf); err != nil {
		t.Fatalf("read: %v", err)
	}
	if string(buf) != want {
		t.Fatalf("read %q, want %q", buf, want)
	}
}

// readErr returns the error that ends c's read side, failing the test if
// data arrives instead.
func readErr(t *testing.T, c net.Conn) error {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(bound))
	var buf [64]byte
	n, err := c.Read(buf[:])
	if n > 0 {
		t.Fatalf("read %q, want the connection to end", buf[:n])
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("the connection did not end")
	}
	return err
}

// nothingBuffered fails the test if c has bytes to read now. It does not
// wait: it is meant for moments when the proxy provably holds the bytes.
func nothingBuffered(t *testing.T, c net.Conn) {
	t.Helper()
	c.SetReadDeadline(time.Now())
	var buf [64]byte
	n, err := c.Read(buf[:])
	if n > 0 {
		t.Fatalf("got %q through a stalled proxy", buf[:n])
	}
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("read on a stalled connection: %v, want a timeout", err)
	}
	c.SetReadDeadline(time.Time{})
}

func waitStats(t *testing.T, p *faultproxy.Proxy, what string, cond func(faultproxy.Stats) bool) faultproxy.Stats {
	t.Helper()
	s, err := p.Wait(ctxT(t), cond)
	if err != nil {
		t.Fatalf("waiting for %s: %v (stats %+v)", what, err, s)
	}
	return s
}

// connected returns a client connection through p and the server's end of
// it, after checking that bytes flow both ways.
func connected(t *testing.T, p *faultproxy.Proxy, srv *server) (client, server net.Conn) {
	t.Helper()
	c := dial(t, p)
	s := srv.next(t)
	write(t, c, "ping")
	expect(t, s, "ping")
	write(t, s, "pong")
	expect(t, c, "pong")
	return c, s
}

func TestForwardEcho(t *testing.T) {
	srv := newServer(t, true)
	p := faultproxy.New(t, srv.ln.Addr().String())
	a, b := dial(t, p), dial(t, p)
	write(t, a, "hello")
	write(t, b, "world")
	expect(t, b, "world")
	expect(t, a, "hello")
	s := waitStats(t, p, "two connections", func(s faultproxy.Stats) bool { return s.Accepted == 2 && s.Active == 2 })
	if s.Refused != 0 || s.Held != 0 || s.Pending != 0 {
		t.Fatalf("stats %+v", s)
	}
	// A half-close passes through: the echo server ends its side, and the
	// client reads the rest and then EOF.
	write(t, a, "bye")
	a.(*net.TCPConn).CloseWrite()
	expect(t, a, "bye")
	if err := readErr(t, a); err != io.EOF {
		t.Fatalf("after half-close: %v, want EOF", err)
	}
	if err := <-srv.ends; err != nil {
		t.Fatalf("server side ended with %v", err)
	}
	waitStats(t, p, "the link to end", func(s faultproxy.Stats) bool { return s.Active == 1 && s.Forwarded == 2*(5+5+3) })
}

func TestAddrAndURL(t *testing.T) {
	p, err := faultproxy.Listen("http://127.0.0.1:1234/x")
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if !strings.HasPrefix(p.Addr(), "127.0.0.1:") {
		t.Fatalf("Addr = %s", p.Addr())
	}
	if got, want := p.URL("/ws"), "ws://"+p.Addr()+"/ws"; got != want {
		t.Fatalf("URL = %s, want %s", got, want)
	}
	if p.Target() != "127.0.0.1:1234" {
		t.Fatalf("Target = %s", p.Target())
	}
	if err := p.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("second Close = %v", err)
	}
	if _, err := faultproxy.Listen("ws:///nohost"); err == nil {
		t.Fatal("Listen accepted a URL without a host")
	}
}

func TestDrop(t *testing.T) {
	srv := newServer(t, false)
	p := faultproxy.New(t, srv.ln.Addr().String())
	c, s := connected(t, p, srv)
	p.Drop()
	if err := readErr(t, c); err != io.EOF {
		t.Fatalf("client side: %v, want EOF", err)
	}
	if err := readErr(t, s); err != io.EOF {
		t.Fatalf("server side: %v, want EOF", err)
	}
	waitStats(t, p, "no open connection", func(s faultproxy.Stats) bool { return s.Active == 0 })
	// Only the connections open at the time were hit.
	connected(t, p, srv)
}

func TestReset(t *testing.T) {
	srv := newServer(t, false)
	p := faultproxy.New(t, srv.ln.Addr().String())
	c, s := connected(t, p, srv)
	p.Reset()
	if err := readErr(t, c); !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("client side: %v, want ECONNRESET", err)
	}
	if err := readErr(t, s); !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("server side: %v, want ECONNRESET", err)
	}
	waitStats(t, p, "no open connection", func(s faultproxy.Stats) bool { return s.Active == 0 })
	connected(t, p, srv)
}

// A reset by one peer reaches the other as a reset.
func TestPeerResetPassesThrough(t *testing.T) {
	srv := newServer(t, false)
	p := faultproxy.New(t, srv.ln.Addr().String())
	c, s := connected(t, p, srv)
	s.(*net.TCPConn).SetLinger(0)
	s.Close()
	if err := readErr(t, c); !errors.Is(err, syscall.ECONNRESET) {
		t.Fatalf("client side: %v, want ECONNRESET", err)
	}
}

func TestStallResume(t *testing.T) {
	srv := newServer(t, false)
	p := faultproxy.New(t, srv.ln.Addr().String())
	c, s := connected(t, p, srv)
	p.Stall()
	write(t, c, "up")
	write(t, s, "down!")
	// Both chunks were read by the proxy and wait at the stall, so neither
	// peer can have them.
	st := waitStats(t, p, "7 bytes held", func(s faultproxy.Stats) bool { return s.Pending == 7 })
	if st.Active != 1 {
		t.Fatalf("stats %+v", st)
	}
	nothingBuffered(t, s)
	nothingBuffered(t, c)
	// A connection made during the stall is not stalled.
	connected(t, p, srv)
	// The stalled one is still up: after Resume, what it held arrives.
	p.Resume()
	expect(t, s, "up")
	expect(t, c, "down!")
	write(t, c, "more")
	expect(t, s, "more")
	waitStats(t, p, "nothing held", func(s faultproxy.Stats) bool { return s.Pending == 0 })
}

// Drop ends stalled connections too, and their held bytes are discarded.
func TestDropWhileStalled(t *testing.T) {
	srv := newServer(t, false)
	p := faultproxy.New(t, srv.ln.Addr().String())
	c, s := connected(t, p, srv)
	p.Stall()
	write(t, c, "lost")
	waitStats(t, p, "4 bytes held", func(s faultproxy.Stats) bool { return s.Pending == 4 })
	p.Drop()
	if err := readErr(t, s); err != io.EOF {
		t.Fatalf("server side: %v, want EOF", err)
	}
	readErr(t, c)
	waitStats(t, p, "nothing open, nothing held", func(s faultproxy.Stats) bool { return s.Active == 0 && s.Pending == 0 })
}

func TestBlackHole(t *testing.T) {
	srv := newServer(t, false)
	p := faultproxy.New(t, srv.ln.Addr().String())
	c1, s1 := connected(t, p, srv)
	p.BlackHole(true)
	// The open connection is stalled.
	write(t, c1, "x")
	waitStats(t, p, "1 byte held", func(s faultproxy.Stats) bool { return s.Pending == 1 })
	nothingBuffered(t, s1)
	// A new one is accepted and held: the target never hears of it.
	c2 := dial(t, p)
	write(t, c2, "hello")
	st := waitStats(t, p, "a held connection", func(s faultproxy.Stats) bool { return s.Held == 1 })
	if st.Accepted != 2 || st.Active != 2 {
		t.Fatalf("stats %+v", st)
	}
	srv.noConn(t)
	nothingBuffered(t, c2)
	// Off again: the held connection is connected and its bytes arrive;
	// the stalled one resumes.
	p.BlackHole(false)
	expect(t, s1, "x")
	s2 := srv.next(t)
	expect(t, s2, "hello")
	write(t, s2, "hi")
	expect(t, c2, "hi")
	connected(t, p, srv)
}

func TestBlackHoleThenDrop(t *testing.T) {
	srv := newServer(t, false)
	p := faultproxy.New(t, srv.ln.Addr().String())
	p.BlackHole(true)
	c := dial(t, p)
	waitStats(t, p, "a held connection", func(s faultproxy.Stats) bool { return s.Held == 1 })
	p.Drop()
	readErr(t, c)
	waitStats(t, p, "no open connection", func(s faultproxy.Stats) bool { return s.Active == 0 })
	p.BlackHole(false)
	srv.noConn(t)
	connected(t, p, srv)
}

func TestRefuse(t *testing.T) {
	srv := newServer(t, false)
	p := faultproxy.New(t, srv.ln.Addr().String())
	c1, s1 := connected(t, p, srv)
	p.Refuse(true)
	turnedAway(t, p)
	st := waitStats(t, p, "a refusal", func(s faultproxy.Stats) bool { return s.Refused == 1 })
	if st.Accepted != 2 || st.Active != 1 {
		t.Fatalf("stats %+v", st)
	}
	srv.noConn(t)
	// The open connection is not affected.
	write(t, c1, "still")
	expect(t, s1, "still")
	p.Refuse(false)
	connected(t, p, srv)
}

func TestTargetDown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	p := faultproxy.New(t, addr)
	turnedAway(t, p)
	waitStats(t, p, "no open connection", func(s faultproxy.Stats) bool { return s.Accepted == 1 && s.Active == 0 })
}

// Close ends connections in every state; goleak (TestMain) checks that
// every goroutine of the proxy has exited.
func TestCloseEndsEverything(t *testing.T) {
	srv := newServer(t, false)
	p, err := faultproxy.Listen(srv.ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	open, _ := connected(t, p, srv)
	stalled, _ := connected(t, p, srv)
	p.Stall()
	write(t, stalled, "held")
	waitStats(t, p, "4 bytes held", func(s faultproxy.Stats) bool { return s.Pending == 4 })
	p.BlackHole(true)
	held := dial(t, p)
	waitStats(t, p, "a held connection", func(s faultproxy.Stats) bool { return s.Held == 1 })
	if err := p.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
	for _, c := range []net.Conn{open, stalled, held} {
		readErr(t, c)
	}
	if s := p.Stats(); s.Active != 0 || s.Pending != 0 {
		t.Fatalf("stats after Close %+v", s)
	}
	if c, err := net.Dial("tcp", p.Addr()); err == nil {
		c.Close()
		t.Fatal("dial after Close succeeded")
	}
	p.Resume() // no effect after Close, and no goroutine started
}

// A WebSocket WAMP connection through the proxy: messages flow, and a
// Drop ends both transports.
func TestWebSocketThroughProxy(t *testing.T) {
	accepted := make(chan *wsconn.Conn, 1)
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := wsconn.Accept(w, r, &wsconn.AcceptOptions{Codecs: []codec.Codec{codec.JSON()}})
		if err != nil {
			t.Errorf("Accept: %v", err)
			return
		}
		accepted <- c
	}))
	defer hs.Close()
	p := faultproxy.New(t, hs.URL)
	cc, err := wsconn.Dial(ctxT(t), p.URL("/"), &wsconn.Options{Codecs: []codec.Codec{codec.JSON()}})
	if err != nil {
		t.Fatal(err)
	}
	defer cc.Close()
	var sc *wsconn.Conn
	select {
	case sc = <-accepted:
	case <-time.After(bound):
		t.Fatal("no WebSocket accepted")
	}
	defer sc.Close()
	msg := &protocol.Publish{Request: 1, Options: protocol.Dict{}, Topic: "com.t"}
	if err := cc.Send(ctxT(t), msg); err != nil {
		t.Fatal(err)
	}
	select {
	case m := <-sc.Receive():
		if pub, ok := m.(*protocol.Publish); !ok || pub.Topic != "com.t" {
			t.Fatalf("got %+v", m)
		}
	case <-time.After(bound):
		t.Fatal("nothing received")
	}
	p.Drop()
	for name, c := range map[string]*wsconn.Conn{"client": cc, "server": sc} {
		select {
		case <-c.Done():
			if c.Err() == nil {
				t.Fatalf("%s: ended without an error", name)
			}
		case <-time.After(bound):
			t.Fatalf("%s: still open after Drop", name)
		}
	}
}
