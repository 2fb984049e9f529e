package rawsocket_test

import (
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
)

// The client's request: magic, length exponent and serializer, reserved
// zeros.
func TestClientRequestOctets(t *testing.T) {
	for _, tc := range []struct {
		name  string
		opts  *rawsocket.Options
		octet byte
	}{
		{"defaults: 16 MiB, cbor first", nil, 0xF3},
		{"msgpack", &rawsocket.Options{Codecs: []codec.Codec{codec.MsgPack()}}, 0xF2},
		{"cbor 1 MiB", &rawsocket.Options{Codecs: []codec.Codec{codec.CBOR()}, ReadLimit: 1 << 20}, 0xB3},
		{"json, limit rounded down", &rawsocket.Options{Codecs: []codec.Codec{codec.JSON()}, ReadLimit: 1<<20 + 1000}, 0xB1},
		{"limit below 512 rounded up", &rawsocket.Options{ReadLimit: 100}, 0x03},
		{"limit above 16 MiB capped", &rawsocket.Options{ReadLimit: 1 << 30}, 0xF3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cn, sn := net.Pipe()
			got := make(chan []byte, 1)
			go func() {
				b := make([]byte, 4)
				io.ReadFull(sn, b)
				got <- b
				sn.Close()
			}()
			rawsocket.Client(ctxT(t), cn, tc.opts)
			b := <-got
			if b[0] != 0x7F || b[1] != tc.octet || b[2] != 0 || b[3] != 0 {
				t.Fatalf("request % x, want 7f %02x 00 00", b, tc.octet)
			}
		})
	}
}

// Every router reply a client may get, and what Dial makes of it.
func TestClientHandshakeReplies(t *testing.T) {
	for _, tc := range []struct {
		name    string
		reply   []byte
		want    []error // nil: success
		code    rawsocket.ErrorCode
		sendMax int64
	}{
		{"accepted, 512 B", []byte{0x7F, 0x01, 0, 0}, nil, 0, 512},
		{"accepted, 16 MiB", []byte{0x7F, 0xF1, 0, 0}, nil, 0, 16 << 20},
		{"accepted, 64 KiB", []byte{0x7F, 0x71, 0, 0}, nil, 0, 64 << 10},
		{"serializer unsupported", []byte{0x7F, 0x10, 0, 0}, []error{rawsocket.ErrSerializerUnsupported}, 1, 0},
		{"max length unacceptable", []byte{0x7F, 0x20, 0, 0}, []error{rawsocket.ErrMaxLengthUnacceptable}, 2, 0},
		{"reserved bits", []byte{0x7F, 0x30, 0, 0}, []error{rawsocket.ErrReservedBits}, 3, 0},
		{"connection limit", []byte{0x7F, 0x40, 0, 0}, []error{rawsocket.ErrConnectionLimit}, 4, 0},
		{"illegal error 0", []byte{0x7F, 0x00, 0, 0}, []error{}, 0, 0},
		{"undefined error 9", []byte{0x7F, 0x90, 0, 0}, []error{}, 9, 0},
		{"no magic: HTTP", []byte("HTTP"), []error{rawsocket.ErrBadHandshake}, 0, 0},
		{"reserved octets set", []byte{0x7F, 0xF1, 0, 1}, []error{rawsocket.ErrBadHandshake}, 0, 0},
		{"other serializer", []byte{0x7F, 0xF2, 0, 0}, []error{rawsocket.ErrBadHandshake}, 0, 0},
		{"closed after 2 octets", []byte{0x7F, 0xF1}, []error{io.ErrUnexpectedEOF}, 0, 0},
		{"closed at once", nil, []error{io.EOF}, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cn, sn := net.Pipe()
			go func() {
				io.ReadFull(sn, make([]byte, 4))
				sn.Write(tc.reply)
				sn.Close()
			}()
			c, err := rawsocket.Client(ctxT(t), cn, &rawsocket.Options{Codecs: []codec.Codec{codec.JSON()}})
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				if c.SendLimit() != tc.sendMax || c.ReadLimit() != 16<<20 || c.Serializer() != "json" {
					t.Fatalf("limits %d/%d, serializer %s", c.SendLimit(), c.ReadLimit(), c.Serializer())
				}
				return
			}
			if c != nil {
				t.Fatal("a connection despite the error")
			}
			mustIs(t, "Client", err, tc.want...)
			var he *rawsocket.HandshakeError
			if isErr := errors.As(err, &he); isErr != (tc.reply != nil && tc.reply[0] == 0x7F && tc.reply[1]&0x0F == 0) {
				t.Fatalf("HandshakeError %v for %v", isErr, err)
			} else if isErr && (he.Code != tc.code || he.Serializer != rawsocket.SerializerJSON) {
				t.Fatalf("HandshakeError %+v", he)
			}
			if err.Error() == "" {
				t.Fatal("empty message")
			}
		})
	}
}

// What the server answers to each request.
func TestServerHandshakeRequests(t *testing.T) {
	binary := &rawsocket.ServerOptions{Codecs: []codec.Codec{codec.MsgPack(), codec.CBOR()}, ReadLimit: 4096}
	for _, tc := range []struct {
		name    string
		opts    *rawsocket.ServerOptions
		request []byte
		reply   []byte // nil: no reply, connection failed
		want    []error
	}{
		{"json, default limit", nil, []byte{0x7F, 0xF1, 0, 0}, []byte{0x7F, 0xF1, 0, 0}, nil},
		{"cbor, 4 KiB", binary, []byte{0x7F, 0x03, 0, 0}, []byte{0x7F, 0x33, 0, 0}, nil},
		{"json unsupported", binary, []byte{0x7F, 0xF1, 0, 0}, []byte{0x7F, 0x10, 0, 0}, []error{rawsocket.ErrSerializerUnsupported}},
		{"ubjson unsupported", nil, []byte{0x7F, 0xF4, 0, 0}, []byte{0x7F, 0x10, 0, 0}, []error{rawsocket.ErrSerializerUnsupported}},
		{"reserved serializer 9", nil, []byte{0x7F, 0xF9, 0, 0}, []byte{0x7F, 0x10, 0, 0}, []error{rawsocket.ErrSerializerUnsupported}},
		{"reserved bits", nil, []byte{0x7F, 0xF1, 0x80, 0}, []byte{0x7F, 0x30, 0, 0}, []error{rawsocket.ErrReservedBits}},
		{"serializer 0", nil, []byte{0x7F, 0xF0, 0, 0}, nil, []error{rawsocket.ErrBadHandshake}},
		{"HTTP request", nil, []byte("GET "), nil, []error{rawsocket.ErrBadHandshake}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cn, sn := net.Pipe()
			got := make(chan []byte, 1)
			go func() {
				cn.Write(tc.request)
				b, _ := io.ReadAll(cn)
				got <- b
			}()
			c, err := rawsocket.Server(ctxT(t), sn, tc.opts)
			if tc.want == nil {
				if err != nil {
					t.Fatal(err)
				}
				c.Close()
			} else {
				mustIs(t, "Server", err, tc.want...)
			}
			if b := <-got; string(b) != string(tc.reply) {
				t.Fatalf("reply % x, want % x", b, tc.reply)
			}
			cn.Close()
		})
	}
}

// A client that never sends its request is dropped after the handshake
// timeout; a router that never replies fails Dial when its ctx ends.
func TestHandshakeTimeouts(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		cn, sn := net.Pipe()
		defer cn.Close()
		start := time.Now()
		_, err := rawsocket.Server(context.Background(), sn, &rawsocket.ServerOptions{HandshakeTimeout: 3 * time.Second})
		mustIs(t, "Server", err, context.DeadlineExceeded)
		if d := time.Since(start); d != 3*time.Second {
			t.Fatalf("gave up after %v", d)
		}
	})
	synctest.Test(t, func(t *testing.T) {
		cn, sn := net.Pipe()
		defer sn.Close()
		go io.ReadFull(sn, make([]byte, 4))
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(time.Second, cancel)
		_, err := rawsocket.Client(ctx, cn, nil)
		mustIs(t, "Client", err, context.Canceled)
	})
}

// Dial over TCP requests the codecs in the client's order, connecting again
// when the router does not support one.
func TestDialSerializerFallback(t *testing.T) {
	ln := listen(t, &rawsocket.ServerOptions{Codecs: []codec.Codec{codec.CBOR()}})
	c, err := rawsocket.Dial(ctxT(t), "rs://"+ln.Addr().String(), &rawsocket.Options{
		Codecs: []codec.Codec{codec.JSON(), codec.MsgPack(), codec.CBOR()}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if c.Serializer() != "cbor" {
		t.Fatalf("serializer %s", c.Serializer())
	}
	s, err := ln.Accept(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	_, err = rawsocket.Dial(ctxT(t), "tcp://"+ln.Addr().String(), &rawsocket.Options{Codecs: []codec.Codec{codec.JSON()}})
	mustIs(t, "Dial json only", err, rawsocket.ErrSerializerUnsupported)
}

// A Listener with MaxConnections answers the client beyond it with
// CodeConnectionLimit, and accepts again once a connection ended.
func TestListenerConnectionLimit(t *testing.T) {
	ln := listen(t, &rawsocket.ServerOptions{MaxConnections: 1})
	url := "rs://" + ln.Addr().String()
	first, err := rawsocket.Dial(ctxT(t), url, nil)
	if err != nil {
		t.Fatal(err)
	}
	s1, err := ln.Accept(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	_, err = rawsocket.Dial(ctxT(t), url, nil)
	mustIs(t, "second Dial", err, rawsocket.ErrConnectionLimit)
	var he *rawsocket.HandshakeError
	if !errors.As(err, &he) || he.Code != rawsocket.CodeConnectionLimit {
		t.Fatalf("%v", err)
	}
	first.Close()
	s1.Close()
	third, err := rawsocket.Dial(ctxT(t), url, nil)
	if err != nil {
		t.Fatalf("after the first ended: %v", err)
	}
	defer third.Close()
	s3, err := ln.Accept(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	s3.Close()
}

func TestParseURL(t *testing.T) {
	for _, tc := range []struct {
		url  string
		want rawsocket.Endpoint
		bad  bool
	}{
		{url: "rs://127.0.0.1:8080", want: rawsocket.Endpoint{Network: "tcp", Address: "127.0.0.1:8080", Host: "127.0.0.1"}},
		{url: "tcp://example.com:9000", want: rawsocket.Endpoint{Network: "tcp", Address: "example.com:9000", Host: "example.com"}},
		{url: "rss://example.com:443", want: rawsocket.Endpoint{Network: "tcp", Address: "example.com:443", Host: "example.com", TLS: true}},
		{url: "TCPS://[::1]:8443/", want: rawsocket.Endpoint{Network: "tcp", Address: "[::1]:8443", Host: "::1", TLS: true}},
		{url: "unix:///run/wamp.sock", want: rawsocket.Endpoint{Network: "unix", Address: "/run/wamp.sock"}},
		{url: "unix://rel/wamp.sock", want: rawsocket.Endpoint{Network: "unix", Address: "rel/wamp.sock"}},
		{url: "rs://host", bad: true},
		{url: "rs://:80", bad: true},
		{url: "rs://host:80/ws", bad: true},
		{url: "rs://host:80?x=1", bad: true},
		{url: "unix://", bad: true},
		{url: "ws://host:80", bad: true},
		{url: "%zz", bad: true},
	} {
		got, err := rawsocket.ParseURL(tc.url)
		if tc.bad {
			if err == nil {
				t.Errorf("%s: accepted as %+v", tc.url, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: %+v, %v; want %+v", tc.url, got, err, tc.want)
		}
		if !rawsocket.IsURL(tc.url) {
			t.Errorf("IsURL(%s) false", tc.url)
		}
	}
	if rawsocket.IsURL("wss://h:1") || rawsocket.IsURL("rs:x") {
		t.Error("IsURL true for a non-RawSocket URL")
	}
}

// listen starts a Listener on 127.0.0.1, closed at the end of the test.
func listen(t testing.TB, opts *rawsocket.ServerOptions) *rawsocket.Listener {
	t.Helper()
	nl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := rawsocket.Listen(nl, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	return ln
}

// A client that dials a port that is not RawSocket's says so: an HTTP
// server's reply names WebSocket, and a server that never answers fails
// the handshake after DefaultHandshakeTimeout when ctx has no deadline,
// with a cause that suggests the scheme.
func TestClientHandshakeWrongPort(t *testing.T) {
	t.Run("HTTP reply", func(t *testing.T) {
		cn, sn := net.Pipe()
		go func() {
			io.ReadFull(sn, make([]byte, 4))
			sn.Write([]byte("HTTP/1.1 400 Bad Request\r\n\r\n"))
			sn.Close()
		}()
		_, err := rawsocket.Client(ctxT(t), cn, nil)
		mustIs(t, "Client", err, rawsocket.ErrBadHandshake)
		if !strings.Contains(err.Error(), "is this a WebSocket port?") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("no reply", func(t *testing.T) {
		synctest.Test(t, func(t *testing.T) {
			cn, sn := net.Pipe()
			defer sn.Close()
			go io.ReadFull(sn, make([]byte, 4))
			start := time.Now()
			_, err := rawsocket.Client(context.Background(), cn, nil)
			mustIs(t, "Client", err, context.DeadlineExceeded)
			if d := time.Since(start); d != rawsocket.DefaultHandshakeTimeout {
				t.Fatalf("gave up after %v, want %v", d, rawsocket.DefaultHandshakeTimeout)
			}
			if !strings.Contains(err.Error(), "is this a RawSocket port?") {
				t.Fatalf("err = %v", err)
			}
		})
	})
}
