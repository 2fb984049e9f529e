package auth_test

// Authentication against the real fox-wamp router, with the router's side
// of each method in testdata/router/auth.js (fox-wamp only has hooks). The
// tests skip when node or the npm packages are missing, and fail instead
// under CI.

import (
	"context"
	"crypto/ed25519"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/auth"
	"github.com/wampgo/wampgo/internal/testkit/routertest"
)

const authRealm = "wampgo_auth"

func authRouterConfig(t *testing.T, csPub ed25519.PublicKey) string {
	t.Helper()
	salt := []byte("per-user-salt-16")
	salted, err := pbkdf2.Key(sha256.New, "pencil", salt, 4096, 32)
	if err != nil {
		t.Fatal(err)
	}
	stored := sha256.Sum256(hmacSHA256(salted, "Client Key"))
	cfg := map[string]any{
		"ticket": map[string]any{"joe": map[string]any{"ticket": "secret!!!", "role": "frontend"}},
		"wampcra": map[string]any{
			"peter": map[string]any{"secret": "secret1", "role": "backend"},
			"salty": map[string]any{"secret": "s3cret", "salt": "salt123", "iterations": 1000, "keylen": 32},
		},
		"cryptosign": map[string]any{hex.EncodeToString(csPub): map[string]any{"authid": "device-7", "role": "device"}},
		"wamp-scram": map[string]any{"scram-user": map[string]any{
			"kdf": "pbkdf2", "salt": base64.StdEncoding.EncodeToString(salt), "iterations": 4096,
			"stored_key": base64.StdEncoding.EncodeToString(stored[:]),
			"server_key": base64.StdEncoding.EncodeToString(hmacSHA256(salted, "Server Key")),
			"role":       "scrammer",
		}},
	}
	b, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAuthRealRouter(t *testing.T) {
	seed := make([]byte, 32)
	copy(seed, "fox-wamp cryptosign test seed")
	csKey := ed25519.NewKeyFromSeed(seed)
	r := routertest.StartWithOptions(t, routertest.Options{Auth: authRouterConfig(t, csKey.Public().(ed25519.PublicKey))})

	dial := func(t *testing.T, opts ...client.Option) (*client.Client, error) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		c, err := client.Dial(ctx, r.URL(), authRealm, opts...)
		if c != nil {
			t.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				c.Close(ctx)
			})
		}
		return c, err
	}
	ok := func(name, authid, role, method string, opts ...client.Option) {
		t.Run(name, func(t *testing.T) {
			c, err := dial(t, opts...)
			if err != nil {
				t.Fatalf("Dial: %v", err)
			}
			s := c.Session()
			if s.AuthID != authid || s.AuthRole != role || s.AuthMethod != method || s.AuthProvider != "wampgo-test" {
				t.Fatalf("Session %+v", s)
			}
			// The session works.
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if _, err := c.Call(ctx, "wamp.session.count", nil, nil).Await(ctx); err != nil {
				t.Fatalf("call after join: %v", err)
			}
		})
	}
	refused := func(name, method, reason string, opts ...client.Option) {
		t.Run(name, func(t *testing.T) {
			_, err := dial(t, opts...)
			var authErr *client.AuthError
			var abort *client.AbortError
			if !errors.Is(err, client.ErrAuthentication) || !errors.As(err, &authErr) || authErr.Method != method ||
				!errors.As(err, &abort) || abort.Reason != reason {
				t.Fatalf("err = %v, want *AuthError{%s} with ABORT %s", err, method, reason)
			}
		})
	}

	ok("ticket", "joe", "frontend", "ticket", client.WithAuth("joe", auth.Ticket("secret!!!")))
	ok("ticket func", "joe", "frontend", "ticket", client.WithAuth("joe",
		auth.TicketFunc(func(context.Context) (string, error) { return "secret!!!", nil })))
	refused("ticket wrong", "ticket", "wamp.error.authentication_failed", client.WithAuth("joe", auth.Ticket("guess")))
	refused("ticket unknown user", "ticket", "wamp.error.authentication_failed", client.WithAuth("eve", auth.Ticket("secret!!!")))

	ok("wampcra", "peter", "backend", "wampcra", client.WithAuth("peter", auth.WAMPCRA("secret1")))
	refused("wampcra wrong", "wampcra", "wamp.error.authentication_failed", client.WithAuth("peter", auth.WAMPCRA("secret2")))
	ok("wampcra salted", "salty", "user", "wampcra", client.WithAuth("salty", auth.WAMPCRA("s3cret")))
	refused("wampcra salted wrong", "wampcra", "wamp.error.authentication_failed", client.WithAuth("salty", auth.WAMPCRA("secret")))
	refused("wampcra unknown user", "", "wamp.error.no_auth_method", client.WithAuth("nobody", auth.WAMPCRA("x")))

	ok("cryptosign", "device-7", "device", "cryptosign", client.WithAuth("", auth.Cryptosign(csKey)))
	refused("cryptosign unknown key", "", "wamp.error.no_auth_method",
		client.WithAuth("", auth.Cryptosign(ed25519.NewKeyFromSeed(make([]byte, 32)))))

	ok("wamp-scram", "scram-user", "scrammer", "wamp-scram", client.WithAuth("scram-user", auth.SCRAM("pencil")))
	refused("wamp-scram wrong", "wamp-scram", "wamp.error.authentication_failed", client.WithAuth("scram-user", auth.SCRAM("crayon")))

	// The router picks the method among those offered (its preference:
	// wamp-scram, cryptosign, wampcra, ticket).
	ok("router chooses", "peter", "backend", "wampcra", client.WithAuth("peter", auth.Ticket("x"), auth.WAMPCRA("secret1")))

	refused("nothing offered", "", "wamp.error.no_auth_method")
}
