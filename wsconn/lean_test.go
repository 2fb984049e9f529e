package wsconn_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/wsframe"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// handServer is a loopback server that plays the server side of the
// WebSocket by hand, for Dial's lean client: script gets each connection
// with the handshake request read, answers it and plays the frames.
func handServer(t *testing.T, script func(nc net.Conn, br *bufio.Reader, req *http.Request)) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer nc.Close()
				br := bufio.NewReader(nc)
				req, err := http.ReadRequest(br)
				if err != nil {
					return
				}
				script(nc, br, req)
			})
		}
	})
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	return "ws://" + ln.Addr().String() + "/"
}

// upgradeAnswer is a 101 answer to req selecting subprotocol sp.
func upgradeAnswer(req *http.Request, sp string) string {
	s := "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: " +
		wsframe.AcceptKey(req.Header.Get("Sec-WebSocket-Key")) + "\r\n"
	if sp != "" {
		s += "Sec-WebSocket-Protocol: " + sp + "\r\n"
	}
	return s + "\r\n"
}

// frameOf is a server frame.
func frameOf(fin bool, op wsframe.Opcode, p []byte) []byte {
	b := []byte{byte(op), byte(len(p))}
	if fin {
		b[0] |= 0x80
	}
	return append(b, p...)
}

// readClientFrame reads one frame of the client's, checks it is masked
// and unmasks it.
func readClientFrame(t *testing.T, br *bufio.Reader) (wsframe.Opcode, []byte) {
	var h [2]byte
	if _, err := io.ReadFull(br, h[:]); err != nil {
		t.Errorf("reading the client's frame: %v", err)
		return 0, nil
	}
	if h[1]&0x80 == 0 {
		t.Errorf("client frame not masked")
	}
	n := int(h[1] & 0x7F)
	switch n {
	case 126:
		var l [2]byte
		io.ReadFull(br, l[:])
		n = int(binary.BigEndian.Uint16(l[:]))
	case 127:
		var l [8]byte
		io.ReadFull(br, l[:])
		n = int(binary.BigEndian.Uint64(l[:]))
	}
	var key [4]byte
	io.ReadFull(br, key[:])
	p := make([]byte, n)
	io.ReadFull(br, p)
	wsframe.Mask(key, 0, p)
	return wsframe.Opcode(h[0] & 0x0F), p
}

// The lean client answers pings, reads fragmented messages with control
// frames between the fragments (and a first frame sent along with the
// 101 answer), masks its frames, and echoes the server's close frame.
func TestLeanClientFraming(t *testing.T) {
	welcome := []byte(`[36,5,6,{}]`) // an EVENT
	result := make(chan error, 1)
	url := handServer(t, func(nc net.Conn, br *bufio.Reader, req *http.Request) {
		first := frameOf(false, wsframe.OpText, welcome[:3])
		nc.Write(append([]byte(upgradeAnswer(req, "wamp.2.json")), first...))
		nc.Write(frameOf(true, wsframe.OpPing, []byte("ping!")))
		nc.Write(frameOf(false, wsframe.OpContinuation, welcome[3:5]))
		nc.Write(frameOf(true, wsframe.OpPong, []byte("unsolicited")))
		nc.Write(frameOf(true, wsframe.OpContinuation, welcome[5:]))
		if op, p := readClientFrame(t, br); op != wsframe.OpPong || string(p) != "ping!" {
			result <- errors.New("no pong echoing the ping")
			return
		}
		op, p := readClientFrame(t, br)
		if op != wsframe.OpText || !strings.HasPrefix(string(p), "[1,") {
			result <- errors.New("no HELLO in a text frame")
			return
		}
		nc.Write(frameOf(true, wsframe.OpClose, append([]byte{0x03, 0xE9}, "away"...)))
		if op, p := readClientFrame(t, br); op != wsframe.OpClose || !bytes.Equal(p, []byte{0x03, 0xE9}) {
			result <- errors.New("the close frame was not echoed")
			return
		}
		result <- nil
	})
	client := dial(t, url, &wsconn.Options{Codecs: []codec.Codec{codec.JSON()}})
	if ev, ok := recv(t, client).(*protocol.Event); !ok || ev.Publication != 6 {
		t.Fatalf("got %#v, want the EVENT", ev)
	}
	send(t, client, sampleMessages()[0])
	if err := <-result; err != nil {
		t.Fatal(err)
	}
	var ce *wsconn.CloseError
	if err := waitEnd(t, client); !errors.As(err, &ce) || ce.Code != websocket.StatusGoingAway || ce.Reason != "away" {
		t.Fatalf("Err = %v, want the server's close 1001", err)
	}
	if err := client.Close(); err != nil {
		t.Fatalf("Close after the server closed: %v", err)
	}
}

// A frame that breaks RFC 6455 ends the connection with an error matching
// protocol.ErrProtocolViolation.
func TestLeanClientBadFrame(t *testing.T) {
	for name, bad := range map[string][]byte{
		"masked":          {0x81, 0x81, 1, 2, 3, 4, 'x'},
		"rsv1":            {0xC1, 0x00},
		"fragmented ping": {0x09, 0x00},
		"opcode 3":        {0x83, 0x00},
	} {
		t.Run(name, func(t *testing.T) {
			url := handServer(t, func(nc net.Conn, br *bufio.Reader, req *http.Request) {
				nc.Write([]byte(upgradeAnswer(req, "wamp.2.json")))
				nc.Write(bad)
				io.Copy(io.Discard, br)
			})
			client := dial(t, url, &wsconn.Options{CloseTimeout: 10 * time.Millisecond})
			if err := waitEnd(t, client); !errors.Is(err, protocol.ErrProtocolViolation) {
				t.Fatalf("Err = %v, want a protocol violation", err)
			}
		})
	}
}

// The handshake's answer is checked as coder/websocket's client checks it.
func TestLeanClientHandshakeRefused(t *testing.T) {
	for _, tt := range []struct {
		name   string
		answer func(req *http.Request) string
		check  func(err error) bool
	}{
		{"not found", func(*http.Request) string { return "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n" },
			func(err error) bool { return strings.Contains(err.Error(), "status code 101 but got 404") }},
		{"wrong accept", func(*http.Request) string {
			return "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: x\r\nSec-WebSocket-Protocol: wamp.2.json\r\n\r\n"
		}, func(err error) bool { return strings.Contains(err.Error(), "invalid Sec-WebSocket-Accept") }},
		{"no upgrade", func(req *http.Request) string {
			return strings.Replace(upgradeAnswer(req, "wamp.2.json"), "Upgrade: websocket\r\n", "", 1)
		}, func(err error) bool { return strings.Contains(err.Error(), "Upgrade header") }},
		{"extension", func(req *http.Request) string {
			return strings.Replace(upgradeAnswer(req, "wamp.2.json"), "\r\n\r\n", "\r\nSec-WebSocket-Extensions: permessage-deflate\r\n\r\n", 1)
		}, func(err error) bool { return strings.Contains(err.Error(), "extensions") }},
		{"no subprotocol", func(req *http.Request) string { return upgradeAnswer(req, "") },
			func(err error) bool { var ne *wsconn.NegotiationError; return errors.As(err, &ne) && ne.Got == "" }},
		{"subprotocol not offered", func(req *http.Request) string { return upgradeAnswer(req, "wamp.2.ubjson") },
			func(err error) bool {
				var ne *wsconn.NegotiationError
				return errors.As(err, &ne) && ne.Got == "wamp.2.ubjson" && len(ne.Offered) == 3
			}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			url := handServer(t, func(nc net.Conn, br *bufio.Reader, req *http.Request) {
				nc.Write([]byte(tt.answer(req)))
				io.Copy(io.Discard, br)
			})
			c, err := wsconn.Dial(context.Background(), url, nil)
			if err == nil {
				c.Close()
				t.Fatal("Dial succeeded")
			}
			if !tt.check(err) {
				t.Fatalf("err = %v", err)
			}
		})
	}
}

// The request carries the caller's headers, the offered subprotocols in
// order and basic authorization from the URL; a header value that would
// split the request is refused.
func TestLeanClientRequest(t *testing.T) {
	reqs := make(chan *http.Request, 1)
	url := handServer(t, func(nc net.Conn, br *bufio.Reader, req *http.Request) {
		reqs <- req
		nc.Write([]byte(upgradeAnswer(req, "wamp.2.cbor")))
		io.Copy(io.Discard, br)
	})
	c := dial(t, strings.Replace(url, "ws://", "ws://user:pw@", 1)+"path?q=1", &wsconn.Options{
		HTTPHeader:   http.Header{"X-Extra": {"1"}, "Upgrade": {"h2c"}},
		CloseTimeout: 10 * time.Millisecond, // the server never answers the close
	})
	if c.Subprotocol() != "wamp.2.cbor" {
		t.Errorf("Subprotocol = %q", c.Subprotocol())
	}
	req := <-reqs
	if u, p, ok := req.BasicAuth(); !ok || u != "user" || p != "pw" {
		t.Errorf("basic auth %q %q %v", u, p, ok)
	}
	if req.URL.RequestURI() != "/path?q=1" || req.Header.Get("X-Extra") != "1" || req.Header.Get("Upgrade") != "websocket" ||
		req.Header.Get("Sec-WebSocket-Version") != "13" || req.Header.Get("Sec-WebSocket-Protocol") != "wamp.2.cbor,wamp.2.msgpack,wamp.2.json" {
		t.Errorf("request %s %v", req.URL.RequestURI(), req.Header)
	}
	if _, err := wsconn.Dial(context.Background(), url, &wsconn.Options{HTTPHeader: http.Header{"X": {"a\r\nInjected: 1"}}}); err == nil ||
		!strings.Contains(err.Error(), "invalid header field value") {
		t.Errorf("a header value with CRLF: %v", err)
	}
}
