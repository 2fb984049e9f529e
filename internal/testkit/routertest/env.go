package routertest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// RepoRoot returns the repository root: the nearest directory at or above
// the test's working directory that holds a go.mod file.
func RepoRoot(t testing.TB) string {
	t.Helper()
	root, err := findRepoRoot()
	if err != nil {
		t.Fatalf("routertest: %v", err)
	}
	return root
}

func findRepoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("working directory: %w", err)
	}
	for {
		if fi, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil && !fi.IsDir() {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod found above the working directory")
		}
		dir = parent
	}
}

// RouterDir returns testdata/router in the repository.
func RouterDir(t testing.TB) string {
	t.Helper()
	return filepath.Join(RepoRoot(t), "testdata", "router")
}

// PeersDir returns testdata/peers in the repository.
func PeersDir(t testing.TB) string {
	t.Helper()
	return filepath.Join(RepoRoot(t), "testdata", "peers")
}

// requiredModules are the npm packages the router and the peers load.
var requiredModules = []string{"fox-wamp", "autobahn", "wampy", "ws"}

// checkNode reports why the router or the peers cannot run here, if they
// cannot: node missing from PATH, or the npm packages not installed.
func checkNode(root string) (node string, problem string) {
	node, err := exec.LookPath("node")
	if err != nil {
		return "", "node is not on PATH"
	}
	modules := filepath.Join(root, "testdata", "router", "node_modules")
	for _, m := range requiredModules {
		if _, err := os.Stat(filepath.Join(modules, m, "package.json")); err != nil {
			return "", fmt.Sprintf("npm package %s is not installed in %s", m, modules)
		}
	}
	return node, ""
}

// RequireNode returns the path of the node binary after checking that node
// and the npm packages under testdata/router/node_modules are present. If
// they are not, the test is skipped, or fails when $CI is set.
func RequireNode(t testing.TB) string {
	t.Helper()
	node, problem := checkNode(RepoRoot(t))
	if problem != "" {
		unavailable(t, problem)
	}
	return node
}

func unavailable(t testing.TB, problem string) {
	t.Helper()
	if os.Getenv("CI") != "" {
		t.Fatalf("routertest: %s; CI is set, so this is an error rather than a skip (run `make router`)", problem)
	}
	t.Skipf("routertest: %s; run `make router` to install the test router and peers", problem)
}
