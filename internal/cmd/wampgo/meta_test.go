package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/client"
)

// parseLines decodes each line of out as a JSON object.
func parseLines(t *testing.T, out string) []map[string]any {
	t.Helper()
	var ls []map[string]any
	for l := range strings.SplitSeq(strings.TrimSuffix(out, "\n"), "\n") {
		if l == "" {
			continue
		}
		var m map[string]any
		dec := json.NewDecoder(strings.NewReader(l))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Fatalf("%v: %q", err, l)
		}
		ls = append(ls, m)
	}
	return ls
}

func TestMeta(t *testing.T) {
	k := newKit(t)
	c := k.r.Client(t, "realm1")
	echo(t, c, "com.test.meta")
	if _, err := c.Register(t.Context(), "com.test.pre", func(context.Context, *client.Invocation) (client.Result, error) {
		return client.Result{}, nil
	}, client.Match(client.MatchPrefix)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Subscribe(t.Context(), "com.test.topic", func(context.Context, *client.Event) {}); err != nil {
		t.Fatal(err)
	}
	id := fmt.Sprint(c.Session().ID)
	k.transports(t, func(t *testing.T, url string) {
		res := runCLI(t, nil, "", "--url", url, "meta", "sessions")
		if res.code != 0 {
			t.Fatalf("exit %d: %s", res.code, res.stderr)
		}
		// The kit's own client and wampgo's session.
		var sessions []string
		for _, l := range parseLines(t, res.stdout) {
			sessions = append(sessions, fmt.Sprint(l["session"], "/", l["authrole"]))
		}
		if len(sessions) != 2 || !containsString(sessions, id+"/anonymous") {
			t.Fatalf("sessions %v, want %s among 2", sessions, id)
		}

		res = runCLI(t, nil, "", "--url", url, "meta", "registrations")
		var regs []string
		for _, l := range parseLines(t, res.stdout) {
			regs = append(regs, fmt.Sprint(l["uri"], " ", l["match"], " ", l["invoke"], " ", l["callees"]))
		}
		want := []string{"com.test.meta exact single [" + id + "]", "com.test.pre prefix single [" + id + "]"}
		if res.code != 0 || fmt.Sprint(regs) != fmt.Sprint(want) {
			t.Fatalf("exit %d, registrations %q, want %q; stderr %s", res.code, regs, want, res.stderr)
		}

		res = runCLI(t, nil, "", "--url", url, "meta", "subscriptions")
		var subs []string
		for _, l := range parseLines(t, res.stdout) {
			subs = append(subs, fmt.Sprint(l["uri"], " ", l["match"], " ", l["subscribers"]))
		}
		if res.code != 0 || fmt.Sprint(subs) != "[com.test.topic exact ["+id+"]]" {
			t.Fatalf("exit %d, subscriptions %q; stderr %s", res.code, subs, res.stderr)
		}

		res = runCLI(t, nil, "", "--url", url, "meta", "session", id)
		ls := parseLines(t, res.stdout)
		if res.code != 0 || len(ls) != 1 || fmt.Sprint(ls[0]["session"]) != id || ls[0]["authmethod"] != "anonymous" {
			t.Fatalf("exit %d, session %v; stderr %s", res.code, ls, res.stderr)
		}

		res = runCLI(t, nil, "", "--url", url, "meta", "session", "4242")
		res.want(t, 1, "")
		if !strings.HasPrefix(res.stderr, "wampgo: ERROR wamp.error.no_such_session") {
			t.Fatalf("stderr %q", res.stderr)
		}
	})
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestProbe(t *testing.T) {
	k := newKit(t)
	k.transports(t, func(t *testing.T, url string) {
		res := runCLI(t, nil, "", "--url", url+",ws://127.0.0.1:1/ws", "probe")
		if res.code != 0 {
			t.Fatalf("exit %d: %s", res.code, res.stderr)
		}
		var reps []probeReport
		for l := range strings.SplitSeq(strings.TrimSuffix(res.stdout, "\n"), "\n") {
			var rep probeReport
			if err := json.Unmarshal([]byte(l), &rep); err != nil {
				t.Fatalf("%v: %s", err, l)
			}
			reps = append(reps, rep)
		}
		if len(reps) != 2 {
			t.Fatalf("%d reports, want one per URL:\n%s", len(reps), res.stdout)
		}
		ok := reps[0]
		if fmt.Sprint(ok.Serializers) != "map[cbor:ok json:ok msgpack:ok]" || ok.Session == nil ||
			ok.Session.Serializer != "cbor" || ok.Session.AuthMethod != "anonymous" || ok.Session.Realm != "realm1" || ok.Error != "" {
			t.Fatalf("report %s", res.stdout)
		}
		for _, f := range []string{"progressive_call_results", "call_canceling", "progressive_call_invocations"} {
			if !containsString(ok.Roles["dealer"], f) {
				t.Errorf("dealer features %v lack %s", ok.Roles["dealer"], f)
			}
		}
		if !containsString(ok.Roles["broker"], "pattern_based_subscription") {
			t.Errorf("broker features %v", ok.Roles["broker"])
		}
		if bad := reps[1]; bad.Error == "" || bad.Session != nil || len(bad.Serializers) != 3 || bad.Serializers["json"] == "ok" {
			t.Fatalf("report of a dead URL %+v", bad)
		}
		// One serializer only.
		res = runCLI(t, nil, "", "--url", url, "--serializer", "json", "probe")
		var rep probeReport
		if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil || res.code != 0 ||
			fmt.Sprint(rep.Serializers) != "map[json:ok]" || rep.Session.Serializer != "json" {
			t.Fatalf("exit %d, %s %s", res.code, res.stdout, res.stderr)
		}
	})
	// No URL works: exit status 3, with the report.
	res := runCLI(t, nil, "", "--url", "rs://127.0.0.1:1", "probe")
	if res.code != 3 || !strings.Contains(res.stdout, `"error"`) {
		t.Fatalf("exit %d, %s %s", res.code, res.stdout, res.stderr)
	}
}
