//go:build !unix

package routertest

import "os/exec"

func setProcAttr(cmd *exec.Cmd) {}
