package routertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
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
	ctx, cancel := context.WithTimeout(context.Background(), DefaultNodeTimeout)
	defer cancel()
	return runScript(ctx, t, RequirePython(t), "python", script, args)
}

// StartPython starts a Python peer script in the background, like
// StartNode; the process is stopped when the test ends.
func StartPython(t testing.TB, script string, args ...string) *NodeProc {
	t.Helper()
	return startScript(t, RequirePython(t), "python", script, args)
}
