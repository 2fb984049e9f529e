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
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/memconn"
	"github.com/wampgo/wampgo/internal/scripted"
	"github.com/wampgo/wampgo/protocol"
)

type joinResult struct {
	c   *client.Client
	err error
}

// startJoin runs Connect with opts against a scripted router on another
// goroutine. The client (if any) is closed when the test ends.
func startJoin(t *testing.T, opts ...client.Option) (*scripted.Router, <-chan joinResult) {
	t.Helper()
	ct, rt := memconn.Pipe("json")
	r := scripted.New(t, rt)
	out := make(chan joinResult, 1)
	go func() {
		c, err := client.Connect(context.Background(), ct, "realm1", opts...)
		out <- joinResult{c, err}
	}()
	t.Cleanup(func() { rt.Close() })
	return r, out
}

func awaitJoin(t *testing.T, r *scripted.Router, out <-chan joinResult) joinResult {
	t.Helper()
	select {
	case res := <-out:
		if res.c != nil {
			t.Cleanup(func() {
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
				defer cancel()
				r.Transport().Close() // no GOODBYE handshake to wait for
				res.c.Close(ctx)
				<-res.c.Done()
			})
		}
		return res
	case <-time.After(5 * time.Second):
		t.Fatal("Connect did not return")
	}
	return joinResult{}
}

func welcomeAs(method string, authextra protocol.Dict) *protocol.Welcome {
	d := protocol.Dict{
		"roles": scripted.Roles(), "authid": "joe", "authrole": "user",
		"authmethod": method, "authprovider": "static",
	}
	if authextra != nil {
		d["authextra"] = authextra
	}
	return &protocol.Welcome{Session: testSession, Details: d}
}

// expectAuthAbort expects the client's ABORT wamp.error.authentication_failed
// and the join's *AuthError matching want.
func expectAuthAbort(t *testing.T, r *scripted.Router, out <-chan joinResult, method string, want error) *client.AuthError {
	t.Helper()
	abort := scripted.Expect[*protocol.Abort](r)
	if abort.Reason != "wamp.error.authentication_failed" {
		t.Fatalf("ABORT reason %s", abort.Reason)
	}
	res := awaitJoin(t, r, out)
	var ae *client.AuthError
	if !errors.As(res.err, &ae) || !errors.Is(res.err, client.ErrAuthentication) || !errors.Is(res.err, want) || ae.Method != method {
		t.Fatalf("err = %v (%T), want *AuthError{%s} matching %v", res.err, res.err, method, want)
	}
	if msg, _ := abort.Details["message"].(string); msg != res.err.Error() {
		t.Fatalf("ABORT message %q, want the error's text %q", msg, res.err.Error())
	}
	return ae
}

func TestAuthChallengeForMethodNotOffered(t *testing.T) {
	r, out := startJoin(t, client.WithAuth("joe", client.Ticket("secret!!!")))
	scripted.Expect[*protocol.Hello](r)
	r.Send(&protocol.Challenge{AuthMethod: "wampcra", Extra: protocol.Dict{"challenge": "x"}})
	ae := expectAuthAbort(t, r, out, "wampcra", client.ErrAuthMethodNotOffered)
	if !strings.Contains(ae.Error(), `"wampcra"`) || !strings.Contains(ae.Error(), "[ticket]") {
		t.Fatalf("error %q does not name the method and the offer", ae.Error())
	}
}

func TestAuthAbortReasons(t *testing.T) {
	// Refused before any challenge, for an authentication reason: AuthError.
	r, out := startJoin(t)
	scripted.Expect[*protocol.Hello](r)
	r.Send(&protocol.Abort{Reason: "wamp.error.not_authorized", Details: protocol.Dict{"message": "auth required"}})
	res := awaitJoin(t, r, out)
	var auth *client.AuthError
	var ae *client.AbortError
	if !errors.As(res.err, &auth) || auth.Method != "" || !errors.As(res.err, &ae) || ae.Message() != "auth required" {
		t.Fatalf("err = %v", res.err)
	}

	// Refused for another reason: the plain *AbortError.
	r, out = startJoin(t, client.WithAuth("joe", client.Ticket("t")))
	scripted.Expect[*protocol.Hello](r)
	r.Send(&protocol.Abort{Reason: "wamp.error.no_such_realm", Details: protocol.Dict{}})
	res = awaitJoin(t, r, out)
	if errors.Is(res.err, client.ErrAuthentication) || !errors.As(res.err, &ae) || ae.Reason != "wamp.error.no_such_realm" {
		t.Fatalf("err = %v", res.err)
	}
}

func TestAuthChallengeHandlerAndRounds(t *testing.T) {
	var seen []string
	h := client.ChallengeHandler("x-otp", func(ctx context.Context, ch *protocol.Challenge) (string, protocol.Dict, error) {
		round, _ := ch.Extra["round"].(string)
		seen = append(seen, round)
		return "code-" + round, protocol.Dict{"round": round}, nil
	})
	r, out := startJoin(t, client.WithAuth("joe", client.Ticket("pw"), h))
	hello := scripted.Expect[*protocol.Hello](r)
	scripted.Equal(t, "authmethods", hello.Details["authmethods"], protocol.List{"ticket", "x-otp"})
	// Two factors: the ticket, then two rounds of the custom method.
	r.Send(&protocol.Challenge{AuthMethod: "ticket", Extra: protocol.Dict{}})
	if a := scripted.Expect[*protocol.Authenticate](r); a.Signature != "pw" {
		t.Fatalf("AUTHENTICATE %+v", a)
	}
	for _, round := range []string{"1", "2"} {
		r.Send(&protocol.Challenge{AuthMethod: "x-otp", Extra: protocol.Dict{"round": round}})
		a := scripted.Expect[*protocol.Authenticate](r)
		if a.Signature != "code-"+round || a.Extra["round"] != round {
			t.Fatalf("AUTHENTICATE %+v", a)
		}
	}
	r.Send(welcomeAs("x-otp", nil))
	if res := awaitJoin(t, r, out); res.err != nil {
		t.Fatal(res.err)
	}
	scripted.Equal(t, "rounds", seen, []string{"1", "2"})
}

// TestAuthAnonymousWelcomeAccepted: a router may welcome without a
// challenge for a method the client did not offer.
func TestAuthAnonymousWelcomeAccepted(t *testing.T) {
	r, out := startJoin(t, client.WithAuth("joe", client.Ticket("t"), client.SCRAM("pw")))
	scripted.Expect[*protocol.Hello](r)
	r.Send(welcomeAs("anonymous", nil))
	res := awaitJoin(t, r, out)
	if res.err != nil || res.c.Session().AuthMethod != "anonymous" {
		t.Fatalf("err = %v", res.err)
	}
}

// TestAuthFailsBeforeHello: configuration errors end the join without a
// HELLO.
func TestAuthFailsBeforeHello(t *testing.T) {
	cases := map[string]struct {
		opts []client.Option
		want error
	}{
		"scram without authid": {opts: []client.Option{client.WithAuth("", client.SCRAM("pw"))}},
		"binding without tls": {opts: []client.Option{client.WithAuth("joe",
			client.SCRAM("pw", client.BindChannel(client.TLSExporter)))}, want: client.ErrChannelBinding},
		"cryptosign binding without tls": {opts: []client.Option{client.WithAuth("",
			client.Cryptosign(ed25519.NewKeyFromSeed(make([]byte, 32)), client.BindChannel(client.TLSUnique)))}, want: client.ErrChannelBinding},
		"cryptosign server-end-point": {opts: []client.Option{client.WithAuth("",
			client.Cryptosign(ed25519.NewKeyFromSeed(make([]byte, 32)), client.BindChannel(client.TLSServerEndPoint)))}, want: client.ErrChannelBinding},
		"bad private key":   {opts: []client.Option{client.WithAuth("", client.Cryptosign(ed25519.PrivateKey{1, 2, 3}))}},
		"duplicate method":  {opts: []client.Option{client.WithAuth("joe", client.Ticket("a"), client.Ticket("b"))}},
		"nil authenticator": {opts: []client.Option{client.WithAuth("joe", nil)}},
		"conflicting authextra": {opts: []client.Option{client.WithAuth("joe",
			client.ChallengeHandler("x", nil), client.SCRAM("pw"), conflicting{})}},
		"bad password": {opts: []client.Option{client.WithAuth("joe", client.SCRAM("a\x00b"))}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			r, out := startJoin(t, tc.opts...)
			res := awaitJoin(t, r, out)
			if res.err == nil {
				t.Fatal("join succeeded")
			}
			if tc.want != nil && !errors.Is(res.err, tc.want) {
				t.Fatalf("err = %v, want %v", res.err, tc.want)
			}
			if rest := r.WaitClosed(); len(rest) != 0 {
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

// TestAuthSharedAuthenticatorConcurrent runs joins in parallel that share
// one SCRAM and one Cryptosign authenticator (run it with -race).
func TestAuthSharedAuthenticatorConcurrent(t *testing.T) {
	scram := client.SCRAM("pencil")
	cs := client.Cryptosign(ed25519.NewKeyFromSeed(make([]byte, 32)))
	for i := range 4 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			srv := newSCRAMServer("pencil", "pbkdf2", 4096, 0)
			r, out := startJoin(t, client.WithAuth("user", cs, scram))
			ch, first := srv.challenge(t, scripted.Expect[*protocol.Hello](r))
			r.Send(ch)
			verifier, ok := srv.verify(t, first, scripted.Expect[*protocol.Authenticate](r), "n,,")
			if !ok {
				t.Fatal("ClientProof does not verify")
			}
			r.Send(welcomeAs("wamp-scram", protocol.Dict{"verifier": verifier}))
			if res := awaitJoin(t, r, out); res.err != nil {
				t.Fatal(res.err)
			}
		})
	}
}
