package auth_test

// Regenerates the committed test vectors with the independent
// implementations and checks they still produce the same values: a guard
// against vectors edited by hand or generated from different inputs. The
// vector tests themselves (vectors_test.go) only read the files.
//
// autobahn-js needs node and testdata/router/node_modules (`make router`);
// Autobahn|Python needs Debian's python3-autobahn and python3-argon2 under
// /usr/bin/python3. Each part skips when its implementation is missing, and
// fails instead when the CI environment variable is set.

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/wampgo/wampgo/internal/testkit/routertest"
)

func TestAuthVectorsRegenerate(t *testing.T) {
	authDir := filepath.Join(routertest.RepoRoot(t), "testdata", "auth")
	t.Run("autobahn-js", func(t *testing.T) {
		node := routertest.RequireNode(t)
		compareGenerated(t, filepath.Join(authDir, "vectors_autobahn_js.json"),
			node, filepath.Join(authDir, "gen_autobahn_js.js"))
	})
	t.Run("autobahn-py", func(t *testing.T) {
		const python = "/usr/bin/python3"
		probe := exec.Command(python, "-c", "import autobahn.wamp.auth, autobahn.wamp.cryptosign, argon2, nacl")
		if out, err := probe.CombinedOutput(); err != nil {
			msg := "Autobahn|Python is not available (apt-get install -y python3-autobahn python3-argon2): " +
				err.Error() + ": " + string(bytes.TrimSpace(out))
			if os.Getenv("CI") != "" {
				t.Fatal(msg)
			}
			t.Skip(msg)
		}
		compareGenerated(t, filepath.Join(authDir, "vectors_autobahn_py.json"),
			python, filepath.Join(authDir, "gen_autobahn_py.py"))
	})
}

// compareGenerated runs the generator and compares its output with the
// committed file, ignoring the "implementations" versions.
func compareGenerated(t *testing.T, committed string, name string, args ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, stderr.String())
	}
	want, err := os.ReadFile(committed)
	if err != nil {
		t.Fatal(err)
	}
	var got, exp map[string]any
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("generator output: %v", err)
	}
	if err := json.Unmarshal(want, &exp); err != nil {
		t.Fatal(err)
	}
	t.Logf("regenerated with %v", got["implementations"])
	delete(got, "implementations")
	delete(exp, "implementations")
	if !reflect.DeepEqual(got, exp) {
		t.Fatalf("%s differs from what %v generates now", filepath.Base(committed), args)
	}
}
