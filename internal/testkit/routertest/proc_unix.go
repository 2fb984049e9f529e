//go:build unix

package routertest

import (
	"os/exec"
	"syscall"
)

// setProcAttr puts the child in its own process group, so a Ctrl-C meant
// for `go test` does not reach it directly; the test's cleanup (or, if the
// test binary dies, the end of the child's stdin) stops it instead.
func setProcAttr(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
