package auth_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/pbkdf2"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/auth"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// Secrets used by TestAuthSecretsNeverLeak. Each is distinctive, so that
// finding it (or an encoding of it) anywhere is a leak.
const (
	leakTicket   = "TICKET-SECRET-7f3a"
	leakCRA      = "CRA-SECRET-91bd"
	leakPassword = "SCRAM-PASSWORD-c20e"
)

var leakSeed = []byte("CRYPTOSIGN-SEED-0123456789abcdef")

// leakForms returns every form of the secrets that must not appear.
func leakForms() []string {
	priv := ed25519.NewKeyFromSeed(leakSeed)
	forms := []string{leakTicket, leakCRA, leakPassword, string(leakSeed)}
	for _, b := range [][]byte{leakSeed, priv, []byte(leakTicket), []byte(leakCRA), []byte(leakPassword)} {
		forms = append(forms, hex.EncodeToString(b), base64.StdEncoding.EncodeToString(b),
			strings.Trim(fmt.Sprint(b[:8]), "[]")) // fmt of []byte: "67 82 89 ..."
	}
	dk, _ := pbkdf2.Key(sha256.New, leakCRA, []byte("salt123"), 1000, 32)
	forms = append(forms, base64.StdEncoding.EncodeToString(dk))
	return forms
}

// syncBuffer is a bytes.Buffer safe for the logger's concurrent writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestAuthSecretsNeverLeak(t *testing.T) {
	forms := leakForms()
	var seen []string // everything the user or the router could get to see
	check := func(what, s string) {
		t.Helper()
		for _, f := range forms {
			if strings.Contains(s, f) {
				t.Errorf("%s leaks a secret (%q):\n%s", what, f, s)
			}
		}
	}

	cs, err := auth.CryptosignFromSeed(leakSeed)
	if err != nil {
		t.Fatal(err)
	}
	auths := []auth.Authenticator{
		auth.Ticket(leakTicket),
		auth.TicketFunc(func(context.Context) (string, error) { return leakTicket, nil }),
		auth.WAMPCRA(leakCRA),
		cs,
		auth.Cryptosign(ed25519.NewKeyFromSeed(leakSeed), auth.BindChannel(auth.TLSUnique)),
		auth.SCRAM(leakPassword),
		auth.SCRAM(leakPassword + "\x00"), // invalid: holds an error
	}

	// Printed in every way fmt offers, alone and inside structs.
	type holder struct {
		Exported auth.Authenticator
		hidden   auth.Authenticator
		list     []auth.Authenticator
	}
	for _, a := range auths {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T", "%p"} {
			seen = append(seen, fmt.Sprintf(verb, a))
			seen = append(seen, fmt.Sprintf(verb, holder{a, a, []auth.Authenticator{a}}))
			seen = append(seen, fmt.Sprintf(verb, &holder{a, a, nil}))
		}
		seen = append(seen, fmt.Sprint(a), fmt.Sprintln(a))
		if s, ok := a.(fmt.Stringer); !ok || !strings.HasSuffix(s.String(), "(****)") {
			t.Errorf("%T: String() = %v, want name(****)", a, a)
		}
	}

	// Every failure a join can end in, with a logger recording everything.
	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	run := func(name string, script func(r *scripted.Router, hello *protocol.Hello), opts ...client.Option) {
		t.Run(name, func(t *testing.T) {
			opts = append(opts, client.WithLogger(logger))
			j := clienttest.Start(t, opts...)
			var c *client.Client
			var err error
			func() {
				defer func() {
					if p := recover(); p != nil {
						seen = append(seen, fmt.Sprint(p))
						t.Errorf("panic: %v", p)
					}
				}()
				hello := scripted.Expect[*protocol.Hello](j.Router)
				seen = append(seen, scripted.Describe(hello))
				script(j.Router, hello)
				c, err = j.Wait()
			}()
			if c != nil {
				seen = append(seen, c.String(), fmt.Sprintf("%+v", c.Session()))
				return
			}
			for _, m := range j.Router.WaitClosed() {
				if _, ok := m.(*protocol.Authenticate); !ok { // AUTHENTICATE carries the ticket by design
					seen = append(seen, scripted.Describe(m))
				}
			}
			if err != nil {
				seen = append(seen, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
				var ae *client.AuthError
				if errors.As(err, &ae) {
					seen = append(seen, fmt.Sprintf("%#v", *ae))
				}
			}
		})
	}
	challenge := `{"nonce":"n","session":1}`
	run("ticket refused", func(r *scripted.Router, _ *protocol.Hello) {
		r.Send(&protocol.Challenge{AuthMethod: "ticket", Extra: protocol.Dict{}})
		scripted.Expect[*protocol.Authenticate](r)
		r.Send(&protocol.Abort{Reason: "wamp.error.authentication_failed", Details: protocol.Dict{}})
	}, client.WithAuth("joe", auths[0]))
	run("ticket welcomed", func(r *scripted.Router, _ *protocol.Hello) {
		r.Send(&protocol.Challenge{AuthMethod: "ticket", Extra: protocol.Dict{}})
		scripted.Expect[*protocol.Authenticate](r)
		r.Send(clienttest.WelcomeAs("ticket", nil))
	}, client.WithAuth("joe", auths[1]))
	run("wampcra salted, wrong method next", func(r *scripted.Router, _ *protocol.Hello) {
		r.Send(&protocol.Challenge{AuthMethod: "wampcra", Extra: protocol.Dict{
			"challenge": challenge, "salt": "salt123", "iterations": int64(1000), "keylen": int64(32)}})
		seen = append(seen, scripted.Describe(scripted.Expect[*protocol.Authenticate](r)))
		r.Send(&protocol.Challenge{AuthMethod: "ticket", Extra: protocol.Dict{}})
	}, client.WithAuth("joe", auths[2]))
	run("wampcra bad challenge", func(r *scripted.Router, _ *protocol.Hello) {
		r.Send(&protocol.Challenge{AuthMethod: "wampcra", Extra: protocol.Dict{"challenge": challenge, "salt": "s", "iterations": int64(-1)}})
	}, client.WithAuth("joe", auths[2]))
	run("cryptosign bad challenge", func(r *scripted.Router, _ *protocol.Hello) {
		r.Send(&protocol.Challenge{AuthMethod: "cryptosign", Extra: protocol.Dict{"challenge": "00"}})
	}, client.WithAuth("", auths[3]))
	run("cryptosign signed then refused", func(r *scripted.Router, _ *protocol.Hello) {
		r.Send(&protocol.Challenge{AuthMethod: "cryptosign", Extra: protocol.Dict{"challenge": strings.Repeat("ab", 32)}})
		seen = append(seen, scripted.Describe(scripted.Expect[*protocol.Authenticate](r)))
		r.Send(&protocol.Abort{Reason: "wamp.error.not_authorized", Details: protocol.Dict{}})
	}, client.WithAuth("", auths[3]))
	srv := newSCRAMServer(leakPassword, "pbkdf2", 4096, 0)
	run("scram forged verifier", func(r *scripted.Router, hello *protocol.Hello) {
		ch, _ := srv.challenge(t, hello)
		r.Send(ch)
		seen = append(seen, scripted.Describe(scripted.Expect[*protocol.Authenticate](r)))
		r.Send(clienttest.WelcomeAs("wamp-scram", protocol.Dict{"verifier": base64.StdEncoding.EncodeToString(make([]byte, 32))}))
	}, client.WithAuth("user", auths[5]))
	run("scram bad nonce", func(r *scripted.Router, hello *protocol.Hello) {
		ch, _ := srv.challenge(t, hello)
		ch.Extra["nonce"] = "bm9wZQ=="
		r.Send(ch)
	}, client.WithAuth("user", auths[5]))

	// Joins that fail before HELLO.
	for _, opts := range [][]client.Option{
		{client.WithAuth("joe", auths[4])},           // channel binding without TLS
		{client.WithAuth("joe", auths[6])},           // bad password
		{client.WithAuth("", auths[5])},              // no authid
		{client.WithAuth("joe", auths[0], auths[0])}, // twice
	} {
		_, err := clienttest.Start(t, append(opts, client.WithLogger(logger))...).Wait()
		if err == nil {
			t.Fatal("join succeeded")
		}
		seen = append(seen, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
	}

	seen = append(seen, logs.String())
	for i, s := range seen {
		check(fmt.Sprintf("output %d", i), s)
	}
	if len(seen) < 100 {
		t.Fatalf("only %d outputs checked", len(seen))
	}
}
