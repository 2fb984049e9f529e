package auth_test

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/auth"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

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
func (s *scramServer) verify(t *testing.T, first string, msg *protocol.Authenticate, cbind string) (string, bool) {
	t.Helper()
	nonce, _ := msg.Extra["nonce"].(string)
	am := first + ",c=" + base64.StdEncoding.EncodeToString([]byte(cbind)) + ",r=" + nonce
	proof, err := base64.StdEncoding.DecodeString(msg.Signature)
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
			srv := newSCRAMServer("pencil", kdf, map[string]int{"pbkdf2": 4096, "argon2id13": 2}[kdf], 19*1024) // the floors
			j := clienttest.Start(t, client.WithAuth("user,x=1", auth.SCRAM("pencil")))
			hello := scripted.Expect[*protocol.Hello](j.Router)
			scripted.Equal(t, "authmethods", hello.Details["authmethods"], protocol.List{"wamp-scram"})
			ch, first := srv.challenge(t, hello)
			j.Router.Send(ch)
			msg := scripted.Expect[*protocol.Authenticate](j.Router)
			scripted.Equal(t, "AUTHENTICATE.Extra", msg.Extra,
				protocol.Dict{"nonce": ch.Extra["nonce"], "channel_binding": nil, "cbind_data": nil})
			verifier, ok := srv.verify(t, first, msg, "n,,")
			if !ok {
				t.Fatal("ClientProof does not verify")
			}
			j.Router.Send(clienttest.WelcomeAs("wamp-scram", protocol.Dict{"verifier": verifier}))
			c, err := j.Wait()
			if err != nil {
				t.Fatal(err)
			}
			if c.Session().AuthMethod != "wamp-scram" {
				t.Fatalf("Session %+v", c.Session())
			}
		})
	}

	// The spec's example writes the verifier as "v=" + base64.
	t.Run("v= prefix", func(t *testing.T) {
		srv := newSCRAMServer("pencil", "pbkdf2", 4096, 0)
		j := clienttest.Start(t, client.WithAuth("user", auth.SCRAM("pencil")))
		ch, first := srv.challenge(t, scripted.Expect[*protocol.Hello](j.Router))
		j.Router.Send(ch)
		verifier, _ := srv.verify(t, first, scripted.Expect[*protocol.Authenticate](j.Router), "n,,")
		j.Router.Send(clienttest.WelcomeAs("wamp-scram", protocol.Dict{"verifier": "v=" + verifier}))
		if _, err := j.Wait(); err != nil {
			t.Fatal(err)
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
			j := clienttest.Start(t, client.WithAuth("user", auth.SCRAM("pencil")))
			ch, first := srv.challenge(t, scripted.Expect[*protocol.Hello](j.Router))
			j.Router.Send(ch)
			if _, ok := srv.verify(t, first, scripted.Expect[*protocol.Authenticate](j.Router), "n,,"); !ok {
				t.Fatal("ClientProof does not verify")
			}
			j.Router.Send(clienttest.WelcomeAs("wamp-scram", authextra))
			j.ExpectAuthAbort("wamp-scram", auth.ErrRouterNotAuthenticated)
		})
	}

	t.Run("wrong password", func(t *testing.T) {
		srv := newSCRAMServer("pencil", "pbkdf2", 4096, 0)
		j := clienttest.Start(t, client.WithAuth("user", auth.SCRAM("crayon")))
		ch, first := srv.challenge(t, scripted.Expect[*protocol.Hello](j.Router))
		j.Router.Send(ch)
		if _, ok := srv.verify(t, first, scripted.Expect[*protocol.Authenticate](j.Router), "n,,"); ok {
			t.Fatal("wrong password verified")
		}
		j.Router.Send(&protocol.Abort{Reason: "wamp.error.authentication_failed", Details: protocol.Dict{"scram": "invalid-proof"}})
		_, err := j.Wait()
		var ae *client.AbortError
		if !errors.Is(err, client.ErrAuthentication) || !errors.As(err, &ae) || ae.Details["scram"] != "invalid-proof" {
			t.Fatalf("err = %v", err)
		}
	})

	t.Run("welcome without challenge", func(t *testing.T) {
		j := clienttest.Start(t, client.WithAuth("user", auth.SCRAM("pencil")))
		scripted.Expect[*protocol.Hello](j.Router)
		j.Router.Send(clienttest.WelcomeAs("wamp-scram", protocol.Dict{"verifier": "AAAA"}))
		j.ExpectAuthAbort("wamp-scram", auth.ErrRouterNotAuthenticated)
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
			j := clienttest.Start(t, client.WithAuth("user", auth.SCRAM("pencil")))
			ch, _ := srv.challenge(t, scripted.Expect[*protocol.Hello](j.Router))
			mutate(ch.Extra)
			j.Router.Send(ch)
			j.ExpectAuthAbort("wamp-scram", auth.ErrBadChallenge)
		})
	}

	// The password goes through SASLprep, NFKC included: a router that
	// stores the normalized form accepts its non-normalized spellings.
	t.Run("SASLprep", func(t *testing.T) {
		for _, spelling := range []string{"\u2168 pe\u00ADncil", "IX\u00A0pencil", "\uFF29\uFF38 pencil"} {
			srv := newSCRAMServer("IX pencil", "pbkdf2", 4096, 0)
			j := clienttest.Start(t, client.WithAuth("user", auth.SCRAM(spelling)))
			ch, first := srv.challenge(t, scripted.Expect[*protocol.Hello](j.Router))
			j.Router.Send(ch)
			verifier, ok := srv.verify(t, first, scripted.Expect[*protocol.Authenticate](j.Router), "n,,")
			if !ok {
				t.Fatalf("%+q: ClientProof does not verify for the prepared password", spelling)
			}
			j.Router.Send(clienttest.WelcomeAs("wamp-scram", protocol.Dict{"verifier": verifier}))
			if _, err := j.Wait(); err != nil {
				t.Fatal(err)
			}
		}
	})

	t.Run("limits can be lowered", func(t *testing.T) {
		srv := newSCRAMServer("pencil", "pbkdf2", 100, 0)
		j := clienttest.Start(t, client.WithAuth("user", auth.SCRAM("pencil", auth.LimitKDF(auth.KDFLimits{MinPBKDF2Iterations: 100}))))
		ch, first := srv.challenge(t, scripted.Expect[*protocol.Hello](j.Router))
		j.Router.Send(ch)
		verifier, ok := srv.verify(t, first, scripted.Expect[*protocol.Authenticate](j.Router), "n,,")
		if !ok {
			t.Fatal("ClientProof does not verify")
		}
		j.Router.Send(clienttest.WelcomeAs("wamp-scram", protocol.Dict{"verifier": verifier}))
		if _, err := j.Wait(); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("each join has its own nonce", func(t *testing.T) {
		a := auth.SCRAM("pencil")
		nonces := map[string]bool{}
		for range 3 {
			j := clienttest.Start(t, client.WithAuth("user", a))
			hello := scripted.Expect[*protocol.Hello](j.Router)
			nonces[hello.Details["authextra"].(protocol.Dict)["nonce"].(string)] = true
			j.Router.Send(&protocol.Abort{Reason: "wamp.error.no_such_realm", Details: protocol.Dict{}})
			j.Wait()
		}
		if len(nonces) != 3 {
			t.Fatalf("nonces repeat: %v", nonces)
		}
	})
}

// TestAuthSharedAuthenticatorConcurrent runs joins in parallel that share
// one SCRAM and one Cryptosign authenticator (run it with -race).
func TestAuthSharedAuthenticatorConcurrent(t *testing.T) {
	scram := auth.SCRAM("pencil")
	cs := auth.Cryptosign(ed25519.NewKeyFromSeed(make([]byte, 32)))
	for i := range 4 {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			t.Parallel()
			srv := newSCRAMServer("pencil", "pbkdf2", 4096, 0)
			j := clienttest.Start(t, client.WithAuth("user", cs, scram))
			ch, first := srv.challenge(t, scripted.Expect[*protocol.Hello](j.Router))
			j.Router.Send(ch)
			verifier, ok := srv.verify(t, first, scripted.Expect[*protocol.Authenticate](j.Router), "n,,")
			if !ok {
				t.Fatal("ClientProof does not verify")
			}
			j.Router.Send(clienttest.WelcomeAs("wamp-scram", protocol.Dict{"verifier": verifier}))
			if _, err := j.Wait(); err != nil {
				t.Fatal(err)
			}
		})
	}
}
