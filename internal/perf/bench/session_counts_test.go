package bench

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// sessionCounts returns the session counts a benchmark runs with: the
// comma-separated list in the environment variable env, or 1000 when it
// is unset. A value that is not a positive count fails tb.
func sessionCounts(tb testing.TB, env string) []int {
	v := os.Getenv(env)
	if v == "" {
		return []int{1000}
	}
	var ns []int
	for _, f := range strings.Split(v, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n <= 0 {
			tb.Fatalf("%s: %q is not a positive count", env, f)
		}
		ns = append(ns, n)
	}
	return ns
}
