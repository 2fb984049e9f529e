package rawsocket_test

import (
	"context"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
)

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// pair connects a client and a server Conn over net.Pipe (works inside a
// synctest bubble) and closes both at the end of the test.
func pair(t testing.TB, copts *rawsocket.Options, sopts *rawsocket.ServerOptions) (client, server *rawsocket.Conn) {
	t.Helper()
	cn, sn := net.Pipe()
	return pairOn(t, cn, sn, copts, sopts)
}

func pairOn(t testing.TB, cn, sn net.Conn, copts *rawsocket.Options, sopts *rawsocket.ServerOptions) (client, server *rawsocket.Conn) {
	t.Helper()
	type res struct {
		c   *rawsocket.Conn
		err error
	}
	sc := make(chan res, 1)
	go func() {
		c, err := rawsocket.Server(context.Background(), sn, sopts)
		sc <- res{c, err}
	}()
	client, err := rawsocket.Client(context.Background(), cn, copts)
	s := <-sc
	if err != nil || s.err != nil {
		if client != nil {
			client.Close()
		}
		if s.c != nil {
			s.c.Close()
		}
		t.Fatalf("handshake: client %v, server %v", err, s.err)
	}
	t.Cleanup(func() {
		client.Close()
		s.c.Close()
	})
	return client, s.c
}

// rawPeer runs the handshake as a router by hand on the server end of a
// pipe and returns that end, for tests that write raw frames. The client
// asks for codecs[0]; the peer accepts with maximum length exponent exp.
func rawPeer(t testing.TB, copts *rawsocket.Options, exp uint8) (*rawsocket.Conn, net.Conn) {
	t.Helper()
	cn, sn := net.Pipe()
	go func() {
		var req [4]byte
		if _, err := io.ReadFull(sn, req[:]); err != nil {
			return
		}
		sn.Write([]byte{0x7F, exp<<4 | req[1]&0x0F, 0, 0})
	}()
	c, err := rawsocket.Client(ctxT(t), cn, copts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		sn.Close()
		c.Close()
	})
	return c, sn
}

// frame builds a frame: type, payload.
func frame(typ byte, payload []byte) []byte {
	n := len(payload)
	return append([]byte{typ, byte(n >> 16), byte(n >> 8), byte(n)}, payload...)
}

// drainPeer reads and discards everything from nc until it closes, and
// returns what it read when stopped.
func drainPeer(nc net.Conn) (wait func() []byte) {
	var mu sync.Mutex
	var got []byte
	done := make(chan struct{})
	go func() {
		defer close(done)
		buf := make([]byte, 4096)
		for {
			n, err := nc.Read(buf)
			mu.Lock()
			got = append(got, buf[:n]...)
			mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return func() []byte {
		<-done
		mu.Lock()
		defer mu.Unlock()
		return got
	}
}

func recv(t testing.TB, c *rawsocket.Conn) protocol.Message {
	t.Helper()
	select {
	case m, ok := <-c.Receive():
		if !ok {
			t.Fatalf("connection ended: %v", c.Err())
		}
		return m
	case <-time.After(5 * time.Second):
		t.Fatal("no message")
	}
	return nil
}

func waitEnd(t testing.TB, c *rawsocket.Conn) error {
	t.Helper()
	select {
	case <-c.Done():
		return c.Err()
	case <-time.After(5 * time.Second):
		t.Fatal("connection did not end")
	}
	return nil
}

func mustIs(t testing.TB, what string, err error, targets ...error) {
	t.Helper()
	for _, target := range targets {
		if !errors.Is(err, target) {
			t.Fatalf("%s: %v, want it to match %v", what, err, target)
		}
	}
}
