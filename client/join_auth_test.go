package client_test

// The authentication handshake against the scripted router, which plays
// the router's side as the spec describes it: the router's checks (the
// ticket, the WAMP-CRA HMAC, the Ed25519 signature, the SCRAM ClientProof)
// are computed here from the spec's formulas, independently of package
// client's code.

import (
	"context"
	"crypto/ed25519"
	"errors"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/auth"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

func TestAuthChallengeForMethodNotOffered(t *testing.T) {
	j := clienttest.Start(t, client.WithAuth("joe", auth.Ticket("secret!!!")))
	scripted.Expect[*protocol.Hello](j.Router)
	j.Router.Send(&protocol.Challenge{AuthMethod: "wampcra", Extra: protocol.Dict{"challenge": "x"}})
	ae := j.ExpectAuthAbort("wampcra", client.ErrAuthMethodNotOffered)
	if !strings.Contains(ae.Error(), `"wampcra"`) || !strings.Contains(ae.Error(), "[ticket]") {
		t.Fatalf("error %q does not name the method and the offer", ae.Error())
	}
}

func TestAuthAbortReasons(t *testing.T) {
	// Refused before any challenge, for an authentication reason: AuthError.
	j := clienttest.Start(t)
	scripted.Expect[*protocol.Hello](j.Router)
	j.Router.Send(&protocol.Abort{Reason: "wamp.error.not_authorized", Details: protocol.Dict{"message": "auth required"}})
	_, err := j.Wait()
	var authErr *client.AuthError
	var ae *client.AbortError
	if !errors.As(err, &authErr) || authErr.Method != "" || !errors.As(err, &ae) || ae.Message() != "auth required" {
		t.Fatalf("err = %v", err)
	}

	// Refused for another reason: the plain *AbortError.
	j = clienttest.Start(t, client.WithAuth("joe", auth.Ticket("t")))
	scripted.Expect[*protocol.Hello](j.Router)
	j.Router.Send(&protocol.Abort{Reason: "wamp.error.no_such_realm", Details: protocol.Dict{}})
	_, err = j.Wait()
	if errors.Is(err, client.ErrAuthentication) || !errors.As(err, &ae) || ae.Reason != "wamp.error.no_such_realm" {
		t.Fatalf("err = %v", err)
	}
}

func TestAuthChallengeHandlerAndRounds(t *testing.T) {
	var seen []string
	h := auth.ChallengeHandler("x-otp", func(ctx context.Context, ch *protocol.Challenge) (string, protocol.Dict, error) {
		round, _ := ch.Extra["round"].(string)
		seen = append(seen, round)
		return "code-" + round, protocol.Dict{"round": round}, nil
	})
	j := clienttest.Start(t, client.WithAuth("joe", auth.Ticket("pw"), h))
	hello := scripted.Expect[*protocol.Hello](j.Router)
	scripted.Equal(t, "authmethods", hello.Details["authmethods"], protocol.List{"ticket", "x-otp"})
	// Two factors: the ticket, then two rounds of the custom method.
	j.Router.Send(&protocol.Challenge{AuthMethod: "ticket", Extra: protocol.Dict{}})
	if a := scripted.Expect[*protocol.Authenticate](j.Router); a.Signature != "pw" {
		t.Fatalf("AUTHENTICATE %+v", a)
	}
	for _, round := range []string{"1", "2"} {
		j.Router.Send(&protocol.Challenge{AuthMethod: "x-otp", Extra: protocol.Dict{"round": round}})
		a := scripted.Expect[*protocol.Authenticate](j.Router)
		if a.Signature != "code-"+round || a.Extra["round"] != round {
			t.Fatalf("AUTHENTICATE %+v", a)
		}
	}
	j.Router.Send(clienttest.WelcomeAs("x-otp", nil))
	if _, err := j.Wait(); err != nil {
		t.Fatal(err)
	}
	scripted.Equal(t, "rounds", seen, []string{"1", "2"})
}

// TestAuthAnonymousWelcomeAccepted: a router may welcome without a
// challenge for a method the client did not offer.
func TestAuthAnonymousWelcomeAccepted(t *testing.T) {
	j := clienttest.Start(t, client.WithAuth("joe", auth.Ticket("t"), auth.SCRAM("pw")))
	scripted.Expect[*protocol.Hello](j.Router)
	j.Router.Send(clienttest.WelcomeAs("anonymous", nil))
	c, err := j.Wait()
	if err != nil || c.Session().AuthMethod != "anonymous" {
		t.Fatalf("err = %v", err)
	}
}

// TestAuthFailsBeforeHello: configuration errors end the join without a
// HELLO.
func TestAuthFailsBeforeHello(t *testing.T) {
	cases := map[string]struct {
		opts []client.Option
		want error
	}{
		"scram without authid": {opts: []client.Option{client.WithAuth("", auth.SCRAM("pw"))}},
		"binding without tls": {opts: []client.Option{client.WithAuth("joe",
			auth.SCRAM("pw", auth.BindChannel(auth.TLSExporter)))}, want: auth.ErrChannelBinding},
		"cryptosign binding without tls": {opts: []client.Option{client.WithAuth("",
			auth.Cryptosign(ed25519.NewKeyFromSeed(make([]byte, 32)), auth.BindChannel(auth.TLSUnique)))}, want: auth.ErrChannelBinding},
		"cryptosign server-end-point": {opts: []client.Option{client.WithAuth("",
			auth.Cryptosign(ed25519.NewKeyFromSeed(make([]byte, 32)), auth.BindChannel(auth.TLSServerEndPoint)))}, want: auth.ErrChannelBinding},
		"bad private key":   {opts: []client.Option{client.WithAuth("", auth.Cryptosign(ed25519.PrivateKey{1, 2, 3}))}},
		"duplicate method":  {opts: []client.Option{client.WithAuth("joe", auth.Ticket("a"), auth.Ticket("b"))}},
		"nil authenticator": {opts: []client.Option{client.WithAuth("joe", nil)}},
		"conflicting authextra": {opts: []client.Option{client.WithAuth("joe",
			auth.ChallengeHandler("x", nil), auth.SCRAM("pw"), conflicting{})}},
		"bad password": {opts: []client.Option{client.WithAuth("joe", auth.SCRAM("a\x00b"))}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			j := clienttest.Start(t, tc.opts...)
			_, err := j.Wait()
			if err == nil {
				t.Fatal("join succeeded")
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			if rest := j.Router.WaitClosed(); len(rest) != 0 {
				t.Fatalf("client sent %v", rest)
			}
		})
	}
}

// conflicting is an Authenticator whose authextra collides with SCRAM's.
type conflicting struct{}

func (conflicting) Method() string            { return "x-conflict" }
func (conflicting) HelloExtra() protocol.Dict { return protocol.Dict{"nonce": "mine"} }
func (conflicting) Authenticate(context.Context, *protocol.Challenge) (string, protocol.Dict, error) {
	return "", nil, nil
}
func (conflicting) VerifyWelcome(*protocol.Welcome) error { return nil }
