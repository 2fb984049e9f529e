package wsconn_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wampgo/wampgo/wsconn"
)

// A wss:// server that redirects to a plaintext ws:// one on loopback: the
// handshake must not follow it, with or without FollowRedirects, and the
// plaintext server must see nothing (no ticket in the URL, no
// Authorization header, not even a request).
func TestDialRefusesRedirectToPlaintext(t *testing.T) {
	var plainRequests, leaked atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plainRequests.Add(1)
		if r.Header.Get("Authorization") != "" || strings.Contains(r.URL.RawQuery, "SECRET") {
			leaked.Add(1)
		}
		w.WriteHeader(http.StatusForbidden)
	}))
	defer plain.Close()
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+r.URL.RequestURI(), http.StatusTemporaryRedirect)
	}))
	defer secure.Close()
	pool := x509.NewCertPool()
	pool.AddCert(secure.Certificate())

	for _, follow := range []bool{false, true} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c, err := wsconn.Dial(ctx, "wss"+strings.TrimPrefix(secure.URL, "https")+"/ws?ticket=SECRET", &wsconn.Options{
			TLSConfig:       &tls.Config{RootCAs: pool},
			HTTPHeader:      http.Header{"Authorization": {"Bearer SECRET"}},
			FollowRedirects: follow,
		})
		cancel()
		if c != nil {
			c.Close()
		}
		if !errors.Is(err, wsconn.ErrRedirect) {
			t.Errorf("FollowRedirects %v: err = %v, want ErrRedirect", follow, err)
		}
		if err != nil && strings.Contains(err.Error(), "SECRET") {
			t.Errorf("FollowRedirects %v: error shows the query: %v", follow, err)
		}
	}
	if n := plainRequests.Load(); n != 0 {
		t.Fatalf("the plaintext server got %d requests (%d with the ticket or Authorization)", n, leaked.Load())
	}
}

// With FollowRedirects a redirect to the same scheme and host is followed;
// by default it is refused.
func TestDialSameHostRedirect(t *testing.T) {
	srv := newAcceptServer(t, nil)
	moved := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http"+strings.TrimPrefix(srv.url, "ws"), http.StatusTemporaryRedirect) // another port: another host
	}))
	defer moved.Close()
	mux := http.NewServeMux()
	var self string
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, self+"/new", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) {
		c, err := wsconn.Accept(w, r, nil)
		if err == nil {
			c.Close()
		}
	})
	same := httptest.NewServer(mux)
	defer same.Close()
	self = same.URL

	dial := func(url string, follow bool) error {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c, err := wsconn.Dial(ctx, url, &wsconn.Options{FollowRedirects: follow})
		if c != nil {
			c.Close()
		}
		return err
	}
	oldURL := "ws" + strings.TrimPrefix(same.URL, "http") + "/old"
	if err := dial(oldURL, false); !errors.Is(err, wsconn.ErrRedirect) {
		t.Errorf("same host, default: err = %v, want ErrRedirect", err)
	}
	if err := dial(oldURL, true); err != nil {
		t.Errorf("same host, FollowRedirects: %v", err)
	}
	if err := dial("ws"+strings.TrimPrefix(moved.URL, "http"), true); !errors.Is(err, wsconn.ErrRedirect) {
		t.Errorf("another port, FollowRedirects: err = %v, want ErrRedirect", err)
	}
}
