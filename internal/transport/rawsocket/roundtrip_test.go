package rawsocket_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
)

// Messages travel both ways over TCP, TLS and a Unix socket, with every
// codec, and the TLS state is visible on both ends.
func TestRoundTripEveryStreamAndCodec(t *testing.T) {
	tlsSrv := httptest.NewTLSServer(nil) // only for its certificate
	defer tlsSrv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(tlsSrv.Certificate())

	streams := []struct {
		name   string
		listen func(t *testing.T) (net.Listener, string)
	}{
		{"rs", func(t *testing.T) (net.Listener, string) {
			nl, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			return nl, "rs://" + nl.Addr().String()
		}},
		{"rss", func(t *testing.T) (net.Listener, string) {
			nl, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			return tls.NewListener(nl, tlsSrv.TLS), "rss://" + nl.Addr().String()
		}},
		{"unix", func(t *testing.T) (net.Listener, string) {
			path := filepath.Join(t.TempDir(), "wamp.sock")
			nl, err := net.Listen("unix", path)
			if err != nil {
				t.Fatal(err)
			}
			return nl, "unix://" + path
		}},
	}
	for _, st := range streams {
		for _, cd := range codec.Default() {
			t.Run(st.name+"/"+cd.Name(), func(t *testing.T) {
				nl, url := st.listen(t)
				ln, err := rawsocket.Listen(nl, nil)
				if err != nil {
					t.Fatal(err)
				}
				defer ln.Close()
				c, err := rawsocket.Dial(ctxT(t), url, &rawsocket.Options{
					Codecs: []codec.Codec{cd}, TLSConfig: &tls.Config{RootCAs: pool, ServerName: "example.com"}})
				if err != nil {
					t.Fatal(err)
				}
				defer c.Close()
				s, err := ln.Accept(ctxT(t))
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if c.Serializer() != cd.Name() || s.Serializer() != cd.Name() {
					t.Fatalf("serializers %s, %s", c.Serializer(), s.Serializer())
				}
				big := strings.Repeat("x", 100<<10)
				for i := range 3 {
					if err := c.Send(ctxT(t), &protocol.Publish{Request: protocol.ID(i + 1), Options: protocol.Dict{}, Topic: "com.t", Payload: protocol.Payload{Args: protocol.List{big}}}); err != nil {
						t.Fatal(err)
					}
				}
				for i := range 3 {
					p := recv(t, s).(*protocol.Publish)
					if p.Request != protocol.ID(i+1) || p.Args[0] != big {
						t.Fatalf("message %d: request %d", i, p.Request)
					}
				}
				if err := s.Send(ctxT(t), &protocol.Published{Request: 3, Publication: 9}); err != nil {
					t.Fatal(err)
				}
				if p := recv(t, c).(*protocol.Published); p.Publication != 9 {
					t.Fatalf("%+v", p)
				}

				ccs, cok := c.TLSConnectionState()
				scs, sok := s.TLSConnectionState()
				if cok != (st.name == "rss") || sok != cok {
					t.Fatalf("TLS reported: client %v, server %v", cok, sok)
				}
				if cok {
					ce, err1 := ccs.ExportKeyingMaterial("EXPORTER-Channel-Binding", nil, 32)
					se, err2 := scs.ExportKeyingMaterial("EXPORTER-Channel-Binding", nil, 32)
					if err1 != nil || err2 != nil || !bytes.Equal(ce, se) {
						t.Fatalf("exporter differs: %v %v", err1, err2)
					}
				}
				// The client closes: the server sees ErrPeerClosed.
				if err := c.Close(); err != nil {
					t.Fatalf("Close: %v", err)
				}
				mustIs(t, "server end", waitEnd(t, s), rawsocket.ErrPeerClosed)
				mustIs(t, "client end", c.Err(), protocol.ErrTransportClosed)
			})
		}
	}
}

// Each side enforces the limit the other announced: Send refuses a longer
// message whole and the connection goes on; a peer that sends one anyway
// ends our read side with a protocol violation.
func TestMaximumLengthsBothWays(t *testing.T) {
	c, s := pair(t, &rawsocket.Options{ReadLimit: 1024}, &rawsocket.ServerOptions{ReadLimit: 600}) // 600 → 512
	if c.SendLimit() != 512 || s.SendLimit() != 1024 || s.ReadLimit() != 512 {
		t.Fatalf("limits: client send %d, server send %d, server read %d", c.SendLimit(), s.SendLimit(), s.ReadLimit())
	}
	long := &protocol.Publish{Request: 1, Options: protocol.Dict{}, Topic: "com.t", Payload: protocol.Payload{Args: protocol.List{strings.Repeat("y", 600)}}}
	err := c.Send(ctxT(t), long)
	mustIs(t, "Send over the router's limit", err, rawsocket.ErrMessageTooLarge)
	if errors.Is(err, protocol.ErrProtocolViolation) || !strings.Contains(err.Error(), "512") {
		t.Fatalf("Send error %q", err)
	}
	ok := &protocol.Publish{Request: 2, Options: protocol.Dict{}, Topic: "com.t"}
	if err := c.Send(ctxT(t), ok); err != nil {
		t.Fatal(err)
	}
	if got := recv(t, s).(*protocol.Publish); got.Request != 2 {
		t.Fatalf("server got request %d: the long message was not dropped whole", got.Request)
	}
	// The server's limit towards the client is 1024.
	mustIs(t, "server Send", s.Send(ctxT(t), &protocol.Event{Subscription: 1, Publication: 1, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{strings.Repeat("z", 1100)}}}), rawsocket.ErrMessageTooLarge)
}
