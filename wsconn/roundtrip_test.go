package wsconn_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// TestRoundTrip sends every sample message both ways with every codec.
func TestRoundTrip(t *testing.T) {
	for _, cd := range codec.Default() {
		t.Run(cd.Name(), func(t *testing.T) {
			srv := newAcceptServer(t, nil)
			client := dial(t, srv.url, &wsconn.Options{Codecs: []codec.Codec{cd}})
			server := srv.next(t)
			for _, c := range []*wsconn.Conn{client, server} {
				if c.Serializer() != cd.Name() || c.Subprotocol() != cd.Subprotocol() {
					t.Fatalf("negotiated %s (%s), want %s (%s)", c.Serializer(), c.Subprotocol(), cd.Name(), cd.Subprotocol())
				}
			}
			for _, m := range sampleMessages() {
				send(t, client, m)
				equalMessages(t, recv(t, server), m)
				send(t, server, m)
				equalMessages(t, recv(t, client), m)
			}
		})
	}
}

// TestCompression round-trips a large compressible message with
// permessage-deflate on both sides.
func TestCompression(t *testing.T) {
	srv := newAcceptServer(t, &wsconn.AcceptOptions{Compression: websocket.CompressionContextTakeover})
	client := dial(t, srv.url, &wsconn.Options{Compression: websocket.CompressionContextTakeover})
	server := srv.next(t)
	m := &protocol.Publish{Request: 1, Options: protocol.Dict{}, Topic: "t",
		Payload: protocol.Payload{Args: protocol.List{strings.Repeat("compress me ", 10000)}}}
	send(t, client, m)
	equalMessages(t, recv(t, server), m)
	send(t, server, m)
	equalMessages(t, recv(t, client), m)
}

// TestTLS dials wss:// with a TLSConfig.
func TestTLS(t *testing.T) {
	accepted := make(chan *wsconn.Conn, 1)
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := wsconn.Accept(w, r, nil)
		if err != nil {
			t.Errorf("Accept: %v", err)
			return
		}
		accepted <- c
	}))
	defer srv.Close()
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	client := dial(t, "wss"+strings.TrimPrefix(srv.URL, "https"), &wsconn.Options{TLSConfig: &tls.Config{RootCAs: pool}})
	server := <-accepted
	defer server.Close()
	m := sampleMessages()[1]
	send(t, client, m)
	equalMessages(t, recv(t, server), m)
}

// TestNegotiationOrder checks that the server's preference wins among the
// subprotocols the client offers, and the default offer.
func TestNegotiationOrder(t *testing.T) {
	tests := []struct {
		name   string
		client []codec.Codec // nil: default
		server []codec.Codec // nil: default
		want   string
	}{
		{"defaults", nil, nil, codec.Default()[0].Name()},
		{"server prefers json", nil, []codec.Codec{codec.JSON(), codec.MsgPack()}, "json"},
		{"server prefers msgpack", []codec.Codec{codec.JSON(), codec.CBOR(), codec.MsgPack()}, []codec.Codec{codec.MsgPack(), codec.JSON()}, "msgpack"},
		{"only common one", []codec.Codec{codec.JSON()}, nil, "json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newAcceptServer(t, &wsconn.AcceptOptions{Codecs: tt.server})
			client := dial(t, srv.url, &wsconn.Options{Codecs: tt.client})
			server := srv.next(t)
			if client.Serializer() != tt.want || server.Serializer() != tt.want {
				t.Fatalf("client %s, server %s, want %s", client.Serializer(), server.Serializer(), tt.want)
			}
		})
	}
}

// TestServerSelectsNone: a server that ignores the offer.
func TestServerSelectsNone(t *testing.T) {
	url := rawServer(t, nil, func(ctx context.Context, c *websocket.Conn) { c.Read(ctx) })
	offer := []codec.Codec{codec.JSON(), codec.CBOR()}
	_, err := wsconn.Dial(context.Background(), url, &wsconn.Options{Codecs: offer})
	var ne *wsconn.NegotiationError
	if !errors.As(err, &ne) {
		t.Fatalf("Dial error = %v, want a *NegotiationError", err)
	}
	if !slices.Equal(ne.Offered, []string{"wamp.2.json", "wamp.2.cbor"}) || ne.Got != "" {
		t.Fatalf("NegotiationError = %+v", ne)
	}
	t.Log(err)
}

// TestServerSelectsUnoffered: a server that answers a subprotocol the
// client did not offer.
func TestServerSelectsUnoffered(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// coder/websocket keeps a header set beforehand when it selects
		// no subprotocol itself.
		w.Header().Set("Sec-WebSocket-Protocol", "wamp.2.ubjson")
		c, err := websocket.Accept(w, r, nil)
		if err != nil {
			return
		}
		defer c.CloseNow()
		c.Read(r.Context())
	}))
	defer srv.Close()
	_, err := wsconn.Dial(context.Background(), "ws"+strings.TrimPrefix(srv.URL, "http"), &wsconn.Options{Codecs: []codec.Codec{codec.JSON()}})
	var ne *wsconn.NegotiationError
	if !errors.As(err, &ne) {
		t.Fatalf("Dial error = %v, want a *NegotiationError", err)
	}
	if !slices.Equal(ne.Offered, []string{"wamp.2.json"}) || ne.Got != "wamp.2.ubjson" {
		t.Fatalf("NegotiationError = %+v", ne)
	}
	t.Log(err)
}

// TestAcceptNoCommonSubprotocol: Accept refuses a client that offers
// nothing it supports, with 400 and a *NegotiationError.
func TestAcceptNoCommonSubprotocol(t *testing.T) {
	srv := newAcceptServer(t, &wsconn.AcceptOptions{Codecs: []codec.Codec{codec.CBOR()}})
	_, resp, err := websocket.Dial(context.Background(), srv.url, &websocket.DialOptions{Subprotocols: []string{"wamp.2.json", "wamp.2.ubjson"}})
	if err == nil || resp == nil || resp.StatusCode != http.StatusBadRequest {
		t.Fatalf("Dial: resp %v, err %v; want 400", resp, err)
	}
	aerr := <-srv.errs
	var ne *wsconn.NegotiationError
	if !errors.As(aerr, &ne) || !slices.Equal(ne.Offered, []string{"wamp.2.json", "wamp.2.ubjson"}) || ne.Got != "" {
		t.Fatalf("Accept error = %#v", aerr)
	}

	// The same through Dial: the handshake fails with the HTTP status.
	_, err = wsconn.Dial(context.Background(), srv.url, &wsconn.Options{Codecs: []codec.Codec{codec.JSON()}})
	if err == nil || !strings.Contains(err.Error(), "400") {
		t.Fatalf("Dial error = %v, want one naming status 400", err)
	}
	<-srv.errs
}

func TestDialErrors(t *testing.T) {
	ctx := context.Background()
	if _, err := wsconn.Dial(ctx, "ws://127.0.0.1:1/", &wsconn.Options{TLSConfig: &tls.Config{}, HTTPClient: http.DefaultClient}); err == nil {
		t.Error("TLSConfig with HTTPClient: no error")
	}
	if _, err := wsconn.Dial(ctx, "ftp://example.com/", nil); err == nil {
		t.Error("ftp URL: no error")
	}
	if _, err := wsconn.Dial(ctx, "ws://127.0.0.1:1/", &wsconn.Options{Codecs: []codec.Codec{nil}}); err == nil {
		t.Error("nil codec: no error")
	}
}

// Options.NetDial opens the connection, on the lean path and on
// coder/websocket's (compression); it is refused with an HTTPClient.
func TestNetDial(t *testing.T) {
	for _, compress := range []bool{false, true} {
		opts := &wsconn.AcceptOptions{}
		dopts := &wsconn.Options{}
		if compress {
			opts.Compression = websocket.CompressionContextTakeover
			dopts.Compression = websocket.CompressionContextTakeover
		}
		srv := newAcceptServer(t, opts)
		var dials atomic.Int32
		dopts.NetDial = func(ctx context.Context, network, addr string) (net.Conn, error) {
			dials.Add(1)
			return (&net.Dialer{}).DialContext(ctx, network, addr)
		}
		client := dial(t, srv.url, dopts)
		send(t, client, sampleMessages()[1])
		equalMessages(t, recv(t, srv.next(t)), sampleMessages()[1])
		if n := dials.Load(); n != 1 {
			t.Errorf("compression %v: NetDial called %d times, want 1", compress, n)
		}
	}
	if _, err := wsconn.Dial(context.Background(), "ws://127.0.0.1:1/", &wsconn.Options{
		NetDial: (&net.Dialer{}).DialContext, HTTPClient: http.DefaultClient}); err == nil {
		t.Error("NetDial with HTTPClient: no error")
	}
}
