package routertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
)

const realm = "peers"

// args returns a line's "args" as plain Go values for comparison.
func args(t *testing.T, l Line) []any {
	t.Helper()
	raw, err := json.Marshal(l["args"])
	if err != nil {
		t.Fatal(err)
	}
	var out []any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("args %s: %v", raw, err)
	}
	return out
}

func requireArgs(t *testing.T, l Line, want ...any) {
	t.Helper()
	if got := args(t, l); !reflect.DeepEqual(got, want) {
		t.Fatalf("%s line args = %#v, want %#v (line %v)", l.Type(), got, want, l)
	}
}

func startCallee(t *testing.T, r *Router, script string) *NodeProc {
	t.Helper()
	callee := StartNode(t, script, r.URL(), realm, "callee")
	ready := callee.WaitReady(t)
	if _, ok := ready["session"].(json.Number); !ok {
		t.Fatalf("ready line without a session id: %v", ready)
	}
	return callee
}

func TestAutobahnCallerCallee(t *testing.T) {
	r := Start(t)
	callee := startCallee(t, r, "autobahn_peer.js")

	res := RunNode(t, "autobahn_peer.js", r.URL(), realm, "caller", "com.peer.add2", "2", "3")
	res.RequireExit(t, 0)
	lines := res.JSON(t)
	if len(lines) != 1 || lines[0].Type() != "result" {
		t.Fatalf("want one result line:\n%s", res)
	}
	requireArgs(t, lines[0], 5.0)

	inv := callee.WaitFor(t, "invocation", 5*time.Second)
	if inv["procedure"] != "com.peer.add2" {
		t.Fatalf("invocation = %v", inv)
	}
	requireArgs(t, inv, 2.0, 3.0)
}

func TestAutobahnProgressiveResults(t *testing.T) {
	r := Start(t)
	startCallee(t, r, "autobahn_peer.js")

	res := RunNode(t, "autobahn_peer.js", r.URL(), realm, "caller", "com.peer.progress", "3")
	res.RequireExit(t, 0)
	lines := res.JSON(t)
	if len(lines) != 4 {
		t.Fatalf("want 3 progress lines and a result:\n%s", res)
	}
	for i := 0; i < 3; i++ {
		if lines[i].Type() != "progress" {
			t.Fatalf("line %d is %q, want progress:\n%s", i, lines[i].Type(), res)
		}
		requireArgs(t, lines[i], float64(i+1))
	}
	if lines[3].Type() != "result" {
		t.Fatalf("last line is %q, want result:\n%s", lines[3].Type(), res)
	}
	requireArgs(t, lines[3], 3.0)

	// Without receive_progress the callee sends only the final result.
	res = RunNode(t, "autobahn_peer.js", r.URL(), realm, "caller", "com.peer.progress", "3", "--no-progress")
	res.RequireExit(t, 0)
	if got := len(res.OfType(t, "progress")); got != 0 {
		t.Fatalf("%d progress lines without receive_progress:\n%s", got, res)
	}
}

func TestAutobahnErrors(t *testing.T) {
	r := Start(t)
	startCallee(t, r, "autobahn_peer.js")

	// fox-wamp replaces the callee's error with wamp.error.callee_failure
	// and passes the original error URI as the only argument.
	res := RunNode(t, "autobahn_peer.js", r.URL(), realm, "caller", "com.peer.fail")
	res.RequireExit(t, 1)
	errs := res.OfType(t, "error")
	if len(errs) != 1 || errs[0]["error"] != "wamp.error.callee_failure" {
		t.Fatalf("want one callee_failure error line:\n%s", res)
	}
	requireArgs(t, errs[0], "com.peer.error")

	res = RunNode(t, "autobahn_peer.js", r.URL(), realm, "caller", "com.peer.missing")
	res.RequireExit(t, 1)
	errs = res.OfType(t, "error")
	if len(errs) != 1 || errs[0]["error"] != "wamp.error.no_such_procedure" {
		t.Fatalf("want one no_such_procedure error line:\n%s", res)
	}
}

func TestAutobahnPubSub(t *testing.T) {
	r := Start(t)
	sub := StartNode(t, "autobahn_peer.js", r.URL(), realm, "subscriber", "com.peer.topic", "3")
	sub.WaitReady(t)

	pub := RunNode(t, "autobahn_peer.js", r.URL(), realm, "publisher", "com.peer.topic", "3", `"hi"`, "--kwargs", `{"k":1}`)
	pub.RequireExit(t, 0)
	published := pub.OfType(t, "published")
	if len(published) != 3 {
		t.Fatalf("want 3 acknowledged publications:\n%s", pub)
	}

	res := sub.Wait(10 * time.Second)
	res.RequireExit(t, 0)
	events := res.OfType(t, "event")
	if len(events) != 3 {
		t.Fatalf("want 3 events:\n%s", res)
	}
	for i, ev := range events {
		requireArgs(t, ev, float64(i+1), "hi")
		if ev["publication"] != published[i]["publication"] {
			t.Errorf("event %d publication %v, acknowledged as %v", i, ev["publication"], published[i]["publication"])
		}
		if fmt.Sprint(ev["kwargs"]) != "map[k:1]" {
			t.Errorf("event %d kwargs = %v", i, ev["kwargs"])
		}
	}
}

func TestWampyPeer(t *testing.T) {
	r := Start(t)
	startCallee(t, r, "wampy_peer.js")

	res := RunNode(t, "wampy_peer.js", r.URL(), realm, "caller", "com.peer.progress", "2")
	res.RequireExit(t, 0)
	lines := res.JSON(t)
	if len(lines) != 3 || lines[0].Type() != "progress" || lines[2].Type() != "result" {
		t.Fatalf("want 2 progress lines and a result:\n%s", res)
	}
	requireArgs(t, lines[2], 2.0)

	// autobahn calling the wampy callee
	res = RunNode(t, "autobahn_peer.js", r.URL(), realm, "caller", "com.peer.add2", "20", "22")
	res.RequireExit(t, 0)
	requireArgs(t, res.OfType(t, "result")[0], 42.0)
}

func TestRunNodeContextTimeout(t *testing.T) {
	r := Start(t)
	startCallee(t, r, "autobahn_peer.js")
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	res := RunNodeContext(ctx, t, "autobahn_peer.js", r.URL(), realm, "caller", "com.peer.slow", "10000")
	if !res.TimedOut {
		t.Fatalf("want a timeout:\n%s", res)
	}
	if res.Duration > 5*time.Second {
		t.Fatalf("stopping the script took %v", res.Duration)
	}
}

func TestPeerCannotConnect(t *testing.T) {
	RequireNode(t)
	res := RunNode(t, "autobahn_peer.js", "ws://127.0.0.1:1/ws", realm, "caller", "x")
	res.RequireExit(t, 2)
	if f := res.OfType(t, "fatal"); len(f) != 1 || !strings.Contains(fmt.Sprint(f[0]["message"]), "could not connect") {
		t.Fatalf("want a fatal line:\n%s", res)
	}
}

func TestNodeProcStopReaps(t *testing.T) {
	r := Start(t)
	callee := startCallee(t, r, "autobahn_peer.js")
	pid := callee.PID()
	callee.Stop()
	if !callee.Exited() {
		t.Fatal("callee not exited after Stop")
	}
	requireGone(t, pid)
}

// fakeTB records Fatalf/Skipf and stops the calling function, standing in
// for *testing.T where the real one would end the test.
type fakeTB struct {
	testing.TB
	fatal, skip string
}

type stopNow struct{}

func (f *fakeTB) Helper() {}
func (f *fakeTB) Fatalf(format string, a ...any) {
	f.fatal = fmt.Sprintf(format, a...)
	panic(stopNow{})
}
func (f *fakeTB) Skipf(format string, a ...any) {
	f.skip = fmt.Sprintf(format, a...)
	panic(stopNow{})
}

func runFake(t *testing.T, fn func(tb testing.TB)) *fakeTB {
	f := &fakeTB{TB: t}
	func() {
		defer func() {
			if v := recover(); v != nil {
				if _, ok := v.(stopNow); !ok {
					panic(v)
				}
			}
		}()
		fn(f)
	}()
	return f
}

func TestMissingNodeSkipsOrFails(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no node here

	t.Setenv("CI", "")
	f := runFake(t, func(tb testing.TB) { Start(tb) })
	if f.skip == "" || f.fatal != "" || !strings.Contains(f.skip, "make router") {
		t.Fatalf("without CI: skip=%q fatal=%q; want a skip mentioning make router", f.skip, f.fatal)
	}

	t.Setenv("CI", "true")
	f = runFake(t, func(tb testing.TB) { RunNode(tb, "autobahn_peer.js") })
	if f.fatal == "" || f.skip != "" {
		t.Fatalf("with CI: skip=%q fatal=%q; want a failure", f.skip, f.fatal)
	}
}

func TestRepoRoot(t *testing.T) {
	root := RepoRoot(t)
	if _, err := os.Stat(root + "/testdata/router/server.js"); err != nil {
		t.Fatalf("RepoRoot() = %s: %v", root, err)
	}
}
