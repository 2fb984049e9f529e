package main

import (
	"strings"
	"testing"

	"github.com/wampgo/wampgo/client/wamptest"
)

func TestUsageErrorsExitTwo(t *testing.T) {
	k := newKit(t)
	url := []string{"--url", k.ws}
	for _, tc := range []struct {
		name   string
		args   []string
		stderr string // a part of stderr
	}{
		{"no command", nil, "usage: wampgo"},
		{"unknown command", []string{"frobnicate"}, `unknown command "frobnicate"`},
		{"unknown global flag", []string{"--bogus", "call"}, "flag provided but not defined: -bogus"},
		{"unknown command flag", append(url, "call", "com.x", "--bogus"), "flag provided but not defined: -bogus"},
		{"no url", []string{"call", "com.x"}, "no router"},
		{"missing PROC", append(url, "call"), "call: missing PROC"},
		{"kwarg without =", append(url, "call", "com.x", "-k", "novalue"), "want KEY=VALUE"},
		{"kwarg without key", append(url, "call", "com.x", "-k", "=1"), "want KEY=VALUE"},
		{"bad serializer", append(url, "--serializer", "xml", "call", "com.x"), `--serializer "xml"`},
		{"bad timeout", append(url, "--timeout", "-1s", "call", "com.x"), "positive duration"},
		{"two secrets", append(url, "--authid", "a", "--ticket", "t", "--secret", "s", "call", "com.x"), "only one of"},
		{"authid alone", append(url, "--authid", "a", "call", "com.x"), "--authid needs one of"},
		{"secret and its file", append(url, "--ticket", "t", "--ticket-file", "/nonexistent", "call", "com.x"), "not both"},
		{"missing secret file", append(url, "--ticket-file", "/nonexistent/ticket", "call", "com.x"), "--ticket-file"},
		{"missing key file", append(url, "--private-key", "/nonexistent/key", "call", "com.x"), "--private-key"},
		{"missing CA file", append(url, "--tls-ca", "/nonexistent/ca.pem", "call", "com.x"), "--tls-ca"},
		{"invalid URI", append(url, "call", "com..x"), "invalid"},
		{"publish without topic", append(url, "publish"), "missing TOPIC"},
		{"subscribe without topic", append(url, "subscribe"), "exactly one TOPIC"},
		{"subscribe two topics", append(url, "subscribe", "a.b", "c.d"), "exactly one TOPIC"},
		{"subscribe bad match", append(url, "subscribe", "a.b", "--match", "regex"), `--match "regex"`},
		{"subscribe negative count", append(url, "subscribe", "a.b", "--count", "-2"), "--count"},
		{"register neither", append(url, "register", "com.x"), "either --echo or -- COMMAND"},
		{"register both", append(url, "register", "com.x", "--echo", "--", "cat"), "either --echo or -- COMMAND"},
		{"register empty command", append(url, "register", "com.x", "--"), "either --echo or -- COMMAND"},
		{"register no PROC", append(url, "register", "--echo"), "exactly one PROC"},
		{"register zero concurrency", append(url, "register", "com.x", "--echo", "--concurrency", "0"), "--concurrency"},
		{"meta nothing", append(url, "meta"), "usage: wampgo meta"},
		{"meta unknown", append(url, "meta", "calls"), "usage: wampgo meta"},
		{"meta session without id", append(url, "meta", "session"), "usage: wampgo meta"},
		{"meta session bad id", append(url, "meta", "session", "abc"), "not a session id"},
		{"meta session zero", append(url, "meta", "session", "0"), "not a session id"},
		{"probe with argument", append(url, "probe", "extra"), "no arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runCLI(t, nil, "", tc.args...)
			res.want(t, 2, "")
			if !strings.Contains(res.stderr, tc.stderr) {
				t.Fatalf("stderr %q does not contain %q", res.stderr, tc.stderr)
			}
		})
	}
}

func TestHelpExitsZero(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--help"}, {"call", "-h"}, {"register", "--help"}} {
		res := runCLI(t, nil, "", args...)
		res.want(t, 0, "")
		if !strings.Contains(res.stderr, "usage: wampgo") {
			t.Fatalf("%q: stderr %q", args, res.stderr)
		}
	}
	// The global usage lists every command and the exit statuses.
	res := runCLI(t, nil, "", "-h")
	for _, s := range []string{"call PROC", "publish TOPIC", "subscribe TOPIC", "register PROC", "meta sessions", "probe", "-url", "-verbose", "exit status"} {
		if !strings.Contains(res.stderr, s) {
			t.Errorf("usage lacks %q:\n%s", s, res.stderr)
		}
	}
}

func TestConnectionFailuresExitThree(t *testing.T) {
	k := newKit(t, wamptest.WithoutAnonymous(), wamptestNoAnonymousUser())
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"nothing listens ws", []string{"--url", "ws://127.0.0.1:1/ws"}},
		{"nothing listens rs", []string{"--url", "rs://127.0.0.1:1"}},
		{"no unix socket", []string{"--url", "unix:///nonexistent/wampgo.sock"}},
		{"every url fails", []string{"--url", "ws://127.0.0.1:1/ws, rs://127.0.0.1:1"}},
		{"anonymous refused", []string{"--url", k.ws}},
		{"wrong ticket", []string{"--url", k.rs, "--authid", "alice", "--ticket", "wrong"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := runCLI(t, nil, "", append(tc.args, "call", "com.test.x")...)
			res.want(t, 3, "")
			if !strings.HasPrefix(res.stderr, "wampgo: ") {
				t.Fatalf("stderr %q", res.stderr)
			}
		})
	}
}

func TestFailoverTriesURLsInTurn(t *testing.T) {
	k := newKit(t)
	echo(t, k.r.Client(t, "realm1"), "com.test.echo")
	runCLI(t, nil, "", "--url", "ws://127.0.0.1:1/ws,"+k.rs, "call", "com.test.echo", "ok").
		want(t, 0, lines(`{"args":["ok"]}`))
}
