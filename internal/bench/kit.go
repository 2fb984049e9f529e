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

	"github.com/wampgo/wampgo/client/wamptest"
)

// KitEnv is the environment variable that turns a process into the test
// kit's router for StartKit: the package's TestMain checks it and, when it
// is set, calls ServeKit instead of running tests.
const KitEnv = "WAMPGO_BENCH_KIT_ROUTER"

// ServeKit runs the test kit's router (client/wamptest, without its message
// log) on a loopback WebSocket and a loopback RawSocket endpoint, writes
// their URLs to out as one line, "<ws URL> <rs URL>\n", and serves until in
// reaches end of file; then it closes the router.
func ServeKit(in io.Reader, out io.Writer) error {
	r := wamptest.NewRouter(wamptest.WithoutMessageLog())
	defer r.Close()
	rs, err := r.ListenRawSocket()
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(out, "%s %s\n", r.ListenWebSocket().URL(), rs.URL()); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, in)
	return err
}

// Kit is the test kit's router served by a child process, so that the
// benchmark's process holds the clients alone: its goroutines, heap, RSS
// and CPU time are the clients'.
type Kit struct {
	WebSocketURL string
	RawSocketURL string

	cmd   *exec.Cmd
	stdin io.WriteCloser
	wait  chan error
}

// StartKit starts exe (normally os.Args[0], the running test binary) with
// KitEnv set and waits until it has printed its URLs.
func StartKit(exe string) (*Kit, error) {
	cmd := exec.Command(exe, "-test.run=^$")
	cmd.Env = append(os.Environ(), KitEnv+"=1")
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	k := &Kit{cmd: cmd, stdin: stdin, wait: make(chan error, 1)}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	go func() { k.wait <- cmd.Wait() }()
	if err == nil {
		urls := strings.Fields(line)
		if len(urls) == 2 {
			k.WebSocketURL, k.RawSocketURL = urls[0], urls[1]
			return k, nil
		}
		err = fmt.Errorf("unexpected first line %q", line)
	}
	k.Close()
	return nil, fmt.Errorf("bench: kit router: %w", err)
}

// Close asks the child to stop (closing its standard input) and waits for
// it to exit, killing it after 10 seconds.
func (k *Kit) Close() error {
	k.stdin.Close()
	select {
	case err := <-k.wait:
		return err
	case <-time.After(10 * time.Second):
		k.cmd.Process.Kill()
		<-k.wait
		return errors.New("bench: kit router did not exit; killed")
	}
}
