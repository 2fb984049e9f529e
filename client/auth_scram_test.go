package client_test

import (
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
	"github.com/wampgo/wampgo/internal/scripted"
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
