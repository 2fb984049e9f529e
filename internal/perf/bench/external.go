package bench

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// ExternalEnv is the environment variable that turns a process into the
// external server of StartExternal: the package's TestMain checks it and,
// when it is set, calls ServeExternal instead of running tests.
const ExternalEnv = "WAMPGO_BENCH_EXTERNAL_SERVER"

// ServeExternal runs a Router (every codec) and an EchoServer, writes their
// URLs to out as one line, "<router URL> <echo URL>\n", and serves until in
// reaches end of file (the parent closed it, or exited); then it closes
// both servers.
func ServeExternal(in io.Reader, out io.Writer) error {
	r := StartRouter()
	defer r.Close()
	e := StartEcho()
	defer e.Close()
	if _, err := fmt.Fprintf(out, "%s %s\n", r.URL(), e.URL()); err != nil {
		return err
	}
	_, err := io.Copy(io.Discard, in)
	return err
}

// External is a Router and an EchoServer served by a child process, so that
// the benchmark's process holds the client alone: its allocation counts and
// CPU profile then cover only the client side.
type External struct {
	RouterURL string
	EchoURL   string

	cmd   *exec.Cmd
	stdin io.WriteCloser
	wait  chan error
}

// StartExternal starts exe (normally os.Args[0], the running test binary)
// with ExternalEnv set and waits until it has printed its URLs.
func StartExternal(exe string) (*External, error) {
	x, urls, _, err := startChild(exe, ExternalEnv, 2)
	if err != nil {
		return nil, err
	}
	x.RouterURL, x.EchoURL = urls[0], urls[1]
	return x, nil
}

// startChild starts exe with env set and waits for the first line it
// prints, n URLs. It returns the child's standard output too, read up to
// the end of that line.
func startChild(exe, env string, n int) (*External, []string, *bufio.Reader, error) {
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), env+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, nil, nil, err
	}
	x := &External{cmd: cmd, stdin: stdin, wait: make(chan error, 1)}
	out := bufio.NewReader(stdout)
	line, err := out.ReadString('\n')
	go func() { x.wait <- cmd.Wait() }()
	if err == nil {
		urls := strings.Fields(line)
		if len(urls) == n {
			return x, urls, out, nil
		}
		err = fmt.Errorf("unexpected first line %q", line)
	}
	x.Close()
	return nil, nil, nil, fmt.Errorf("bench: external server: %w", err)
}

// Close asks the child to stop (closing its standard input) and waits for
// it to exit, killing it after 10 seconds.
func (x *External) Close() error {
	x.stdin.Close()
	select {
	case err := <-x.wait:
		return err
	case <-time.After(10 * time.Second):
		x.cmd.Process.Kill()
		<-x.wait
		return errors.New("bench: external server did not exit; killed")
	}
}
