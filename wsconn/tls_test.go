package wsconn_test

import (
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/wsconn"
)

// TestTLSConnectionState checks that both ends of a wss:// connection
// report the TLS state, with the same channel binding data, and that a
// ws:// connection reports none.
func TestTLSConnectionState(t *testing.T) {
	for _, version := range []uint16{tls.VersionTLS12, tls.VersionTLS13} {
		accepted := make(chan *wsconn.Conn, 1)
		srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, err := wsconn.Accept(w, r, nil)
			if err != nil {
				t.Errorf("Accept: %v", err)
				return
			}
			accepted <- c
		}))
		pool := x509.NewCertPool()
		pool.AddCert(srv.Certificate())
		client := dial(t, "wss"+strings.TrimPrefix(srv.URL, "https"),
			&wsconn.Options{TLSConfig: &tls.Config{RootCAs: pool, MaxVersion: version}})
		server := <-accepted
		ccs, cok := client.TLSConnectionState()
		scs, sok := server.TLSConnectionState()
		if !cok || !sok || ccs.Version != version || scs.Version != version {
			t.Fatalf("TLS %x: client %v %x, server %v %x", version, cok, ccs.Version, sok, scs.Version)
		}
		if !bytes.Equal(ccs.TLSUnique, scs.TLSUnique) || (version == tls.VersionTLS12 && len(ccs.TLSUnique) == 0) {
			t.Errorf("TLS %x: tls-unique differs or missing: %x / %x", version, ccs.TLSUnique, scs.TLSUnique)
		}
		ce, err1 := ccs.ExportKeyingMaterial("EXPORTER-Channel-Binding", nil, 32)
		se, err2 := scs.ExportKeyingMaterial("EXPORTER-Channel-Binding", nil, 32)
		if err1 != nil || err2 != nil || !bytes.Equal(ce, se) {
			t.Errorf("TLS %x: exporter differs: %v %v", version, err1, err2)
		}
		if len(ccs.PeerCertificates) == 0 || !ccs.PeerCertificates[0].Equal(srv.Certificate()) {
			t.Errorf("TLS %x: client does not see the server's certificate", version)
		}
		server.Close()
		srv.Close()
	}

	plain := newAcceptServer(t, nil)
	c := dial(t, plain.url, nil)
	if _, ok := c.TLSConnectionState(); ok {
		t.Fatal("ws:// client connection reports TLS")
	}
	if _, ok := plain.next(t).TLSConnectionState(); ok {
		t.Fatal("ws:// server connection reports TLS")
	}
}
