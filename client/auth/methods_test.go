package auth_test

import (
	"context"
	"crypto/ed25519"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/auth"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

func TestAuthTicketHelloAndWelcome(t *testing.T) {
	j := clienttest.Start(t,
		client.WithHelloDetails(protocol.Dict{"authid": "overridden", "authmethods": protocol.List{"x"}}),
		client.WithAuthExtra(protocol.Dict{"device": "d1"}),
		client.WithAuth("joe", auth.Ticket("secret!!!"), auth.WAMPCRA("other")))
	hello := scripted.Expect[*protocol.Hello](j.Router)
	scripted.Equal(t, "authid", hello.Details["authid"], "joe")
	scripted.Equal(t, "authmethods", hello.Details["authmethods"], protocol.List{"ticket", "wampcra"})
	scripted.Equal(t, "authextra", hello.Details["authextra"], protocol.Dict{"device": "d1"})
	j.Router.Send(&protocol.Challenge{AuthMethod: "ticket", Extra: protocol.Dict{}})
	msg := scripted.Expect[*protocol.Authenticate](j.Router)
	if msg.Signature != "secret!!!" || msg.Extra == nil || len(msg.Extra) != 0 {
		t.Fatalf("AUTHENTICATE %+v", msg)
	}
	j.Router.Send(clienttest.WelcomeAs("ticket", nil))
	c, err := j.Wait()
	if err != nil {
		t.Fatal(err)
	}
	s := c.Session()
	if s.AuthID != "joe" || s.AuthRole != "user" || s.AuthMethod != "ticket" || s.AuthProvider != "static" {
		t.Fatalf("Session %+v", s)
	}
}

func TestAuthTicketFunc(t *testing.T) {
	calls := 0
	tf := auth.TicketFunc(func(ctx context.Context) (string, error) {
		calls++
		if _, ok := ctx.Deadline(); !ok {
			t.Error("ticket function's context has no deadline")
		}
		return fmt.Sprintf("token-%d", calls), nil
	})
	for i := 1; i <= 2; i++ {
		j := clienttest.Start(t, client.WithAuth("joe", tf))
		scripted.Expect[*protocol.Hello](j.Router)
		j.Router.Send(&protocol.Challenge{AuthMethod: "ticket", Extra: protocol.Dict{}})
		if got := scripted.Expect[*protocol.Authenticate](j.Router).Signature; got != fmt.Sprintf("token-%d", i) {
			t.Fatalf("join %d sent %q", i, got)
		}
		j.Router.Send(clienttest.WelcomeAs("ticket", nil))
		if _, err := j.Wait(); err != nil {
			t.Fatal(err)
		}
	}

	// An error from the function ends the join with an ABORT.
	boom := errors.New("token service down")
	j := clienttest.Start(t, client.WithAuth("joe", auth.TicketFunc(func(context.Context) (string, error) { return "", boom })))
	scripted.Expect[*protocol.Hello](j.Router)
	j.Router.Send(&protocol.Challenge{AuthMethod: "ticket", Extra: protocol.Dict{}})
	j.ExpectAuthAbort("ticket", boom)
}

// craSignature is the router's side of WAMP-CRA: base64 HMAC-SHA256.
func craSignature(key, challenge string) string {
	return base64.StdEncoding.EncodeToString(hmacSHA256([]byte(key), challenge))
}

func TestAuthWAMPCRA(t *testing.T) {
	challenge := `{"nonce": "LHRTC9zeOIrt_9U3", "authprovider": "userdb", "authid": "peter", "timestamp": "2014-06-22T16:36:25.448Z", "authrole": "user", "authmethod": "wampcra", "session": 3251278072152162}`
	t.Run("plain", func(t *testing.T) {
		j := clienttest.Start(t, client.WithAuth("peter", auth.WAMPCRA("secret1")))
		hello := scripted.Expect[*protocol.Hello](j.Router)
		scripted.Equal(t, "authmethods", hello.Details["authmethods"], protocol.List{"wampcra"})
		j.Router.Send(&protocol.Challenge{AuthMethod: "wampcra", Extra: protocol.Dict{"challenge": challenge}})
		if got := scripted.Expect[*protocol.Authenticate](j.Router).Signature; got != craSignature("secret1", challenge) {
			t.Fatalf("signature %s", got)
		}
		j.Router.Send(clienttest.WelcomeAs("wampcra", nil))
		if _, err := j.Wait(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("salted", func(t *testing.T) {
		j := clienttest.Start(t, client.WithAuth("peter", auth.WAMPCRA("secret1")))
		scripted.Expect[*protocol.Hello](j.Router)
		j.Router.Send(&protocol.Challenge{AuthMethod: "wampcra", Extra: protocol.Dict{
			"challenge": challenge, "salt": "salt123", "keylen": int64(32), "iterations": int64(1000)}})
		dk, err := pbkdf2.Key(sha256.New, "secret1", []byte("salt123"), 1000, 32)
		if err != nil {
			t.Fatal(err)
		}
		want := craSignature(base64.StdEncoding.EncodeToString(dk), challenge)
		if got := scripted.Expect[*protocol.Authenticate](j.Router).Signature; got != want {
			t.Fatalf("signature %s, want %s", got, want)
		}
		j.Router.Send(&protocol.Abort{Reason: "wamp.error.authentication_failed", Details: protocol.Dict{"message": "wrong secret"}})
		_, err = j.Wait()
		var ae *client.AbortError
		var authErr *client.AuthError
		if !errors.As(err, &ae) || ae.Reason != "wamp.error.authentication_failed" || ae.Message() != "wrong secret" ||
			!errors.As(err, &authErr) || authErr.Method != "wampcra" || !errors.Is(err, client.ErrAuthentication) {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("bad challenge", func(t *testing.T) {
		for name, extra := range map[string]protocol.Dict{
			"no challenge":   {},
			"iterations":     {"challenge": challenge, "salt": "s", "iterations": "many"},
			"too many iters": {"challenge": challenge, "salt": "s", "iterations": int64(1 << 40)},
			"keylen":         {"challenge": challenge, "salt": "s", "keylen": int64(0)},
		} {
			t.Run(name, func(t *testing.T) {
				j := clienttest.Start(t, client.WithAuth("peter", auth.WAMPCRA("secret1")))
				scripted.Expect[*protocol.Hello](j.Router)
				j.Router.Send(&protocol.Challenge{AuthMethod: "wampcra", Extra: extra})
				j.ExpectAuthAbort("wampcra", auth.ErrBadChallenge)
			})
		}
	})
}

func TestAuthCryptosign(t *testing.T) {
	seed := make([]byte, 32)
	copy(seed, "wampgo cryptosign scripted test")
	a, err := auth.CryptosignFromSeed(seed)
	if err != nil {
		t.Fatal(err)
	}
	j := clienttest.Start(t, client.WithAuth("", a))
	hello := scripted.Expect[*protocol.Hello](j.Router)
	if _, ok := hello.Details["authid"]; ok {
		t.Fatal("empty authid was sent")
	}
	ae, _ := hello.Details["authextra"].(protocol.Dict)
	pubHex, _ := ae["pubkey"].(string)
	pub, err := hex.DecodeString(pubHex)
	if err != nil || len(pub) != ed25519.PublicKeySize || pubHex != auth.CryptosignPublicKey(a) {
		t.Fatalf("authextra %v", ae)
	}
	if _, ok := ae["channel_binding"]; ok {
		t.Fatal("channel_binding sent without BindChannel")
	}
	challenge := make([]byte, 32)
	copy(challenge, "router's random challenge bytes!")
	j.Router.Send(&protocol.Challenge{AuthMethod: "cryptosign", Extra: protocol.Dict{
		"challenge": hex.EncodeToString(challenge), "channel_binding": nil}})
	sig, err := hex.DecodeString(scripted.Expect[*protocol.Authenticate](j.Router).Signature)
	if err != nil || len(sig) != 96 {
		t.Fatalf("signature %x: %v", sig, err)
	}
	if !ed25519.Verify(pub, challenge, sig[:64]) || string(sig[64:]) != string(challenge) {
		t.Fatal("signature does not verify over the challenge")
	}
	j.Router.Send(clienttest.WelcomeAs("cryptosign", nil))
	if _, err := j.Wait(); err != nil {
		t.Fatal(err)
	}

	for name, extra := range map[string]protocol.Dict{
		"not hex":   {"challenge": strings.Repeat("zz", 32)},
		"too short": {"challenge": "abcd"},
		"missing":   {},
	} {
		t.Run(name, func(t *testing.T) {
			j := clienttest.Start(t, client.WithAuth("", a))
			scripted.Expect[*protocol.Hello](j.Router)
			j.Router.Send(&protocol.Challenge{AuthMethod: "cryptosign", Extra: extra})
			j.ExpectAuthAbort("cryptosign", auth.ErrBadChallenge)
		})
	}
	t.Run("unrequested channel binding", func(t *testing.T) {
		j := clienttest.Start(t, client.WithAuth("", a))
		scripted.Expect[*protocol.Hello](j.Router)
		j.Router.Send(&protocol.Challenge{AuthMethod: "cryptosign", Extra: protocol.Dict{
			"challenge": hex.EncodeToString(challenge), "channel_binding": "tls-unique"}})
		j.ExpectAuthAbort("cryptosign", auth.ErrChannelBinding)
	})
}
