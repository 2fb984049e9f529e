package client_test

// What Dial shows and refuses (issue 18, parts 3 and 7): WithTLSConfig
// with a URL without TLS, URLs with credentials in errors and logs,
// redirects of the WebSocket handshake, router strings in errors.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/auth"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

func TestDialWithTLSConfigRefusesPlaintextURL(t *testing.T) {
	for _, url := range []string{"ws://127.0.0.1:1/ws", "http://127.0.0.1:1/ws", "rs://127.0.0.1:1", "tcp://127.0.0.1:1", "unix:///nonexistent.sock"} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		c, err := client.Dial(ctx, url, "realm1", client.WithTLSConfig(&tls.Config{}))
		cancel()
		var ae *client.ArgumentError
		if c != nil || !errors.As(err, &ae) || !errors.Is(err, client.ErrInvalidArgument) || ae.Arg != "WithTLSConfig" {
			t.Errorf("%s: err = %v, want an *ArgumentError on WithTLSConfig", url, err)
		}
	}
	// A plaintext URL among Reconnect's is refused before any dial too.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := client.Dial(ctx, "wss://127.0.0.1:1/ws", "realm1", client.WithTLSConfig(&tls.Config{}),
		client.WithReconnect(client.Reconnect{URLs: []string{"ws://127.0.0.1:1/ws"}}))
	if !errors.Is(err, client.ErrInvalidArgument) {
		t.Errorf("plaintext URL in Reconnect.URLs: err = %v", err)
	}
}

// Errors and logs show a URL without its password, query and fragment,
// which may carry tokens; the errors still match what they wrap.
func TestDialRedactsURLs(t *testing.T) {
	var logs lockedBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	for _, url := range []string{
		"ws://alice:hunter2@127.0.0.1:1/ws?ticket=SECRET#SECRET",
		"wss://127.0.0.1:1/ws?ticket=SECRET",
		"rs://127.0.0.1:1/?ticket=SECRET", // refused by RawSocket, which quotes it
		"ws://127.0.0.1:1/ws?ticket=SECRET&x=%zz",
	} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err := client.Dial(ctx, url, "realm1", client.WithLogger(logger))
		cancel()
		if err == nil || strings.Contains(err.Error(), "SECRET") || strings.Contains(err.Error(), "hunter2") {
			t.Errorf("%s: error %v", url, err)
		}
	}

	// The reconnector's log of a failed attempt.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, "ws://alice:hunter2@127.0.0.1:1/ws?ticket=SECRET", "realm1", client.WithLogger(logger),
		client.WithReconnect(client.Reconnect{RetryOnFailedConnect: true, MinDelay: time.Millisecond, MaxDelay: time.Millisecond}))
	if err != nil {
		t.Fatal(err)
	}
	for !strings.Contains(logs.String(), "reconnect attempt failed") && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	c.Close(context.Background())
	if out := logs.String(); !strings.Contains(out, "reconnect attempt failed") || strings.Contains(out, "SECRET") || strings.Contains(out, "hunter2") {
		t.Errorf("logs:\n%s", out)
	}
}

// A wss:// router that redirects to ws:// gets no ticket over plaintext:
// Dial fails with wsconn.ErrRedirect, WithSameHostRedirects or not.
func TestDialRefusesRedirectToPlaintext(t *testing.T) {
	var plainRequests atomic.Int32
	plain := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		plainRequests.Add(1)
		w.WriteHeader(http.StatusForbidden)
	}))
	defer plain.Close()
	secure := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, plain.URL+r.URL.RequestURI(), http.StatusFound)
	}))
	defer secure.Close()
	pool := x509.NewCertPool()
	pool.AddCert(secure.Certificate())
	for _, opts := range [][]client.Option{nil, {client.WithSameHostRedirects()}} {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		opts = append(opts, client.WithTLSConfig(&tls.Config{RootCAs: pool}),
			client.WithHTTPHeader(http.Header{"Authorization": {"Bearer SECRET"}}),
			client.WithAuth("joe", auth.Ticket("SECRET")))
		_, err := client.Dial(ctx, "wss"+strings.TrimPrefix(secure.URL, "https")+"/ws?ticket=SECRET", "realm1", opts...)
		cancel()
		if !errors.Is(err, wsconn.ErrRedirect) || strings.Contains(err.Error(), "SECRET") {
			t.Errorf("err = %v, want wsconn.ErrRedirect without the ticket", err)
		}
	}
	if n := plainRequests.Load(); n != 0 {
		t.Fatalf("the plaintext server got %d requests", n)
	}
}

// Strings from the router are quoted in the errors' text: no line break or
// terminal escape reaches a log through them.
func TestErrorTextQuotesRouterStrings(t *testing.T) {
	const evil = "denied\nlevel=INFO msg=\"forged\" \x1b[2J"
	for name, err := range map[string]error{
		"ABORT":          &client.AbortError{Reason: "wamp.error.not_authorized", Details: protocol.Dict{"message": evil}},
		"ABORT reason":   &client.AbortError{Reason: "wamp.error.x\nforged", Details: protocol.Dict{}},
		"ERROR args":     &client.Error{URI: "wamp.error.runtime_error", Args: protocol.List{evil, int64(3)}},
		"ERROR kwargs":   &client.Error{URI: "wamp.error.runtime_error", Kwargs: protocol.Dict{"why": evil}},
		"ERROR nested":   &client.Error{URI: "wamp.error.runtime_error", Args: protocol.List{protocol.List{evil}}},
		"GOODBYE reason": &client.GoodbyeError{Reason: "wamp.close.x\x1b[2J"},
		"in AuthError":   &client.AuthError{Method: "ticket", Err: &client.AbortError{Reason: "wamp.error.not_authorized", Details: protocol.Dict{"message": evil}}},
	} {
		if s := err.Error(); strings.ContainsAny(s, "\n\x1b") {
			t.Errorf("%s: %q", name, s)
		}
	}
	if s := (&client.AbortError{Reason: "wamp.error.not_authorized", Details: protocol.Dict{"message": "no such user"}}).Error(); s != `wampgo: router aborted the session: wamp.error.not_authorized: "no such user"` {
		t.Errorf("plain message: %s", s)
	}
}
