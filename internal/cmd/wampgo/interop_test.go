package main

import (
	"context"
	"encoding/json"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/routertest"
	"github.com/wampgo/wampgo/protocol"
)

// These tests run wampgo against fox-wamp (testdata/router), started by
// internal/testkit/routertest: skipped when node or the npm packages are missing,
// failed instead when CI is set. fox-wamp speaks WebSocket and JSON only.

// foxClient joins a client of the test's own to fox-wamp.
func foxClient(t *testing.T, url string) *client.Client {
	t.Helper()
	c, err := client.Dial(t.Context(), url, "realm1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		c.Close(ctx)
	})
	return c
}

func TestInteropFoxWamp(t *testing.T) {
	r := routertest.Start(t)
	url := r.URL()
	c := foxClient(t, url)
	echo(t, c, "com.test.echo")
	if _, err := c.Register(t.Context(), "com.test.countdown", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		for i := int64(2); i > 0; i-- {
			if err := inv.SendProgress(ctx, protocol.List{i}, nil); err != nil {
				return client.Result{}, err
			}
		}
		return client.Result{Args: protocol.List{"liftoff"}}, nil
	}); err != nil {
		t.Fatal(err)
	}

	t.Run("call", func(t *testing.T) {
		runCLI(t, nil, "", "--url", url, "call", "com.test.echo", "1", `"two"`, `{"a":3}`, "hello", "-k", "n=7").
			want(t, 0, lines(`{"args":[1,"two",{"a":3},"hello"],"kwargs":{"n":7}}`))
	})
	t.Run("progressive results", func(t *testing.T) {
		runCLI(t, nil, "", "--url", url, "call", "com.test.countdown").want(t, 0, lines(
			`{"args":[2],"details":{"progress":true}}`,
			`{"args":[1],"details":{"progress":true}}`,
			`{"args":["liftoff"]}`))
	})
	t.Run("error", func(t *testing.T) {
		res := runCLI(t, nil, "", "--url", url, "call", "com.test.nobody")
		res.want(t, 1, "")
		if !strings.HasPrefix(res.stderr, "wampgo: ERROR wamp.error.no_such_procedure") {
			t.Fatalf("stderr %q", res.stderr)
		}
	})
	t.Run("publish and subscribe", func(t *testing.T) {
		p := start(t, nil, "", "--url", url, "subscribe", "com.test.news", "--count", "1")
		p.waitStderr(t, "wampgo: subscribed com.test.news")
		res := runCLI(t, nil, "", "--url", url, "publish", "com.test.news", "hi", "-k", "n=1", "--acknowledge")
		if res.code != 0 || !strings.HasPrefix(res.stdout, `{"publication":`) {
			t.Fatalf("publish: %+v", res)
		}
		got := p.wait(t)
		ls := parseLines(t, got.stdout)
		if got.code != 0 || len(ls) != 1 || jsonLine(ls[0]["args"]) != `["hi"]` || jsonLine(ls[0]["kwargs"]) != `{"n":1}` {
			t.Fatalf("subscribe: %+v", got)
		}
	})
	t.Run("register echo", func(t *testing.T) {
		p := start(t, nil, "", "--url", url, "register", "com.test.cli_echo", "--echo")
		p.waitStderr(t, "wampgo: registered com.test.cli_echo")
		// (Not a single list argument: fox-wamp unwraps [[1,2]] into
		// [1,2], QUIRKS.md.)
		runCLI(t, nil, "", "--url", url, "call", "com.test.cli_echo", "[1,2]", "x", "-k", "k=v").
			want(t, 0, lines(`{"args":[[1,2],"x"],"kwargs":{"k":"v"}}`))
		p.signal(t, syscall.SIGINT)
		if res := p.wait(t); res.code != 0 {
			t.Fatalf("exit %d: %s", res.code, res.stderr)
		}
	})
	t.Run("register command", func(t *testing.T) {
		p := start(t, nil, "", "--url", url, "register", "com.test.cli_cmd", "--", "sh", "-c", "echo boom >&2; exit 1")
		p.waitStderr(t, "wampgo: registered com.test.cli_cmd")
		res := runCLI(t, nil, "", "--url", url, "call", "com.test.cli_cmd")
		res.want(t, 1, "")
		// fox-wamp turns a callee's ERROR into wamp.error.callee_failure
		// with the original URI as the only argument (QUIRKS.md).
		if res.stderr != "wampgo: ERROR wamp.error.callee_failure {\"args\":[\"wamp.error.runtime_error\"]}\n" &&
			!strings.HasPrefix(res.stderr, "wampgo: ERROR wamp.error.runtime_error {\"args\":[\"boom\"]}") {
			t.Fatalf("stderr %q", res.stderr)
		}
		p.signal(t, syscall.SIGINT)
		p.wait(t)
	})
	t.Run("meta sessions", func(t *testing.T) {
		res := runCLI(t, nil, "", "--url", url, "meta", "sessions")
		if res.code != 0 {
			t.Fatalf("exit %d: %s", res.code, res.stderr)
		}
		found := false
		for _, l := range parseLines(t, res.stdout) {
			if jsonLine(l["session"]) == jsonLine(c.Session().ID) {
				found = true
			}
		}
		if !found {
			t.Fatalf("session %d not listed:\n%s", c.Session().ID, res.stdout)
		}
	})
	t.Run("probe", func(t *testing.T) {
		res := runCLI(t, nil, "", "--url", url, "probe")
		var rep probeReport
		if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil || res.code != 0 {
			t.Fatalf("exit %d, %v: %s %s", res.code, err, res.stdout, res.stderr)
		}
		if rep.Serializers["json"] != "ok" || rep.Serializers["cbor"] == "ok" || rep.Serializers["msgpack"] == "ok" ||
			rep.Session == nil || rep.Session.Serializer != "json" || len(rep.Roles["dealer"]) == 0 {
			t.Fatalf("report %s", res.stdout)
		}
	})
}

func TestInteropFoxWampTicket(t *testing.T) {
	r := routertest.StartWithOptions(t, routertest.Options{
		Auth: `{"ticket": {"alice": {"ticket": "` + ticketSecret + `", "role": "user"}}}`,
	})
	res := runCLI(t, []string{"WAMPGO_TICKET=" + ticketSecret}, "", "--url", r.URL(), "--authid", "alice", "--verbose", "probe")
	var rep probeReport
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil || res.code != 0 ||
		rep.Session == nil || rep.Session.AuthID != "alice" || rep.Session.AuthMethod != "ticket" {
		t.Fatalf("exit %d, %v: %s %s", res.code, err, res.stdout, res.stderr)
	}
	noSecrets(t, res, []string{ticketSecret})
	res = runCLI(t, nil, "", "--url", r.URL(), "--authid", "alice", "--ticket", wrongSecret, "--verbose", "call", "com.test.x")
	res.want(t, 3, "")
	noSecrets(t, res, []string{ticketSecret, wrongSecret})
}
