package main

import (
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/client/wamptest"
)

// Secrets of the users of authKit; none may ever appear in wampgo's output.
const (
	ticketSecret = "tkt-Zq81secret"
	craSecret    = "cra-Pw93secret"
	scramSecret  = "scram-Lx07secret"
	wrongSecret  = "wrong-Yy55secret"
)

func wamptestNoAnonymousUser() wamptest.Option {
	return wamptest.WithUser(wamptest.User{AuthID: "alice", Ticket: ticketSecret})
}

func TestAuthenticationFromFlagsEnvAndFilesNeverEchoesSecrets(t *testing.T) {
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = byte(i*7 + 1)
	}
	key := ed25519.NewKeyFromSeed(seed)
	k := newKit(t, wamptest.WithoutAnonymous(),
		wamptest.WithUser(wamptest.User{AuthID: "tic", Ticket: ticketSecret, AuthRole: "reader"}),
		wamptest.WithUser(wamptest.User{AuthID: "cra", Secret: craSecret}),
		wamptest.WithUser(wamptest.User{AuthID: "scr", Password: scramSecret, SCRAMKDF: "argon2id13"}),
		wamptest.WithUser(wamptest.User{AuthID: "dev", PublicKey: key.Public().(ed25519.PublicKey)}),
	)
	dir := t.TempDir()
	file := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	seedHex := hex.EncodeToString(seed)
	keyFile := file("key", seedHex+"\n")
	secrets := []string{ticketSecret, craSecret, scramSecret, wrongSecret, seedHex}

	for _, tc := range []struct {
		name, authid, method string
		env, args            []string
	}{
		{"ticket flag", "tic", "ticket", nil, []string{"--authid", "tic", "--ticket", ticketSecret}},
		{"ticket env", "tic", "ticket", []string{"WAMPGO_AUTHID=tic", "WAMPGO_TICKET=" + ticketSecret}, nil},
		{"ticket file", "tic", "ticket", nil, []string{"--authid", "tic", "--ticket-file", file("ticket", ticketSecret+"\n")}},
		{"ticket file beats env", "tic", "ticket", []string{"WAMPGO_TICKET=" + wrongSecret}, []string{"--authid", "tic", "--ticket-file", file("ticket2", ticketSecret)}},
		{"wampcra flag", "cra", "wampcra", nil, []string{"--authid", "cra", "--secret", craSecret}},
		{"wampcra env", "cra", "wampcra", []string{"WAMPGO_AUTHID=cra", "WAMPGO_SECRET=" + craSecret}, nil},
		{"wampcra file", "cra", "wampcra", nil, []string{"--authid", "cra", "--secret-file", file("secret", craSecret+"\n")}},
		{"scram flag", "scr", "wamp-scram", nil, []string{"--authid", "scr", "--password", scramSecret}},
		{"scram env", "scr", "wamp-scram", []string{"WAMPGO_AUTHID=scr", "WAMPGO_PASSWORD=" + scramSecret}, nil},
		{"scram file", "scr", "wamp-scram", nil, []string{"--authid", "scr", "--password-file", file("password", scramSecret)}},
		{"cryptosign flag", "dev", "cryptosign", nil, []string{"--authid", "dev", "--private-key", keyFile}},
		{"cryptosign env", "dev", "cryptosign", []string{"WAMPGO_PRIVATE_KEY=" + keyFile}, []string{"--authid", "dev"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"--url", k.ws, "--verbose"}, tc.args...)
			res := runCLI(t, tc.env, "", append(args, "probe")...)
			if res.code != 0 {
				t.Fatalf("exit %d, stderr:\n%s", res.code, res.stderr)
			}
			var rep probeReport
			if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil {
				t.Fatalf("%v: %s", err, res.stdout)
			}
			if rep.Session == nil || rep.Session.AuthID != tc.authid || rep.Session.AuthMethod != tc.method {
				t.Fatalf("session %+v, want %s by %s", rep.Session, tc.authid, tc.method)
			}
			if rep.Anonymous == nil || *rep.Anonymous {
				t.Fatalf("anonymous %v, want false", rep.Anonymous)
			}
			if !strings.Contains(res.stderr, "joined") {
				t.Fatalf("--verbose logged no join:\n%s", res.stderr)
			}
			noSecrets(t, res, secrets)
		})
	}
	// Wrong secrets: exit status 3, and neither the wrong nor a right
	// secret in the output, verbose or not.
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"ticket", []string{"--authid", "tic", "--ticket", wrongSecret}},
		{"wampcra", []string{"--authid", "cra", "--secret", wrongSecret}},
		{"scram", []string{"--authid", "scr", "--password", wrongSecret}},
		{"cryptosign unknown key", []string{"--authid", "tic", "--private-key", file("other", strings.Repeat("ab", 32))}},
	} {
		for _, verbose := range []bool{false, true} {
			args := append([]string{"--url", k.rs}, tc.args...)
			if verbose {
				args = append(args, "--verbose")
			}
			res := runCLI(t, nil, "", append(args, "call", "com.test.x")...)
			res.want(t, 3, "")
			if !strings.Contains(res.stderr, "authentication") && !strings.Contains(res.stderr, "auth") {
				t.Errorf("%s: stderr does not say authentication failed: %q", tc.name, res.stderr)
			}
			noSecrets(t, res, secrets)
		}
	}
}

func TestHelpDoesNotEchoSecrets(t *testing.T) {
	for _, args := range [][]string{
		{"--ticket", ticketSecret, "call", "-h"},
		{"--secret", craSecret, "-h"},
		{"call", "--password", scramSecret, "--help"},
	} {
		res := runCLI(t, nil, "", args...)
		res.want(t, 0, "")
		noSecrets(t, res, []string{ticketSecret, craSecret, scramSecret})
	}
}

func noSecrets(t *testing.T, res result, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if strings.Contains(res.stdout, s) || strings.Contains(res.stderr, s) {
			t.Fatalf("a secret (%.4s…) was echoed:\nstdout:\n%s\nstderr:\n%s", s, res.stdout, res.stderr)
		}
	}
}
