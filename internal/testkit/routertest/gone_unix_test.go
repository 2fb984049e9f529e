//go:build unix

package routertest

import (
	"errors"
	"syscall"
	"testing"
)

// requireGone checks that no process with pid exists any more: it was
// stopped and reaped (a zombie would still answer signal 0).
func requireGone(t *testing.T, pid int) {
	t.Helper()
	if pid <= 0 {
		t.Fatalf("bad pid %d", pid)
	}
	err := syscall.Kill(pid, 0)
	if !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("process %d still exists (kill -0: %v)", pid, err)
	}
}
