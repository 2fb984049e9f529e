package auth_test

import (
	"crypto/ed25519"
	"crypto/tls"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/auth"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// Cryptosign with channel binding authenticates the router (a relayed
// challenge would not verify): a router that sends WELCOME without
// challenging has not proven who it is, and the join fails. Without
// binding, Cryptosign proves nothing of the router and the router's
// choice stands.
func TestAuthCryptosignBindingNeedsTheRouterToChallenge(t *testing.T) {
	priv := ed25519.NewKeyFromSeed(make([]byte, 32))
	for _, tc := range []struct {
		name string
		opts []client.Option
		ok   bool
	}{
		{"bound", []client.Option{client.WithAuth("", auth.Cryptosign(priv, auth.BindChannel(auth.TLSExporter)))}, false},
		{"bound, opted out", []client.Option{client.WithAuth("", auth.Cryptosign(priv, auth.BindChannel(auth.TLSExporter))), client.WithUnverifiedRouter()}, true},
		{"unbound", []client.Option{client.WithAuth("", auth.Cryptosign(priv))}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j, _ := tlsJoin(t, tls.VersionTLS13, tc.opts...)
			scripted.Expect[*protocol.Hello](j.Router)
			j.Router.Send(clienttest.WelcomeAs("anonymous", nil))
			if tc.ok {
				if _, err := j.Wait(); err != nil {
					t.Fatal(err)
				}
				return
			}
			j.ExpectAuthAbort("anonymous", auth.ErrRouterNotAuthenticated)
		})
	}
	if !auth.Cryptosign(priv, auth.BindChannel(auth.TLSUnique)).(auth.RouterAuthenticator).AuthenticatesRouter() ||
		auth.Cryptosign(priv).(auth.RouterAuthenticator).AuthenticatesRouter() ||
		!auth.SCRAM("pw").(auth.RouterAuthenticator).AuthenticatesRouter() {
		t.Fatal("AuthenticatesRouter")
	}
}
