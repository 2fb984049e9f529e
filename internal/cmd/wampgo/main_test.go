package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wampgo/wampgo/client/wamptest"
)

// These tests run the wampgo binary, built once by TestMain, as a user
// would: against the test kit's router over WebSocket and RawSocket on
// loopback (kit_test.go and the command tests), and against fox-wamp
// (interop_test.go).

// binary is the wampgo command built for this test run.
var binary string

func TestMain(m *testing.M) {
	code := buildAndRun(m)
	os.Exit(code)
}

func buildAndRun(m *testing.M) int {
	dir, err := os.MkdirTemp("", "wampgo-cli-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.RemoveAll(dir)
	binary = filepath.Join(dir, "wampgo")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building wampgo:", err)
		return 1
	}
	code := m.Run()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			return 1
		}
	}
	return code
}

// testTimeout bounds one run of the command; generous for a busy machine.
const testTimeout = 60 * time.Second

// result is the outcome of one run of the command.
type result struct {
	stdout, stderr string
	code           int
}

// wampgoCmd returns an *exec.Cmd running wampgo with args and the extra
// environment variables env (KEY=VALUE); the WAMPGO_ variables of the test's
// own environment are removed, so that they cannot change the outcome.
func wampgoCmd(ctx context.Context, env []string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, binary, args...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "WAMPGO_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// runCLI runs wampgo to its end with stdin and returns its output and exit
// status.
func runCLI(t *testing.T, env []string, stdin string, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	cmd := wampgoCmd(ctx, env, args...)
	var out, errb bytes.Buffer
	cmd.Stdin, cmd.Stdout, cmd.Stderr = strings.NewReader(stdin), &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		code = ee.ExitCode()
	case err != nil:
		t.Fatalf("wampgo %q: %v", args, err)
	}
	return result{out.String(), errb.String(), code}
}

// want checks the exit status and the exact stdout.
func (r result) want(t *testing.T, code int, stdout string) {
	t.Helper()
	if r.code != code || r.stdout != stdout {
		t.Fatalf("exit %d, stdout:\n%s\nstderr:\n%s\nwant exit %d, stdout:\n%s", r.code, r.stdout, r.stderr, code, stdout)
	}
}

// proc is a wampgo process running in the background (subscribe,
// register, a call to interrupt).
type proc struct {
	cmd    *exec.Cmd
	mu     sync.Mutex
	stdout bytes.Buffer
	stderr bytes.Buffer
	lines  chan string // stderr lines, as they come
	done   chan struct{}
	err    error // cmd.Wait's, set before done is closed
}

// start runs wampgo in the background; the process is killed when the test
// ends, if it still runs.
func start(t *testing.T, env []string, stdin string, args ...string) *proc {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), testTimeout)
	p := &proc{cmd: wampgoCmd(ctx, env, args...), lines: make(chan string, 100), done: make(chan struct{})}
	p.cmd.Stdin = strings.NewReader(stdin)
	p.cmd.Stdout = lockedBuffer{&p.mu, &p.stdout}
	errPipe, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		sc := bufio.NewScanner(errPipe)
		for sc.Scan() {
			p.mu.Lock()
			p.stderr.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			select {
			case p.lines <- sc.Text():
			default:
			}
		}
		p.err = p.cmd.Wait()
		cancel()
		close(p.done)
	}()
	t.Cleanup(func() {
		cancel()
		<-p.done
	})
	return p
}

type lockedBuffer struct {
	mu *sync.Mutex
	b  *bytes.Buffer
}

func (l lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// waitStderr waits for a line of stderr that contains s.
func (p *proc) waitStderr(t *testing.T, s string) {
	t.Helper()
	for {
		select {
		case l := <-p.lines:
			if strings.Contains(l, s) {
				return
			}
		case <-p.done:
			t.Fatalf("wampgo exited (%v) before printing %q; stderr:\n%s", p.err, s, p.output().stderr)
		}
	}
}

// signal sends sig to the process.
func (p *proc) signal(t *testing.T, sig syscall.Signal) {
	t.Helper()
	if err := p.cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
}

// wait waits for the process to exit and returns its outcome.
func (p *proc) wait(t *testing.T) result {
	t.Helper()
	<-p.done
	code := 0
	var ee *exec.ExitError
	if errors.As(p.err, &ee) {
		code = ee.ExitCode()
	} else if p.err != nil {
		t.Fatalf("wampgo: %v", p.err)
	}
	r := p.output()
	r.code = code
	return r
}

func (p *proc) output() result {
	p.mu.Lock()
	defer p.mu.Unlock()
	return result{stdout: p.stdout.String(), stderr: p.stderr.String()}
}

// kit is the test kit's router listening on loopback WebSocket and
// RawSocket.
type kit struct {
	r      *wamptest.Router
	ws, rs string
}

func newKit(t *testing.T, opts ...wamptest.Option) *kit {
	t.Helper()
	r := wamptest.NewTestRouter(t, opts...)
	rs, err := r.ListenRawSocket()
	if err != nil {
		t.Fatal(err)
	}
	return &kit{r: r, ws: r.ListenWebSocket().URL(), rs: rs.URL()}
}

// transports runs f once per transport of the kit, in subtests named ws and rs.
func (k *kit) transports(t *testing.T, f func(t *testing.T, url string)) {
	for _, tr := range []struct{ name, url string }{{"ws", k.ws}, {"rs", k.rs}} {
		t.Run(tr.name, func(t *testing.T) { f(t, tr.url) })
	}
}

// lines joins JSON lines into the output they make.
func lines(ls ...string) string {
	if len(ls) == 0 {
		return ""
	}
	return strings.Join(ls, "\n") + "\n"
}
