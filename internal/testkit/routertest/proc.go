package routertest

import (
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// stdinEOFEnv tells the scripts to exit when their stdin reaches EOF. We
// hold the write end of that pipe for the life of the process, so EOF only
// happens when we close it or when the test binary dies.
const stdinEOFEnv = "WAMPGO_EXIT_ON_STDIN_EOF=1"

// proc is one child process with its output captured.
type proc struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	done  chan struct{} // closed once the process has been reaped
	err   error         // result of cmd.Wait, valid after done

	stdout *lineWriter
	stderr *lineWriter
}

// startProc starts name with args in dir. onStdout, if not nil, sees every
// complete stdout line as it arrives.
func startProc(name string, args []string, dir string, env []string, onStdout func(string)) (*proc, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), env...), stdinEOFEnv)
	setProcAttr(cmd)
	// If the process exits but something still holds its output pipes,
	// give up on them instead of hanging the test.
	cmd.WaitDelay = 2 * time.Second

	p := &proc{
		cmd:    cmd,
		done:   make(chan struct{}),
		stdout: &lineWriter{onLine: onStdout},
		stderr: &lineWriter{},
	}
	cmd.Stdout = p.stdout
	cmd.Stderr = p.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	p.stdin = stdin
	if err := cmd.Start(); err != nil {
		stdin.Close()
		return nil, err
	}
	go func() {
		p.err = cmd.Wait()
		p.stdout.flush()
		p.stderr.flush()
		close(p.done)
	}()
	return p, nil
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// exitCode is the exit status once the process is gone: -1 when it was
// ended by a signal.
func (p *proc) exitCode() int {
	<-p.done
	return p.cmd.ProcessState.ExitCode()
}

// stop asks the process to end with SIGTERM, sends SIGKILL if it is still
// there after grace, and waits until it has been reaped. It reports whether
// SIGKILL was needed.
func (p *proc) stop(grace time.Duration) (killed bool) {
	if p.exited() {
		return false
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	timer := time.NewTimer(grace)
	defer timer.Stop()
	select {
	case <-p.done:
	case <-timer.C:
		killed = true
		_ = p.cmd.Process.Kill()
		<-p.done
	}
	p.stdin.Close()
	return killed
}

// kill sends SIGKILL and waits until the process has been reaped.
func (p *proc) kill() {
	if !p.exited() {
		_ = p.cmd.Process.Kill()
	}
	<-p.done
	p.stdin.Close()
}

// waitErr describes how the process ended, for messages.
func (p *proc) waitErr() string {
	<-p.done
	var ee *exec.ExitError
	if p.err == nil {
		return "exit status 0"
	}
	if errors.As(p.err, &ee) {
		return ee.Error()
	}
	return p.err.Error()
}

// lineWriter collects output and splits it into lines.
type lineWriter struct {
	mu      sync.Mutex
	buf     bytes.Buffer // everything written
	partial []byte       // current incomplete line
	lines   []string
	changed chan struct{} // closed and replaced whenever a line is added
	onLine  func(string)
}

func (w *lineWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	w.buf.Write(b)
	w.partial = append(w.partial, b...)
	var complete []string
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		line := strings.TrimRight(string(w.partial[:i]), "\r")
		w.partial = w.partial[i+1:]
		complete = append(complete, line)
	}
	w.addLocked(complete)
	w.mu.Unlock()
	if w.onLine != nil {
		for _, l := range complete {
			w.onLine(l)
		}
	}
	return len(b), nil
}

// flush turns a trailing line without a newline into a line.
func (w *lineWriter) flush() {
	w.mu.Lock()
	var rest []string
	if len(w.partial) > 0 {
		rest = []string{string(w.partial)}
		w.partial = nil
	}
	w.addLocked(rest)
	w.mu.Unlock()
	if w.onLine != nil {
		for _, l := range rest {
			w.onLine(l)
		}
	}
}

func (w *lineWriter) addLocked(lines []string) {
	if len(lines) == 0 {
		return
	}
	w.lines = append(w.lines, lines...)
	if w.changed != nil {
		close(w.changed)
		w.changed = nil
	}
}

// snapshot returns the lines so far and a channel closed when more arrive.
func (w *lineWriter) snapshot() ([]string, <-chan struct{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.changed == nil {
		w.changed = make(chan struct{})
	}
	return append([]string(nil), w.lines...), w.changed
}

func (w *lineWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}
