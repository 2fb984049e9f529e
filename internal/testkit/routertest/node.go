package routertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// DefaultNodeTimeout bounds RunNode.
const DefaultNodeTimeout = 60 * time.Second

// nodeStopGrace is how long a peer gets after SIGTERM before SIGKILL.
const nodeStopGrace = 3 * time.Second

// Line is one JSON object printed by a peer script (one per stdout line).
// Numbers are json.Number, so 53-bit WAMP IDs stay exact.
type Line map[string]any

// Type is the line's "type" field ("ready", "result", "event", ...).
func (l Line) Type() string {
	s, _ := l["type"].(string)
	return s
}

// NodeResult is the outcome of a node script run by RunNode.
type NodeResult struct {
	Script   string
	Args     []string
	Stdout   string
	Stderr   string
	ExitCode int  // -1 when ended by a signal
	TimedOut bool // the context ended before the script did
	Duration time.Duration
}

// Lines returns the non-empty stdout lines.
func (r *NodeResult) Lines() []string {
	var out []string
	for _, l := range strings.Split(r.Stdout, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// JSON decodes every stdout line as a JSON object, failing the test on a
// line that is not one.
func (r *NodeResult) JSON(t testing.TB) []Line {
	t.Helper()
	lines, err := decodeLines(r.Lines())
	if err != nil {
		t.Fatalf("routertest: %s: %v\n%s", r.Script, err, r)
	}
	return lines
}

// OfType returns the decoded stdout lines whose "type" is typ.
func (r *NodeResult) OfType(t testing.TB, typ string) []Line {
	t.Helper()
	var out []Line
	for _, l := range r.JSON(t) {
		if l.Type() == typ {
			out = append(out, l)
		}
	}
	return out
}

// RequireExit fails the test unless the script exited with code (and did
// not time out).
func (r *NodeResult) RequireExit(t testing.TB, code int) {
	t.Helper()
	if r.TimedOut || r.ExitCode != code {
		t.Fatalf("routertest: %s: want exit code %d\n%s", r.Script, code, r)
	}
}

// String describes the run, with its output, for failure messages.
func (r *NodeResult) String() string {
	status := fmt.Sprintf("exit code %d", r.ExitCode)
	if r.TimedOut {
		status = "timed out"
	}
	return fmt.Sprintf("node %s %s: %s after %v\nstdout:\n%s\nstderr:\n%s",
		r.Script, strings.Join(r.Args, " "), status, r.Duration.Round(time.Millisecond), r.Stdout, r.Stderr)
}

func decodeLines(raw []string) ([]Line, error) {
	out := make([]Line, 0, len(raw))
	for _, s := range raw {
		l, err := decodeLine(s)
		if err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, nil
}

func decodeLine(s string) (Line, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var l Line
	if err := dec.Decode(&l); err != nil {
		return nil, fmt.Errorf("stdout line %q is not a JSON object: %w", s, err)
	}
	return l, nil
}

// ScriptPath resolves a peer script name: absolute paths are kept, other
// names are looked up in testdata/peers and then relative to the
// repository root.
func ScriptPath(t testing.TB, script string) string {
	t.Helper()
	if filepath.IsAbs(script) {
		return script
	}
	root := RepoRoot(t)
	for _, p := range []string{
		filepath.Join(root, "testdata", "peers", script),
		filepath.Join(root, script),
	} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Fatalf("routertest: script %s not found in testdata/peers or the repository root", script)
	return ""
}

// RunNode runs a peer script (see ScriptPath) with node until it exits, for
// at most DefaultNodeTimeout, and returns its output. It does not judge the
// result; use RequireExit, JSON and OfType. Like Start, it skips the test
// when node or the npm packages are missing (fails when $CI is set).
func RunNode(t testing.TB, script string, args ...string) *NodeResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), DefaultNodeTimeout)
	defer cancel()
	return RunNodeContext(ctx, t, script, args...)
}

// RunNodeContext is RunNode with a context bounding the run: when it ends,
// the script is stopped (SIGTERM, then SIGKILL) and TimedOut is set.
func RunNodeContext(ctx context.Context, t testing.TB, script string, args ...string) *NodeResult {
	t.Helper()
	return runScript(ctx, t, RequireNode(t), "node", script, args)
}

// runScript runs script with the interpreter at path bin (kind names it in
// failures) until it exits or ctx ends, and collects its result.
func runScript(ctx context.Context, t testing.TB, bin, kind, script string, args []string) *NodeResult {
	t.Helper()
	path := ScriptPath(t, script)
	start := time.Now()
	p, err := startProc(bin, append([]string{path}, args...), filepath.Dir(path), nil, nil)
	if err != nil {
		t.Fatalf("routertest: start %s %s: %v", kind, script, err)
	}
	res := &NodeResult{Script: script, Args: args}
	select {
	case <-p.done:
	case <-ctx.Done():
		res.TimedOut = true
		p.stop(nodeStopGrace)
	}
	p.stdin.Close()
	res.Duration = time.Since(start)
	res.ExitCode = p.exitCode()
	res.Stdout = p.stdout.String()
	res.Stderr = p.stderr.String()
	return res
}

// NodeProc is a peer script running in the background (see StartNode).
type NodeProc struct {
	t      testing.TB
	script string
	args   []string
	p      *proc

	mu   sync.Mutex
	next int // index of the first stdout line WaitFor has not consumed
}

// StartNode starts a peer script (see ScriptPath) in the background, for
// long-running roles such as callee and subscriber. The process is stopped
// when the test ends; if the test failed, its output is logged.
func StartNode(t testing.TB, script string, args ...string) *NodeProc {
	t.Helper()
	return startScript(t, RequireNode(t), "node", script, args)
}

// startScript starts script with the interpreter at path bin (kind names
// it in failures) in the background; it is stopped when the test ends.
func startScript(t testing.TB, bin, kind, script string, args []string) *NodeProc {
	t.Helper()
	path := ScriptPath(t, script)
	p, err := startProc(bin, append([]string{path}, args...), filepath.Dir(path), nil, nil)
	if err != nil {
		t.Fatalf("routertest: start %s %s: %v", kind, script, err)
	}
	np := &NodeProc{t: t, script: script, args: args, p: p}
	t.Cleanup(func() {
		np.Stop()
		if t.Failed() {
			t.Logf("routertest: %s", np.Result())
		}
	})
	return np
}

// PID is the process ID of the script.
func (n *NodeProc) PID() int { return n.p.pid() }

// Exited reports whether the script has ended.
func (n *NodeProc) Exited() bool { return n.p.exited() }

// WaitFor returns the next stdout JSON line of type typ that an earlier
// WaitFor has not returned, waiting up to timeout. It fails the test if the
// script exits or the time runs out first.
func (n *NodeProc) WaitFor(t testing.TB, typ string, timeout time.Duration) Line {
	t.Helper()
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		lines, changed := n.p.stdout.snapshot()
		n.mu.Lock()
		for i := n.next; i < len(lines); i++ {
			l, err := decodeLine(lines[i])
			if err != nil {
				n.mu.Unlock()
				t.Fatalf("routertest: %s: %v", n.script, err)
			}
			if l.Type() == typ {
				n.next = i + 1
				n.mu.Unlock()
				return l
			}
		}
		n.mu.Unlock()
		select {
		case <-changed:
		case <-n.p.done:
			// Output may have been flushed just before exit: look once more.
			if lines2, _ := n.p.stdout.snapshot(); len(lines2) > len(lines) {
				continue
			}
			t.Fatalf("routertest: %s exited before printing a %q line\n%s", n.script, typ, n.Result())
		case <-timer.C:
			t.Fatalf("routertest: no %q line from %s within %v\n%s", typ, n.script, timeout, n.Result())
		}
	}
}

// WaitReady waits (up to 20s) for the script's "ready" line and returns it.
func (n *NodeProc) WaitReady(t testing.TB) Line {
	t.Helper()
	return n.WaitFor(t, "ready", 20*time.Second)
}

// Stop ends the script (SIGTERM, then SIGKILL after a grace period) and
// waits until it has been reaped. Safe to call more than once.
func (n *NodeProc) Stop() {
	n.p.stop(nodeStopGrace)
}

// Wait waits up to timeout for the script to exit on its own and returns
// its result; on timeout the script is stopped and TimedOut is set.
func (n *NodeProc) Wait(timeout time.Duration) *NodeResult {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	timedOut := false
	select {
	case <-n.p.done:
	case <-timer.C:
		timedOut = true
		n.p.stop(nodeStopGrace)
	}
	res := n.Result()
	res.TimedOut = timedOut
	return res
}

// Result returns the output so far; ExitCode is meaningful only once the
// script has exited (it is -1 while it runs).
func (n *NodeProc) Result() *NodeResult {
	res := &NodeResult{
		Script:   n.script,
		Args:     n.args,
		Stdout:   n.p.stdout.String(),
		Stderr:   n.p.stderr.String(),
		ExitCode: -1,
	}
	if n.p.exited() {
		res.ExitCode = n.p.exitCode()
	}
	return res
}
