package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
)

// selfSigned returns a TLS certificate for 127.0.0.1 and its PEM.
func selfSigned(t *testing.T) (tls.Certificate, []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "wampgo test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true, BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func TestTLSAndUnixSocket(t *testing.T) {
	k := newKit(t)
	echo(t, k.r.Client(t, "realm1"), "com.test.echo")
	cert, certPEM := selfSigned(t)
	dir := t.TempDir()
	caFile := filepath.Join(dir, "ca.pem")
	if err := os.WriteFile(caFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	unix, err := net.Listen("unix", filepath.Join(dir, "r.sock"))
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 2)
	go func() {
		served <- k.r.ServeRawSocket(tls.NewListener(tcp, &tls.Config{Certificates: []tls.Certificate{cert}}))
	}()
	go func() { served <- k.r.ServeRawSocket(unix) }()
	t.Cleanup(func() {
		tcp.Close()
		unix.Close()
		<-served
		<-served
	})
	rss := "rss://" + tcp.Addr().String()
	ok := lines(`{"args":["x"]}`)
	runCLI(t, nil, "", "--url", rss, "--tls-ca", caFile, "call", "com.test.echo", "x").want(t, 0, ok)
	runCLI(t, nil, "", "--url", "tcps://"+tcp.Addr().String(), "--insecure", "call", "com.test.echo", "x").want(t, 0, ok)
	runCLI(t, nil, "", "--url", "unix://"+filepath.Join(dir, "r.sock"), "call", "com.test.echo", "x").want(t, 0, ok)
	res := runCLI(t, nil, "", "--url", rss, "call", "com.test.echo", "x")
	res.want(t, 3, "")
	if !strings.Contains(res.stderr, "certificate") {
		t.Fatalf("stderr %q", res.stderr)
	}
	// A CA file without a certificate is a usage error.
	junk := filepath.Join(dir, "junk.pem")
	if err := os.WriteFile(junk, []byte("not a certificate"), 0o600); err != nil {
		t.Fatal(err)
	}
	res = runCLI(t, nil, "", "--url", rss, "--tls-ca", junk, "call", "com.test.echo")
	res.want(t, 2, "")
	if !strings.Contains(res.stderr, "no PEM certificate") {
		t.Fatalf("stderr %q", res.stderr)
	}
}

func TestTimeoutCancelsTheCall(t *testing.T) {
	k := newKit(t)
	if _, err := k.r.Client(t, "realm1").Register(t.Context(), "com.test.block", func(ctx context.Context, _ *client.Invocation) (client.Result, error) {
		<-ctx.Done()
		return client.Result{}, ctx.Err()
	}); err != nil {
		t.Fatal(err)
	}
	// The callee never answers: only --timeout can end the call.
	res := runCLI(t, nil, "", "--url", k.ws, "--timeout", "200ms", "call", "com.test.block")
	res.want(t, 1, "")
	if !strings.Contains(res.stderr, "wamp.error.canceled") {
		t.Fatalf("stderr %q", res.stderr)
	}
}
