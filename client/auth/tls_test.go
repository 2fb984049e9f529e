package auth_test

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
	"github.com/wampgo/wampgo/client/auth"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// tlsJoin connects a client with opts to a scripted router over a wss://
// connection limited to maxVersion, and returns the join and the TLS state
// of the router's end.
func tlsJoin(t *testing.T, maxVersion uint16, opts ...client.Option) (*clienttest.Join, tls.ConnectionState) {
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
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ct, err := wsconn.Dial(ctx, "wss"+strings.TrimPrefix(srv.URL, "https"),
		&wsconn.Options{TLSConfig: &tls.Config{RootCAs: pool, MaxVersion: maxVersion}})
	if err != nil {
		t.Fatalf("Dial: %v", err)
	}
	var rt *wsconn.Conn
	select {
	case rt = <-accepted:
	case <-ctx.Done():
		t.Fatal("the server did not accept the connection")
	}
	cs, ok := rt.TLSConnectionState()
	if !ok || cs.Version != maxVersion {
		t.Fatalf("server TLS state %v, version %x", ok, cs.Version)
	}
	return clienttest.StartOn(t, ct, rt, nil, opts...), cs
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
		cb      auth.ChannelBinding
		version uint16
		id      func(t *testing.T, cs tls.ConnectionState) []byte
	}{
		{auth.TLSUnique, tls.VersionTLS12, func(t *testing.T, cs tls.ConnectionState) []byte {
			if len(cs.TLSUnique) == 0 {
				t.Fatal("server has no tls-unique")
			}
			s := sha256.Sum256(cs.TLSUnique)
			return s[:]
		}},
		{auth.TLSExporter, tls.VersionTLS13, exporter},
		{auth.TLSExporter, tls.VersionTLS12, exporter},
	} {
		t.Run(string(tc.cb), func(t *testing.T) {
			j, cs := tlsJoin(t, tc.version, client.WithAuth("", auth.Cryptosign(priv, auth.BindChannel(tc.cb))))
			hello := scripted.Expect[*protocol.Hello](j.Router)
			scripted.Equal(t, "authextra", hello.Details["authextra"],
				protocol.Dict{"pubkey": hex.EncodeToString(pub), "channel_binding": string(tc.cb)})
			challenge := []byte("0123456789abcdef0123456789abcdef")
			j.Router.Send(&protocol.Challenge{AuthMethod: "cryptosign", Extra: protocol.Dict{
				"challenge": hex.EncodeToString(challenge), "channel_binding": string(tc.cb)}})
			sig, _ := hex.DecodeString(scripted.Expect[*protocol.Authenticate](j.Router).Signature)
			id := tc.id(t, cs)
			msg := make([]byte, 32)
			for i := range msg {
				msg[i] = challenge[i] ^ id[i]
			}
			if len(sig) != 96 || string(sig[64:]) != string(msg) || !ed25519.Verify(pub, msg, sig[:64]) {
				t.Fatal("signature is not over challenge XOR channel id")
			}
			j.Router.Send(clienttest.WelcomeAs("cryptosign", nil))
			if _, err := j.Wait(); err != nil {
				t.Fatal(err)
			}
		})
	}

	t.Run("router drops the binding", func(t *testing.T) {
		j, _ := tlsJoin(t, tls.VersionTLS13, client.WithAuth("", auth.Cryptosign(priv, auth.BindChannel(auth.TLSExporter))))
		scripted.Expect[*protocol.Hello](j.Router)
		j.Router.Send(&protocol.Challenge{AuthMethod: "cryptosign", Extra: protocol.Dict{"challenge": strings.Repeat("00", 32)}})
		if a := scripted.Expect[*protocol.Abort](j.Router); a.Reason != "wamp.error.authentication_failed" {
			t.Fatalf("ABORT %+v", a)
		}
		if _, err := j.Wait(); !errors.Is(err, auth.ErrChannelBinding) {
			t.Fatalf("err = %v", err)
		}
	})

	t.Run("tls-unique on TLS 1.3", func(t *testing.T) {
		j, _ := tlsJoin(t, tls.VersionTLS13, client.WithAuth("", auth.Cryptosign(priv, auth.BindChannel(auth.TLSUnique))))
		if _, err := j.Wait(); !errors.Is(err, auth.ErrChannelBinding) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestAuthSCRAMChannelBinding(t *testing.T) {
	for _, tc := range []struct {
		cb      auth.ChannelBinding
		version uint16
		data    func(t *testing.T, cs tls.ConnectionState) []byte
	}{
		{auth.TLSUnique, tls.VersionTLS12, func(t *testing.T, cs tls.ConnectionState) []byte { return cs.TLSUnique }},
		{auth.TLSExporter, tls.VersionTLS13, exporter},
		{auth.TLSServerEndPoint, tls.VersionTLS13, func(t *testing.T, cs tls.ConnectionState) []byte {
			// httptest's certificate is signed with SHA-256.
			s := sha256.Sum256(cs.PeerCertificates[0].Raw)
			return s[:]
		}},
	} {
		t.Run(string(tc.cb), func(t *testing.T) {
			srv := newSCRAMServer("pencil", "pbkdf2", 4096, 0)
			j, cs := tlsJoin(t, tc.version, client.WithAuth("user", auth.SCRAM("pencil", auth.BindChannel(tc.cb))))
			hello := scripted.Expect[*protocol.Hello](j.Router)
			if hello.Details["authextra"].(protocol.Dict)["channel_binding"] != string(tc.cb) {
				t.Fatalf("HELLO authextra %v", hello.Details["authextra"])
			}
			ch, first := srv.challenge(t, hello)
			j.Router.Send(ch)
			msg := scripted.Expect[*protocol.Authenticate](j.Router)
			var data []byte
			if tc.cb == auth.TLSServerEndPoint {
				// The server's own certificate, as the client saw it.
				data = tc.data(t, clientView(cs))
			} else {
				data = tc.data(t, cs)
			}
			if msg.Extra["channel_binding"] != string(tc.cb) || msg.Extra["cbind_data"] != base64.StdEncoding.EncodeToString(data) {
				t.Fatalf("AUTHENTICATE extra %v", msg.Extra)
			}
			verifier, ok := srv.verify(t, first, msg, "p="+string(tc.cb)+",,"+string(data))
			if !ok {
				t.Fatal("ClientProof does not verify with the channel binding")
			}
			j.Router.Send(clienttest.WelcomeAs("wamp-scram", protocol.Dict{"verifier": verifier}))
			if _, err := j.Wait(); err != nil {
				t.Fatal(err)
			}
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
