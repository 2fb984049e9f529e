package client_test

import (
	"context"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestClientLinksNoAuthCrypto checks that importing client does not import
// package auth or e2ee, nor their dependencies (golang.org/x/crypto,
// SASLprep): client defines the interfaces (Authenticator, KeyRing) and
// those packages implement them. It asks the go command for the package's
// dependencies, as a user's build would see them.
func TestClientLinksNoAuthCrypto(t *testing.T) {
	gocmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to list the dependencies: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, gocmd, "list", "-deps", "-f", "{{.ImportPath}}", ".")
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("go list -deps: %v\n%s", err, stderr)
	}
	deps := strings.Fields(string(out))
	if len(deps) == 0 || deps[len(deps)-1] != "github.com/wampgo/wampgo/client" {
		t.Fatalf("go list -deps did not list package client last: %q", deps)
	}
	forbidden := []string{
		"golang.org/x/crypto/", // not vendor/golang.org/x/crypto/...: the standard library's own copy
		"github.com/xdg-go/stringprep",
		"github.com/wampgo/wampgo/client/auth",
		"github.com/wampgo/wampgo/client/e2ee",
	}
	for _, d := range deps {
		for _, f := range forbidden {
			if strings.HasPrefix(d, f) {
				t.Errorf("package client imports %s", d)
			}
		}
	}
}
