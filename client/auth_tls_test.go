package client_test

// TLS channel binding end to end: the client dials a wss:// endpoint whose
// server side is a scripted router over wsconn.Accept; the router computes
// the channel binding data from its own end of the TLS connection.

import (
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/scripted"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// tlsJoin dials a TLS endpoint limited to maxVersion with opts and returns
// the scripted router on the accepted connection, its TLS state, and the
// join's result channel.
func tlsJoin(t *testing.T, maxVersion uint16, opts ...client.Option) (*scripted.Router, tls.ConnectionState, <-chan joinResult) {
	t.Helper()
	accepted := make(chan *wsconn.Conn, 1)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := wsconn.Accept(w, r, nil)
		if err != nil {
			t.Errorf("Accept: %v", err)
			return
		}
		accepted <- c
	}))
	srv.StartTLS()
	t.Cleanup(srv.Close)
	pool := x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	opts = append(opts, client.WithTLSConfig(&tls.Config{RootCAs: pool, MaxVersion: maxVersion}))
	out := make(chan joinResult, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := client.Dial(ctx, "wss"+strings.TrimPrefix(srv.URL, "https"), "realm1", opts...)
		out <- joinResult{c, err}
	}()
	select {
	case c := <-accepted:
		t.Cleanup(func() { c.Close() })
		cs, ok := c.TLSConnectionState()
		if !ok || cs.Version != maxVersion {
			t.Fatalf("server TLS state %v, version %x", ok, cs.Version)
		}
		return scripted.New(t, c), cs, out
	case res := <-out:
		t.Fatalf("Dial returned before the server accepted: %v", res.err)
	case <-time.After(5 * time.Second):
		t.Fatal("no connection")
	}
	return nil, tls.ConnectionState{}, nil
}

func exporter(t *testing.T, cs tls.ConnectionState) []byte {
	t.Helper()
	b, err := cs.ExportKeyingMaterial("EXPORTER-Channel-Binding", nil, 32)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAuthCryptosignChannelBinding(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	pub := priv.Public().(ed25519.PublicKey)
	for _, tc := range []struct {
		cb      client.ChannelBinding
		version uint16
		id      func(t *testing.T, cs tls.ConnectionState) []byte
	}{
		{client.TLSUnique, tls.VersionTLS12, func(t *testing.T, cs tls.ConnectionState) []byte {
			if len(cs.TLSUnique) == 0 {
				t.Fatal("server has no tls-unique")
			}
			s := sha256.Sum256(cs.TLSUnique)
			return s[:]
		}},
		{client.TLSExporter, tls.VersionTLS13, exporter},
		{client.TLSExporter, tls.VersionTLS12, exporter},
	} {
		t.Run(string(tc.cb), func(t *testing.T) {
			r, cs, out := tlsJoin(t, tc.version, client.WithAuth("", client.Cryptosign(priv, client.BindChannel(tc.cb))))
			hello := scripted.Expect[*protocol.Hello](r)
			scripted.Equal(t, "authextra", hello.Details["authextra"],
				protocol.Dict{"pubkey": hex.EncodeToString(pub), "channel_binding": string(tc.cb)})
			challenge := []byte("0123456789abcdef0123456789abcdef")
			r.Send(&protocol.Challenge{AuthMethod: "cryptosign", Extra: protocol.Dict{
				"challenge": hex.EncodeToString(challenge), "channel_binding": string(tc.cb)}})
			sig, _ := hex.DecodeString(scripted.Expect[*protocol.Authenticate](r).Signature)
			id := tc.id(t, cs)
			msg := make([]byte, 32)
			for i := range msg {
				msg[i] = challenge[i] ^ id[i]
			}
			if len(sig) != 96 || string(sig[64:]) != string(msg) || !ed25519.Verify(pub, msg, sig[:64]) {
				t.Fatal("signature is not over challenge XOR channel id")
			}
			r.Send(welcomeAs("cryptosign", nil))
			res := <-out
			if res.err != nil {
				t.Fatal(res.err)
			}
			r.Transport().Close()
			closeNow(res.c)
		})
	}

	t.Run("router drops the binding", func(t *testing.T) {
		r, _, out := tlsJoin(t, tls.VersionTLS13, client.WithAuth("", client.Cryptosign(priv, client.BindChannel(client.TLSExporter))))
		scripted.Expect[*protocol.Hello](r)
		r.Send(&protocol.Challenge{AuthMethod: "cryptosign", Extra: protocol.Dict{"challenge": strings.Repeat("00", 32)}})
		if a := scripted.Expect[*protocol.Abort](r); a.Reason != "wamp.error.authentication_failed" {
			t.Fatalf("ABORT %+v", a)
		}
		if res := <-out; !errors.Is(res.err, client.ErrChannelBinding) {
			t.Fatalf("err = %v", res.err)
		}
	})

	t.Run("tls-unique on TLS 1.3", func(t *testing.T) {
		_, _, out := tlsJoin(t, tls.VersionTLS13, client.WithAuth("", client.Cryptosign(priv, client.BindChannel(client.TLSUnique))))
		if res := <-out; !errors.Is(res.err, client.ErrChannelBinding) {
			t.Fatalf("err = %v", res.err)
		}
	})
}

func TestAuthSCRAMChannelBinding(t *testing.T) {
	for _, tc := range []struct {
		cb      client.ChannelBinding
		version uint16
		data    func(t *testing.T, cs tls.ConnectionState) []byte
	}{
		{client.TLSUnique, tls.VersionTLS12, func(t *testing.T, cs tls.ConnectionState) []byte { return cs.TLSUnique }},
		{client.TLSExporter, tls.VersionTLS13, exporter},
		{client.TLSServerEndPoint, tls.VersionTLS13, func(t *testing.T, cs tls.ConnectionState) []byte {
			// httptest's certificate is signed with SHA-256.
			s := sha256.Sum256(cs.PeerCertificates[0].Raw)
			return s[:]
		}},
	} {
		t.Run(string(tc.cb), func(t *testing.T) {
			srv := newSCRAMServer("pencil", "pbkdf2", 4096, 0)
			r, cs, out := tlsJoin(t, tc.version, client.WithAuth("user", client.SCRAM("pencil", client.BindChannel(tc.cb))))
			hello := scripted.Expect[*protocol.Hello](r)
			if hello.Details["authextra"].(protocol.Dict)["channel_binding"] != string(tc.cb) {
				t.Fatalf("HELLO authextra %v", hello.Details["authextra"])
			}
			ch, first := srv.challenge(t, hello)
			r.Send(ch)
			auth := scripted.Expect[*protocol.Authenticate](r)
			var data []byte
			if tc.cb == client.TLSServerEndPoint {
				// The server's own certificate, as the client saw it.
				data = tc.data(t, clientView(cs))
			} else {
				data = tc.data(t, cs)
			}
			if auth.Extra["channel_binding"] != string(tc.cb) || auth.Extra["cbind_data"] != base64.StdEncoding.EncodeToString(data) {
				t.Fatalf("AUTHENTICATE extra %v", auth.Extra)
			}
			verifier, ok := srv.verify(t, first, auth, "p="+string(tc.cb)+",,"+string(data))
			if !ok {
				t.Fatal("ClientProof does not verify with the channel binding")
			}
			r.Send(welcomeAs("wamp-scram", protocol.Dict{"verifier": verifier}))
			res := <-out
			if res.err != nil {
				t.Fatal(res.err)
			}
			r.Transport().Close()
			closeNow(res.c)
		})
	}
}

// clientView returns a state whose PeerCertificates are the server's own
// certificate (the server side of a connection has the client's, none).
func clientView(cs tls.ConnectionState) tls.ConnectionState {
	srvCert := httptestCert()
	cs.PeerCertificates = []*x509.Certificate{srvCert}
	return cs
}

// httptestCert is the certificate httptest's TLS servers use.
func httptestCert() *x509.Certificate {
	srv := httptest.NewTLSServer(http.NotFoundHandler())
	defer srv.Close()
	return srv.Certificate()
}

func closeNow(c *client.Client) {
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	c.Close(ctx)
	<-c.Done()
}
