package routertest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// Python is Debian's interpreter, the one python3-autobahn installs into
// (a python3 earlier on PATH, such as a pyenv shim, may lack it).
const Python = "/usr/bin/python3"

// RequirePython returns Python after checking that Autobahn|Python
// (asyncio flavour) imports there. If it does not, the test is skipped, or
// fails when $CI is set.
func RequirePython(t testing.TB) string {
	t.Helper()
	if err := exec.Command(Python, "-c", "import autobahn.asyncio.wamp").Run(); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("routertest: Autobahn|Python is not available under %s (%v); CI is set, so this is an error rather than a skip (apt-get install python3-autobahn)", Python, err)
		}
		t.Skipf("routertest: Autobahn|Python is not available under %s (%v); apt-get install python3-autobahn", Python, err)
	}
	return Python
}

// RunPython runs a Python peer script (see ScriptPath) to completion, like
// RunNode, and returns its result.
func RunPython(t testing.TB, script string, args ...string) *NodeResult {
	t.Helper()
	python := RequirePython(t)
	path := ScriptPath(t, script)
	ctx, cancel := context.WithTimeout(context.Background(), DefaultNodeTimeout)
	defer cancel()
	start := time.Now()
	p, err := startProc(python, append([]string{path}, args...), filepath.Dir(path), nil, nil)
	if err != nil {
		t.Fatalf("routertest: start python %s: %v", script, err)
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

// StartPython starts a Python peer script in the background, like
// StartNode; the process is stopped when the test ends.
func StartPython(t testing.TB, script string, args ...string) *NodeProc {
	t.Helper()
	python := RequirePython(t)
	path := ScriptPath(t, script)
	p, err := startProc(python, append([]string{path}, args...), filepath.Dir(path), nil, nil)
	if err != nil {
		t.Fatalf("routertest: start python %s: %v", script, err)
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
