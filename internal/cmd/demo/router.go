package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// router is the fox-wamp process the demo runs.
type router struct {
	cmd *exec.Cmd
	url string
}

// startRouter runs node testdata/router/server.js on a free loopback port
// and waits for its READY line.
func startRouter(ctx context.Context) (*router, error) {
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(root, "testdata", "router")
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "fox-wamp")); err != nil {
		return nil, errors.New("fox-wamp is not installed: run `make router` first")
	}
	cmd := exec.Command("node", filepath.Join(dir, "server.js"), "0")
	cmd.Stderr = nil
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting node: %w", err)
	}
	r := &router{cmd: cmd}
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if port, ok := strings.CutPrefix(sc.Text(), "READY "); ok {
				ready <- port
				return
			}
		}
		close(ready)
	}()
	select {
	case port, ok := <-ready:
		if !ok {
			r.stop()
			return nil, errors.New("router exited before it was ready")
		}
		r.url = "ws://127.0.0.1:" + port + "/ws"
		return r, nil
	case <-ctx.Done():
		r.stop()
		return nil, fmt.Errorf("waiting for the router: %w", ctx.Err())
	}
}

// stop ends the router with SIGTERM, then SIGKILL after a grace period.
func (r *router) stop() {
	r.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { r.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		r.cmd.Process.Kill()
		<-done
	}
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("go.mod not found above the working directory")
		}
		dir = parent
	}
}
