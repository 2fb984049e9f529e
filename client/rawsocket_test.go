package client_test

// The client over RawSocket (rs://, rss://, tcp://, tcps://, unix://)
// against the in-process router, mixed with WebSocket clients; channel
// binding over rss://; reconnection across a list of URLs that mixes the
// two transports.

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"net"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/auth"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
)

// miniRouter is an in-process router (wamptest) serving WebSocket and
// RawSocket.
type miniRouter struct {
	*wamptest.Router
	ws *wamptest.WebSocketListener
}

// startMiniRouter starts an in-process router; both it and every listener
// added with serveRaw end with the test.
func startMiniRouter(t *testing.T) *miniRouter {
	t.Helper()
	r := wamptest.NewRouter(wamptest.WithCloseGrace(200*time.Millisecond), wamptest.WithoutMessageLog())
	ws := r.ListenWebSocket()
	t.Cleanup(r.Close)
	return &miniRouter{Router: r, ws: ws}
}

// wsURL is the router's ws:// URL.
func (m *miniRouter) wsURL() string { return m.ws.URL() }

// serveRaw serves RawSocket on ln until the end of the test.
func (m *miniRouter) serveRaw(t *testing.T, ln net.Listener) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- m.ServeRawSocket(ln) }()
	t.Cleanup(func() {
		ln.Close()
		if err := <-done; err != nil {
			t.Errorf("ServeRawSocket: %v", err)
		}
	})
}

// rsURL serves RawSocket over TCP on 127.0.0.1 and returns its rs:// URL.
func (m *miniRouter) rsURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m.serveRaw(t, ln)
	return "rs://" + ln.Addr().String()
}

// testTLS is a TLS server configuration with httptest's certificate, and a
// client configuration trusting it.
func testTLS(t *testing.T) (server, client *tls.Config) {
	srv := httptest.NewTLSServer(nil)
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	return srv.TLS, &tls.Config{RootCAs: pool, ServerName: "example.com"}
}

func dialURL(t *testing.T, url string, opts ...client.Option) *client.Client {
	t.Helper()
	return dialRealm(t, url, "realm1", opts...)
}

// dialRealm dials url and joins realm; the client is closed at the end of
// the test.
func dialRealm(t *testing.T, url, realm string, opts ...client.Option) *client.Client {
	t.Helper()
	c, err := client.Dial(ctxT(t), url, realm, opts...)
	if err != nil {
		t.Fatalf("Dial %s: %v", url, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		c.Close(ctx)
	})
	return c
}

// Every RawSocket URL form and every serializer: a callee and a subscriber
// over RawSocket, a caller and a publisher over WebSocket, one router.
func TestRawSocketEveryURLAndSerializer(t *testing.T) {
	r := startMiniRouter(t)
	serverTLS, clientTLS := testTLS(t)
	tcp := func(t *testing.T) net.Listener {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		return ln
	}
	urls := map[string]func(t *testing.T) string{
		"rs":  func(t *testing.T) string { ln := tcp(t); r.serveRaw(t, ln); return "rs://" + ln.Addr().String() },
		"tcp": func(t *testing.T) string { ln := tcp(t); r.serveRaw(t, ln); return "tcp://" + ln.Addr().String() },
		"rss": func(t *testing.T) string {
			ln := tcp(t)
			r.serveRaw(t, tls.NewListener(ln, serverTLS))
			return "rss://" + ln.Addr().String()
		},
		"tcps": func(t *testing.T) string {
			ln := tcp(t)
			r.serveRaw(t, tls.NewListener(ln, serverTLS))
			return "tcps://" + ln.Addr().String()
		},
		"unix": func(t *testing.T) string {
			path := filepath.Join(t.TempDir(), "r.sock")
			ln, err := net.Listen("unix", path)
			if err != nil {
				t.Fatal(err)
			}
			r.serveRaw(t, ln)
			return "unix://" + path
		},
	}
	for _, scheme := range []string{"rs", "tcp", "rss", "tcps", "unix"} {
		for _, cd := range codec.Default() {
			t.Run(scheme+"/"+cd.Name(), func(t *testing.T) {
				url := urls[scheme](t)
				opts := []client.Option{client.WithSerializers(cd)}
				if scheme == "rss" || scheme == "tcps" {
					opts = append(opts, client.WithTLSConfig(clientTLS)) // refused with a URL without TLS
				}
				callee := dialURL(t, url, opts...)
				peer := dialURL(t, r.wsURL())
				proc, topic := "com.rs.echo."+scheme+cd.Name(), "com.rs.news."+scheme+cd.Name()
				if _, err := callee.Register(ctxT(t), proc, func(_ context.Context, inv *client.Invocation) (client.Result, error) {
					return client.Result{Args: inv.Args}, nil
				}); err != nil {
					t.Fatal(err)
				}
				events := make(chan any, 1)
				if _, err := callee.Subscribe(ctxT(t), topic, func(_ context.Context, ev *client.Event) { events <- ev.Args[0] }); err != nil {
					t.Fatal(err)
				}
				big := strings.Repeat("r", 200<<10)
				res, err := await(t, peer.Call(ctxT(t), proc, protocol.List{big, int64(7)}, nil))
				if err != nil || len(res.Args) != 2 || res.Args[0] != big || res.Args[1] != int64(7) {
					t.Fatalf("call: %v", err)
				}
				if _, err := peer.Publish(ctxT(t), topic, protocol.List{"hi"}, nil, client.Acknowledge()); err != nil {
					t.Fatal(err)
				}
				select {
				case got := <-events:
					if got != "hi" {
						t.Fatalf("event %v", got)
					}
				case <-time.After(5 * time.Second):
					t.Fatal("no event")
				}
			})
		}
	}
}

// A message longer than the router announced fails that operation only,
// with an error matching rawsocket.ErrMessageTooLarge; the session goes
// on, and the next request reuses the unsent one's id.
func TestRawSocketMessageOverRouterLimit(t *testing.T) {
	r := startMiniRouter(t)
	c := dialURL(t, r.rsURL(t), client.WithSerializers(codec.JSON()))
	// The router announces 16 MiB.
	_, err := await(t, c.Call(ctxT(t), "wamp.session.count", protocol.List{strings.Repeat("x", 17<<20)}, nil))
	if !errors.Is(err, rawsocket.ErrMessageTooLarge) || !errors.Is(err, codec.ErrMessageTooLarge) || !errors.Is(err, client.ErrInvalidArgument) {
		t.Fatalf("call over the limit: %v", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "over the router's limit of 16777216 bytes") || strings.Contains(msg, "cannot encode") {
		t.Fatalf("call over the limit: %q, want it to say it is over the router's limit", msg)
	}
	t.Log(err)
	if _, err := await(t, c.Call(ctxT(t), "wamp.session.count", nil, nil)); err != nil {
		t.Fatalf("next call: %v", err)
	}
}

// Unknown schemes and bad RawSocket URLs are caller mistakes: Dial fails
// at once with an *ArgumentError, whose text lists the schemes it takes,
// even when it would retry a failed connect.
func TestDialRejectsUnknownURL(t *testing.T) {
	for _, url := range []string{"ftp://h:1", "localhost:8080", "rs://nohost", "unix://", "rs://127.0.0.1:1/path"} {
		for _, opts := range [][]client.Option{nil, {client.WithReconnect(client.Reconnect{RetryOnFailedConnect: true})}} {
			_, err := client.Dial(ctxT(t), url, "realm1", opts...)
			var ae *client.ArgumentError
			if !errors.Is(err, client.ErrInvalidArgument) || !errors.As(err, &ae) || ae.Arg != "url" {
				t.Errorf("%s: %v, want an *ArgumentError for the url", url, err)
			}
		}
	}
	_, err := client.Dial(ctxT(t), "ftp://h:1", "realm1")
	if msg := err.Error(); !strings.Contains(msg, "http or https (WebSocket)") || !strings.Contains(msg, "unix (RawSocket)") {
		t.Errorf("message does not list the schemes: %q", msg)
	}
}

// http:// and https:// URLs are WebSocket URLs, as ws:// and wss://.
func TestDialHTTPURLIsWebSocket(t *testing.T) {
	r := wamptest.NewTestRouter(t)
	ws := r.ListenWebSocket()
	url := strings.Replace(ws.URL(), "ws://", "http://", 1)
	c, err := client.Dial(ctxT(t), url, "realm1")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctxT(t))
	if _, err := await(t, c.Call(ctxT(t), "wamp.session.count", nil, nil)); err != nil {
		t.Fatal(err)
	}
}

// Cryptosign's TLS channel binding works over rss:// as over wss://: the
// client signs the challenge XOR the tls-exporter data of its connection,
// which the router computes from its own end.
func TestRawSocketChannelBinding(t *testing.T) {
	serverTLS, clientTLS := testTLS(t)
	nl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := rawsocket.Listen(tls.NewListener(nl, serverTLS), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()

	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	pub := priv.Public().(ed25519.PublicKey)
	type result struct {
		c   *client.Client
		err error
	}
	out := make(chan result, 1)
	go func() {
		c, err := client.Dial(ctxT(t), "rss://"+nl.Addr().String(), "realm1",
			client.WithTLSConfig(clientTLS), client.WithAuth("", auth.Cryptosign(priv, auth.BindChannel(auth.TLSExporter))))
		out <- result{c, err}
	}()
	conn, err := ln.Accept(ctxT(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cs, ok := conn.TLSConnectionState()
	if !ok {
		t.Fatal("no TLS state on the router's end")
	}
	r := scripted.New(t, conn)
	hello := scripted.Expect[*protocol.Hello](r)
	if hello.Details["authextra"].(protocol.Dict)["channel_binding"] != "tls-exporter" {
		t.Fatalf("HELLO %v", hello.Details)
	}
	challenge := []byte("0123456789abcdef0123456789abcdef")
	r.Send(&protocol.Challenge{AuthMethod: "cryptosign", Extra: protocol.Dict{
		"challenge": hex.EncodeToString(challenge), "channel_binding": "tls-exporter"}})
	sig, _ := hex.DecodeString(scripted.Expect[*protocol.Authenticate](r).Signature)
	id, err := cs.ExportKeyingMaterial("EXPORTER-Channel-Binding", nil, 32)
	if err != nil {
		t.Fatal(err)
	}
	msg := make([]byte, 32)
	for i := range msg {
		msg[i] = challenge[i] ^ id[i]
	}
	if len(sig) != 96 || !ed25519.Verify(pub, msg, sig[:64]) {
		t.Fatal("signature is not over challenge XOR the channel's exporter data")
	}
	r.Send(&protocol.Welcome{Session: clienttest.Session, Details: protocol.Dict{
		"roles": scripted.Roles(), "authid": "joe", "authrole": "user", "authmethod": "cryptosign"}})
	res := <-out
	if res.err != nil {
		t.Fatal(res.err)
	}
	conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	res.c.Close(ctx)
	<-res.c.Done()

	// Over rs:// (no TLS) the binding cannot be made: the join fails
	// before HELLO.
	m := startMiniRouter(t)
	_, err = client.Dial(ctxT(t), m.rsURL(t), "realm1", client.WithAuth("", auth.Cryptosign(priv, auth.BindChannel(auth.TLSExporter))))
	if !errors.Is(err, auth.ErrChannelBinding) {
		t.Fatalf("over rs://: %v", err)
	}
}

// Reconnection across a list that mixes transports: the client joined over
// RawSocket moves to the WebSocket URL when the RawSocket router goes
// away, and back when the WebSocket one does, restoring its registration
// each time.
func TestReconnectAcrossTransports(t *testing.T) {
	rsRouter, wsRouter := startMiniRouter(t), startMiniRouter(t)
	rsLn, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	rsAddr := rsLn.Addr().String()
	rsRouter.serveRaw(t, rsLn)
	rsURL := "rs://" + rsAddr

	rc, states := watchedReconnect()
	rc.URLs = []string{wsRouter.wsURL()}
	c := dialURL(t, rsURL, client.WithReconnect(rc))
	waitState(t, states, client.StateJoined)
	if _, err := c.Register(ctxT(t), "com.mixed.where", func(context.Context, *client.Invocation) (client.Result, error) {
		return client.Result{Args: protocol.List{"here"}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	callVia := func(url string) {
		t.Helper()
		peer := dialURL(t, url)
		res, err := await(t, peer.Call(ctxT(t), "com.mixed.where", nil, nil))
		if err != nil || res.Args[0] != "here" {
			t.Fatalf("call via %s: %+v %v", url, res, err)
		}
	}
	callVia(rsURL)

	// The RawSocket router ends: the client moves to WebSocket.
	rsRouter.Close()
	rsLn.Close()
	joined := waitJoinedAt(t, states, wsRouter.wsURL())
	if joined.URL != wsRouter.wsURL() {
		t.Fatalf("joined at %s", joined.URL)
	}
	callVia(wsRouter.wsURL())

	// A new RawSocket router on the same address; the WebSocket one ends.
	back := startMiniRouter(t)
	ln, err := net.Listen("tcp", rsAddr)
	if err != nil {
		t.Skipf("address %s not reusable: %v", rsAddr, err)
	}
	back.serveRaw(t, ln)
	wsRouter.ws.Close()
	wsRouter.Close()
	waitJoinedAt(t, states, rsURL)
	callVia(rsURL)
}

// waitJoinedAt waits for StateJoined at url, skipping other states.
func waitJoinedAt(t *testing.T, states <-chan client.StateChange, url string) client.StateChange {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case sc := <-states:
			if sc.State == client.StateJoined && sc.URL == url {
				return sc
			}
		case <-deadline:
			t.Fatalf("not joined at %s", url)
		}
	}
}
