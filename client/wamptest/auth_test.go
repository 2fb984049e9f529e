package wamptest_test

import (
	"crypto/ed25519"
	"errors"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/auth"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

func TestRouterAuthentication(t *testing.T) {
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	_, otherKey, _ := ed25519.GenerateKey(nil)
	r := newRouter(t, wamptest.WithoutAnonymous(),
		wamptest.WithUser(wamptest.User{AuthID: "tic", Ticket: "s3cret", AuthRole: "reader"}),
		wamptest.WithUser(wamptest.User{AuthID: "cra", Secret: "k"}),
		wamptest.WithUser(wamptest.User{AuthID: "salted", Secret: "k", Salt: "salt", Iterations: 1000, KeyLen: 32}),
		wamptest.WithUser(wamptest.User{AuthID: "dev", PublicKey: pub, AuthRole: "device"}),
		wamptest.WithUser(wamptest.User{AuthID: "scram", Password: "pw"}),
		wamptest.WithUser(wamptest.User{AuthID: "argon", Password: "pw", SCRAMKDF: "argon2id13"}),
	)
	for _, tc := range []struct {
		name, authid, method, role string
		auth                       auth.Authenticator
	}{
		{"ticket", "tic", "ticket", "reader", auth.Ticket("s3cret")},
		{"wampcra", "cra", "wampcra", "user", auth.WAMPCRA("k")},
		{"wampcra-salted", "salted", "wampcra", "user", auth.WAMPCRA("k")},
		{"cryptosign", "dev", "cryptosign", "device", auth.Cryptosign(priv)},
		{"scram-pbkdf2", "scram", "wamp-scram", "user", auth.SCRAM("pw")},
		{"scram-argon2id", "argon", "wamp-scram", "user", auth.SCRAM("pw")},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := r.Client(t, "realm1", client.WithAuth(tc.authid, tc.auth))
			s := c.Session()
			if s.AuthID != tc.authid || s.AuthMethod != tc.method || s.AuthRole != tc.role {
				t.Errorf("joined as %q/%q/%q, want %q/%q/%q", s.AuthID, s.AuthMethod, s.AuthRole, tc.authid, tc.method, tc.role)
			}
		})
	}
	for _, tc := range []struct {
		name, authid string
		auth         auth.Authenticator
		reason       protocol.URI
	}{
		{"wrong-ticket", "tic", auth.Ticket("nope"), protocol.URIErrAuthenticationFailed},
		{"wrong-secret", "cra", auth.WAMPCRA("nope"), protocol.URIErrAuthenticationFailed},
		{"wrong-key", "dev", auth.Cryptosign(otherKey), protocol.URIErrNoMatchingAuthMethod},
		{"wrong-password", "scram", auth.SCRAM("nope"), protocol.URIErrAuthenticationFailed},
		{"unknown-user", "eve", auth.Ticket("s3cret"), protocol.URIErrNoMatchingAuthMethod},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.Connect(testCtx(t), "realm1", client.WithAuth(tc.authid, tc.auth))
			var aerr *client.AbortError
			if !errors.As(err, &aerr) || aerr.Reason != tc.reason {
				t.Errorf("join error %v, want ABORT %s", err, tc.reason)
			}
		})
	}
	if _, err := r.Connect(testCtx(t), "realm1"); err == nil {
		t.Error("anonymous join succeeded WithoutAnonymous")
	}
}
