package main

import (
	"strings"
	"testing"

	"go.uber.org/goleak"

	"github.com/wampgo/wampgo/internal/testkit/routertest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestDemo runs what `make demo` runs and checks the story it tells.
func TestDemo(t *testing.T) {
	routertest.RequireNode(t) // skips locally, fails under CI, without the router
	var out strings.Builder
	if err := run(&out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"rpc: progressive result [5]", "rpc: progressive result [1]", "rpc: final result [liftoff]",
		"rpc: a bad start is an error", "acknowledged as publication", "b/only", "a/second", "demo: done",
	} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("demo output lacks %q:\n%s", want, out.String())
		}
	}
}
