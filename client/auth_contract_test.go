package client_test

import (
	"errors"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/auth"
	"github.com/wampgo/wampgo/client/e2ee"
)

// Package auth and package e2ee implement the contracts package client
// defines, under the names their users know.
var (
	_ client.Authenticator     = auth.Ticket("t")
	_ client.KeyRing           = (*e2ee.KeyRing)(nil)
	_ []auth.Authenticator     = []client.Authenticator{} // aliases, not look-alikes
	_ auth.Starter             = client.AuthStarter(nil)
	_ auth.RouterAuthenticator = client.RouterAuthenticator(nil)
)

// The sentinels of auth and e2ee are client's values: errors.Is matches
// either name, whichever package returned the error.
func TestContractErrorsShared(t *testing.T) {
	for _, c := range []struct {
		name      string
		got, want error
	}{
		{"ErrBadChallenge", auth.ErrBadChallenge, client.ErrBadChallenge},
		{"ErrChannelBinding", auth.ErrChannelBinding, client.ErrChannelBinding},
		{"ErrRouterNotAuthenticated", auth.ErrRouterNotAuthenticated, client.ErrRouterNotAuthenticated},
		{"ErrDecrypt", e2ee.ErrDecrypt, client.ErrDecrypt},
		{"ErrUnknownKey", e2ee.ErrUnknownKey, client.ErrUnknownKey},
		{"ErrUnknownCipher", e2ee.ErrUnknownCipher, client.ErrUnknownCipher},
	} {
		if c.got != c.want {
			t.Errorf("%s of the implementing package is not client's", c.name)
		}
	}
	scram := auth.SCRAM("p")
	if _, ok := scram.(client.AuthStarter); !ok {
		t.Error("auth.SCRAM is not a client.AuthStarter")
	}
	if r, ok := scram.(client.RouterAuthenticator); !ok || !r.AuthenticatesRouter() {
		t.Error("auth.SCRAM is not a client.RouterAuthenticator that authenticates the router")
	}
	_, err := e2ee.NewKeyRing().Open(e2ee.AES256GCM, "none", make([]byte, 64))
	if !errors.Is(err, client.ErrDecrypt) || !errors.Is(err, client.ErrUnknownKey) {
		t.Errorf("e2ee's Open: %v, want client.ErrDecrypt and client.ErrUnknownKey", err)
	}
	_, err = e2ee.NewKeyRing().Seal("rot13", "none", nil)
	if !errors.Is(err, client.ErrUnknownCipher) {
		t.Errorf("e2ee's Seal: %v, want client.ErrUnknownCipher", err)
	}
}
