package client_test

// The authentication handshake against the scripted router, which plays
// the router's side as the spec describes it: the router's checks (the
// ticket, the WAMP-CRA HMAC, the Ed25519 signature, the SCRAM ClientProof)
// are computed here from the spec's formulas, independently of package
// client's code.

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

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

func TestAuthTicketHelloAndWelcome(t *testing.T) {
	r, out := startJoin(t,
		client.WithHelloDetails(protocol.Dict{"authid": "overridden", "authmethods": protocol.List{"x"}}),
		client.WithAuthExtra(protocol.Dict{"device": "d1"}),
		client.WithAuth("joe", client.Ticket("secret!!!"), client.WAMPCRA("other")))
	hello := scripted.Expect[*protocol.Hello](r)
	scripted.Equal(t, "authid", hello.Details["authid"], "joe")
	scripted.Equal(t, "authmethods", hello.Details["authmethods"], protocol.List{"ticket", "wampcra"})
	scripted.Equal(t, "authextra", hello.Details["authextra"], protocol.Dict{"device": "d1"})
	r.Send(&protocol.Challenge{AuthMethod: "ticket", Extra: protocol.Dict{}})
	auth := scripted.Expect[*protocol.Authenticate](r)
	if auth.Signature != "secret!!!" || auth.Extra == nil || len(auth.Extra) != 0 {
		t.Fatalf("AUTHENTICATE %+v", auth)
	}
	r.Send(welcomeAs("ticket", nil))
	res := awaitJoin(t, r, out)
	if res.err != nil {
		t.Fatal(res.err)
	}
	s := res.c.Session()
	if s.AuthID != "joe" || s.AuthRole != "user" || s.AuthMethod != "ticket" || s.AuthProvider != "static" {
		t.Fatalf("Session %+v", s)
	}
}

func TestAuthTicketFunc(t *testing.T) {
	calls := 0
	tf := client.TicketFunc(func(ctx context.Context) (string, error) {
		calls++
		if _, ok := ctx.Deadline(); !ok {
			t.Error("ticket function's context has no deadline")
		}
		return fmt.Sprintf("token-%d", calls), nil
	})
	for i := 1; i <= 2; i++ {
		r, out := startJoin(t, client.WithAuth("joe", tf))
		scripted.Expect[*protocol.Hello](r)
		r.Send(&protocol.Challenge{AuthMethod: "ticket", Extra: protocol.Dict{}})
		if got := scripted.Expect[*protocol.Authenticate](r).Signature; got != fmt.Sprintf("token-%d", i) {
			t.Fatalf("join %d sent %q", i, got)
		}
		r.Send(welcomeAs("ticket", nil))
		if res := awaitJoin(t, r, out); res.err != nil {
			t.Fatal(res.err)
		}
	}

	// An error from the function ends the join with an ABORT.
	boom := errors.New("token service down")
	r, out := startJoin(t, client.WithAuth("joe", client.TicketFunc(func(context.Context) (string, error) { return "", boom })))
	scripted.Expect[*protocol.Hello](r)
	r.Send(&protocol.Challenge{AuthMethod: "ticket", Extra: protocol.Dict{}})
	expectAuthAbort(t, r, out, "ticket", boom)
}

// craSignature is the router's side of WAMP-CRA: base64 HMAC-SHA256.
func craSignature(key, challenge string) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(challenge))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func TestAuthWAMPCRA(t *testing.T) {
	challenge := `{"nonce": "LHRTC9zeOIrt_9U3", "authprovider": "userdb", "authid": "peter", "timestamp": "2014-06-22T16:36:25.448Z", "authrole": "user", "authmethod": "wampcra", "session": 3251278072152162}`
	t.Run("plain", func(t *testing.T) {
		r, out := startJoin(t, client.WithAuth("peter", client.WAMPCRA("secret1")))
		hello := scripted.Expect[*protocol.Hello](r)
		scripted.Equal(t, "authmethods", hello.Details["authmethods"], protocol.List{"wampcra"})
		r.Send(&protocol.Challenge{AuthMethod: "wampcra", Extra: protocol.Dict{"challenge": challenge}})
		if got := scripted.Expect[*protocol.Authenticate](r).Signature; got != craSignature("secret1", challenge) {
			t.Fatalf("signature %s", got)
		}
		r.Send(welcomeAs("wampcra", nil))
		if res := awaitJoin(t, r, out); res.err != nil {
			t.Fatal(res.err)
		}
	})
	t.Run("salted", func(t *testing.T) {
		r, out := startJoin(t, client.WithAuth("peter", client.WAMPCRA("secret1")))
		scripted.Expect[*protocol.Hello](r)
		r.Send(&protocol.Challenge{AuthMethod: "wampcra", Extra: protocol.Dict{
			"challenge": challenge, "salt": "salt123", "keylen": int64(32), "iterations": int64(1000)}})
		dk, err := pbkdf2.Key(sha256.New, "secret1", []byte("salt123"), 1000, 32)
		if err != nil {
			t.Fatal(err)
		}
		want := craSignature(base64.StdEncoding.EncodeToString(dk), challenge)
		if got := scripted.Expect[*protocol.Authenticate](r).Signature; got != want {
			t.Fatalf("signature %s, want %s", got, want)
		}
		r.Send(&protocol.Abort{Reason: "wamp.error.authentication_failed", Details: protocol.Dict{"message": "wrong secret"}})
		res := awaitJoin(t, r, out)
		var ae *client.AbortError
		var auth *client.AuthError
		if !errors.As(res.err, &ae) || ae.Reason != "wamp.error.authentication_failed" || ae.Message() != "wrong secret" ||
			!errors.As(res.err, &auth) || auth.Method != "wampcra" || !errors.Is(res.err, client.ErrAuthentication) {
			t.Fatalf("err = %v", res.err)
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
				r, out := startJoin(t, client.WithAuth("peter", client.WAMPCRA("secret1")))
				scripted.Expect[*protocol.Hello](r)
				r.Send(&protocol.Challenge{AuthMethod: "wampcra", Extra: extra})
				expectAuthAbort(t, r, out, "wampcra", client.ErrBadChallenge)
			})
		}
	})
}

func TestAuthCryptosign(t *testing.T) {
	seed := make([]byte, 32)
	copy(seed, "wampgo cryptosign scripted test")
	a, err := client.CryptosignFromSeed(seed)
	if err != nil {
		t.Fatal(err)
	}
	r, out := startJoin(t, client.WithAuth("", a))
	hello := scripted.Expect[*protocol.Hello](r)
	if _, ok := hello.Details["authid"]; ok {
		t.Fatal("empty authid was sent")
	}
	ae, _ := hello.Details["authextra"].(protocol.Dict)
	pubHex, _ := ae["pubkey"].(string)
	pub, err := hex.DecodeString(pubHex)
	if err != nil || len(pub) != ed25519.PublicKeySize || pubHex != client.CryptosignPublicKey(a) {
		t.Fatalf("authextra %v", ae)
	}
	if _, ok := ae["channel_binding"]; ok {
		t.Fatal("channel_binding sent without BindChannel")
	}
	challenge := make([]byte, 32)
	copy(challenge, "router's random challenge bytes!")
	r.Send(&protocol.Challenge{AuthMethod: "cryptosign", Extra: protocol.Dict{
		"challenge": hex.EncodeToString(challenge), "channel_binding": nil}})
	sig, err := hex.DecodeString(scripted.Expect[*protocol.Authenticate](r).Signature)
	if err != nil || len(sig) != 96 {
		t.Fatalf("signature %x: %v", sig, err)
	}
	if !ed25519.Verify(pub, challenge, sig[:64]) || string(sig[64:]) != string(challenge) {
		t.Fatal("signature does not verify over the challenge")
	}
	r.Send(welcomeAs("cryptosign", nil))
	if res := awaitJoin(t, r, out); res.err != nil {
		t.Fatal(res.err)
	}

	for name, extra := range map[string]protocol.Dict{
		"not hex":   {"challenge": strings.Repeat("zz", 32)},
		"too short": {"challenge": "abcd"},
		"missing":   {},
	} {
		t.Run(name, func(t *testing.T) {
			r, out := startJoin(t, client.WithAuth("", a))
			scripted.Expect[*protocol.Hello](r)
			r.Send(&protocol.Challenge{AuthMethod: "cryptosign", Extra: extra})
			expectAuthAbort(t, r, out, "cryptosign", client.ErrBadChallenge)
		})
	}
	t.Run("unrequested channel binding", func(t *testing.T) {
		r, out := startJoin(t, client.WithAuth("", a))
		scripted.Expect[*protocol.Hello](r)
		r.Send(&protocol.Challenge{AuthMethod: "cryptosign", Extra: protocol.Dict{
			"challenge": hex.EncodeToString(challenge), "channel_binding": "tls-unique"}})
		expectAuthAbort(t, r, out, "cryptosign", client.ErrChannelBinding)
	})
}

// scramServer is the router's side of WAMP-SCRAM for one user, computed
// from the spec's pseudocode.
type scramServer struct {
	salt                 []byte
	kdf                  string
	iterations, memory   int
	storedKey, serverKey []byte
}

func newSCRAMServer(password, kdf string, iterations, memory int) *scramServer {
	s := &scramServer{salt: []byte("0123456789abcdef"), kdf: kdf, iterations: iterations, memory: memory}
	var salted []byte
	if kdf == "pbkdf2" {
		salted, _ = pbkdf2.Key(sha256.New, password, s.salt, iterations, 32)
	} else {
		salted = argon2.IDKey([]byte(password), s.salt, uint32(iterations), uint32(memory), 1, 32)
	}
	ck := hmacSHA256(salted, "Client Key")
	sk := sha256.Sum256(ck)
	s.storedKey, s.serverKey = sk[:], hmacSHA256(salted, "Server Key")
	return s
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

// challenge builds the CHALLENGE for the HELLO and returns the auth message
// prefix (everything but ClientFinalNoProof).
func (s *scramServer) challenge(t *testing.T, hello *protocol.Hello) (*protocol.Challenge, string) {
	t.Helper()
	ae, _ := hello.Details["authextra"].(protocol.Dict)
	cnonce, _ := ae["nonce"].(string)
	raw, err := base64.StdEncoding.DecodeString(cnonce)
	if err != nil || len(raw) != 16 {
		t.Fatalf("client nonce %q", cnonce)
	}
	nonce := cnonce + base64.StdEncoding.EncodeToString([]byte("server nonce 123"))
	salt := base64.StdEncoding.EncodeToString(s.salt)
	authid, _ := hello.Details["authid"].(string)
	first := "n=" + strings.NewReplacer("=", "=3D", ",", "=2C").Replace(authid) + ",r=" + cnonce +
		",r=" + nonce + ",s=" + salt + ",i=" + fmt.Sprint(s.iterations)
	extra := protocol.Dict{"nonce": nonce, "salt": salt, "kdf": s.kdf, "iterations": int64(s.iterations), "memory": nil}
	if s.kdf == "argon2id13" {
		extra["memory"] = int64(s.memory)
	}
	return &protocol.Challenge{AuthMethod: "wamp-scram", Extra: extra}, first
}

// verify checks AUTHENTICATE's ClientProof and returns the verifier.
func (s *scramServer) verify(t *testing.T, first string, auth *protocol.Authenticate, cbind string) (string, bool) {
	t.Helper()
	nonce, _ := auth.Extra["nonce"].(string)
	am := first + ",c=" + base64.StdEncoding.EncodeToString([]byte(cbind)) + ",r=" + nonce
	proof, err := base64.StdEncoding.DecodeString(auth.Signature)
	if err != nil || len(proof) != 32 {
		return "", false
	}
	sig := hmacSHA256(s.storedKey, am)
	ck := make([]byte, 32)
	for i := range ck {
		ck[i] = sig[i] ^ proof[i]
	}
	sk := sha256.Sum256(ck)
	return base64.StdEncoding.EncodeToString(hmacSHA256(s.serverKey, am)), hmac.Equal(sk[:], s.storedKey)
}

func TestAuthSCRAM(t *testing.T) {
	for _, kdf := range []string{"pbkdf2", "argon2id13"} {
		t.Run(kdf, func(t *testing.T) {
			srv := newSCRAMServer("pencil", kdf, map[string]int{"pbkdf2": 4096, "argon2id13": 2}[kdf], 1024)
			r, out := startJoin(t, client.WithAuth("user,x=1", client.SCRAM("pencil")))
			hello := scripted.Expect[*protocol.Hello](r)
			scripted.Equal(t, "authmethods", hello.Details["authmethods"], protocol.List{"wamp-scram"})
			ch, first := srv.challenge(t, hello)
			r.Send(ch)
			auth := scripted.Expect[*protocol.Authenticate](r)
			scripted.Equal(t, "AUTHENTICATE.Extra", auth.Extra,
				protocol.Dict{"nonce": ch.Extra["nonce"], "channel_binding": nil, "cbind_data": nil})
			verifier, ok := srv.verify(t, first, auth, "n,,")
			if !ok {
				t.Fatal("ClientProof does not verify")
			}
			r.Send(welcomeAs("wamp-scram", protocol.Dict{"verifier": verifier}))
			res := awaitJoin(t, r, out)
			if res.err != nil {
				t.Fatal(res.err)
			}
			if res.c.Session().AuthMethod != "wamp-scram" {
				t.Fatalf("Session %+v", res.c.Session())
			}
		})
	}

	// The spec's example writes the verifier as "v=" + base64.
	t.Run("v= prefix", func(t *testing.T) {
		srv := newSCRAMServer("pencil", "pbkdf2", 4096, 0)
		r, out := startJoin(t, client.WithAuth("user", client.SCRAM("pencil")))
		ch, first := srv.challenge(t, scripted.Expect[*protocol.Hello](r))
		r.Send(ch)
		verifier, _ := srv.verify(t, first, scripted.Expect[*protocol.Authenticate](r), "n,,")
		r.Send(welcomeAs("wamp-scram", protocol.Dict{"verifier": "v=" + verifier}))
		if res := awaitJoin(t, r, out); res.err != nil {
			t.Fatal(res.err)
		}
	})

	forged := map[string]protocol.Dict{
		"missing verifier": nil,
		"forged verifier":  {"verifier": base64.StdEncoding.EncodeToString(make([]byte, 32))},
		"not base64":       {"verifier": "!!!"},
		"not a string":     {"verifier": int64(5)},
	}
	for name, authextra := range forged {
		t.Run(name, func(t *testing.T) {
			srv := newSCRAMServer("pencil", "pbkdf2", 4096, 0)
			r, out := startJoin(t, client.WithAuth("user", client.SCRAM("pencil")))
			ch, first := srv.challenge(t, scripted.Expect[*protocol.Hello](r))
			r.Send(ch)
			if _, ok := srv.verify(t, first, scripted.Expect[*protocol.Authenticate](r), "n,,"); !ok {
				t.Fatal("ClientProof does not verify")
			}
			r.Send(welcomeAs("wamp-scram", authextra))
			expectAuthAbort(t, r, out, "wamp-scram", client.ErrRouterNotAuthenticated)
		})
	}

	t.Run("wrong password", func(t *testing.T) {
		srv := newSCRAMServer("pencil", "pbkdf2", 4096, 0)
		r, out := startJoin(t, client.WithAuth("user", client.SCRAM("crayon")))
		ch, first := srv.challenge(t, scripted.Expect[*protocol.Hello](r))
		r.Send(ch)
		if _, ok := srv.verify(t, first, scripted.Expect[*protocol.Authenticate](r), "n,,"); ok {
			t.Fatal("wrong password verified")
		}
		r.Send(&protocol.Abort{Reason: "wamp.error.authentication_failed", Details: protocol.Dict{"scram": "invalid-proof"}})
		res := awaitJoin(t, r, out)
		var ae *client.AbortError
		if !errors.Is(res.err, client.ErrAuthentication) || !errors.As(res.err, &ae) || ae.Details["scram"] != "invalid-proof" {
			t.Fatalf("err = %v", res.err)
		}
	})

	t.Run("welcome without challenge", func(t *testing.T) {
		r, out := startJoin(t, client.WithAuth("user", client.SCRAM("pencil")))
		scripted.Expect[*protocol.Hello](r)
		r.Send(welcomeAs("wamp-scram", protocol.Dict{"verifier": "AAAA"}))
		expectAuthAbort(t, r, out, "wamp-scram", client.ErrRouterNotAuthenticated)
	})

	bad := map[string]func(protocol.Dict){
		"nonce not extended": func(d protocol.Dict) { d["nonce"] = "c29tZXRoaW5nIGVsc2U=" },
		"nonce only client's": func(d protocol.Dict) {
			d["nonce"] = strings.TrimSuffix(d["nonce"].(string), base64.StdEncoding.EncodeToString([]byte("server nonce 123")))
		},
		"low iterations":     func(d protocol.Dict) { d["iterations"] = int64(1000) },
		"unknown kdf":        func(d protocol.Dict) { d["kdf"] = "md5" },
		"argon2 low memory":  func(d protocol.Dict) { d["kdf"], d["memory"] = "argon2id13", int64(8) },
		"argon2 high memory": func(d protocol.Dict) { d["kdf"], d["memory"] = "argon2id13", int64(1<<30) },
		"argon2 no memory":   func(d protocol.Dict) { d["kdf"] = "argon2id13" },
		"salt not base64":    func(d protocol.Dict) { d["salt"] = "%%%" },
		"no salt":            func(d protocol.Dict) { delete(d, "salt") },
	}
	for name, mutate := range bad {
		t.Run(name, func(t *testing.T) {
			srv := newSCRAMServer("pencil", "pbkdf2", 4096, 0)
			r, out := startJoin(t, client.WithAuth("user", client.SCRAM("pencil")))
			ch, _ := srv.challenge(t, scripted.Expect[*protocol.Hello](r))
			mutate(ch.Extra)
			r.Send(ch)
			expectAuthAbort(t, r, out, "wamp-scram", client.ErrBadChallenge)
		})
	}

	t.Run("limits can be lowered", func(t *testing.T) {
		srv := newSCRAMServer("pencil", "pbkdf2", 100, 0)
		r, out := startJoin(t, client.WithAuth("user", client.SCRAM("pencil", client.LimitKDF(client.KDFLimits{MinPBKDF2Iterations: 100}))))
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

	t.Run("each join has its own nonce", func(t *testing.T) {
		a := client.SCRAM("pencil")
		nonces := map[string]bool{}
		for range 3 {
			r, out := startJoin(t, client.WithAuth("user", a))
			hello := scripted.Expect[*protocol.Hello](r)
			nonces[hello.Details["authextra"].(protocol.Dict)["nonce"].(string)] = true
			r.Send(&protocol.Abort{Reason: "wamp.error.no_such_realm", Details: protocol.Dict{}})
			awaitJoin(t, r, out)
		}
		if len(nonces) != 3 {
			t.Fatalf("nonces repeat: %v", nonces)
		}
	})
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
