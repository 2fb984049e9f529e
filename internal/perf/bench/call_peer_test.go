package bench

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/codec"
)

// CallPeerEnv is the environment variable that turns a process into the
// call peer of StartCallPeer (TestMain checks it).
const CallPeerEnv = "WAMPGO_BENCH_CALL_PEER"

// PeerExeEnv names the binary that serves the child processes of
// BenchmarkCallSide and BenchmarkFanOut (the kit's router and the other
// side of the calls). Unset, it is the running test binary. Comparing two
// builds, point both at one of them: the child's work is then the same in
// both runs, and only the measured side differs.
const PeerExeEnv = "WAMPGO_BENCH_PEER_EXE"

// peerExe is the binary to start as a child process: PeerExeEnv's, or the
// running test binary.
func peerExe() string {
	if exe := os.Getenv(PeerExeEnv); exe != "" {
		return exe
	}
	return os.Args[0]
}

// ServeCallPeer runs the test kit's router on loopback WebSocket and
// RawSocket listeners, writes their URLs to out as one line,
// "<ws URL> <rs URL>\n", and then plays the other side of the parent's
// calls, one command a line from in, each answered by one line on out
// ("ok", or "err <text>"):
//
//	callee <url> <codec>   join at url and register echoProc, an echo
//	caller <url> <codec>   join at url as the caller of the run command
//	run <n> <c>            make n calls to echoProc on c goroutines
//	close                  close the sessions joined so far
//
// It serves until in reaches end of file (the parent closed it or exited).
func ServeCallPeer(in io.Reader, out io.Writer) error {
	r := wamptest.NewRouter(wamptest.WithoutMessageLog())
	defer r.Close()
	rs, err := r.ListenRawSocket()
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(out, "%s %s\n", r.ListenWebSocket().URL(), rs.URL()); err != nil {
		return err
	}
	p := &callPeer{}
	defer p.close()
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		reply := "ok"
		if err := p.do(strings.Fields(sc.Text())); err != nil {
			reply = "err " + strings.ReplaceAll(err.Error(), "\n", " ")
		}
		if _, err := fmt.Fprintln(out, reply); err != nil {
			return err
		}
	}
	return sc.Err()
}

// callPeer is the state of ServeCallPeer: the sessions it joined.
type callPeer struct {
	caller   *client.Client
	sessions []*client.Client
}

// peerTimeout bounds every command of the call peer.
const peerTimeout = 5 * time.Minute

func (p *callPeer) do(f []string) error {
	ctx, cancel := context.WithTimeout(context.Background(), peerTimeout)
	defer cancel()
	switch {
	case len(f) == 3 && (f[0] == "callee" || f[0] == "caller"):
		cd, ok := codec.ByName(f[2])
		if !ok {
			return fmt.Errorf("unknown codec %q", f[2])
		}
		c, err := client.Dial(ctx, f[1], realm, client.WithSerializers(cd))
		if err != nil {
			return err
		}
		p.sessions = append(p.sessions, c)
		if f[0] == "caller" {
			p.caller = c
			return nil
		}
		_, err = c.Register(ctx, echoProc, echoHandler)
		return err
	case len(f) == 3 && f[0] == "run":
		n, err1 := strconv.Atoi(f[1])
		conc, err2 := strconv.Atoi(f[2])
		if errors.Join(err1, err2) != nil || n < 0 || conc <= 0 {
			return fmt.Errorf("bad run command %q", f)
		}
		if p.caller == nil {
			return errors.New("run before caller")
		}
		_, err := runFixed(conc, n, func() error { return echoCall(ctx, p.caller) }, nil, func() {})
		return err
	case len(f) == 1 && f[0] == "close":
		p.close()
		return nil
	}
	return fmt.Errorf("unknown command %q", f)
}

func (p *callPeer) close() {
	ctx, cancel := context.WithTimeout(context.Background(), peerTimeout)
	defer cancel()
	for _, c := range p.sessions {
		c.Close(ctx)
	}
	p.sessions, p.caller = nil, nil
}

// echoHandler answers an invocation with its own arguments.
func echoHandler(_ context.Context, inv *client.Invocation) (client.Result, error) {
	return client.Result{Args: inv.Args}, nil
}

// echoCall calls echoProc with benchArgs and checks the echo.
func echoCall(ctx context.Context, c *client.Client) error {
	res, err := c.Call(ctx, echoProc, benchArgs, nil).Await(ctx)
	if err != nil {
		return err
	}
	if len(res.Args) != len(benchArgs) {
		return errBadReply
	}
	return nil
}

// CallPeer is a child process serving the kit's router and the other side
// of the parent's calls (ServeCallPeer). Its methods are for one goroutine
// at a time.
type CallPeer struct {
	*External
	out *bufio.Reader // the child's standard output, after its URLs
}

// StartCallPeer starts exe as the call peer and waits for its URLs
// (RouterURL: WebSocket, EchoURL: RawSocket).
func StartCallPeer(exe string) (*CallPeer, error) {
	x, urls, out, err := startChild(exe, CallPeerEnv, 2)
	if err != nil {
		return nil, err
	}
	x.RouterURL, x.EchoURL = urls[0], urls[1]
	return &CallPeer{External: x, out: out}, nil
}

// Do sends the child one command line and waits for its answer.
func (p *CallPeer) Do(cmd ...string) error {
	if _, err := fmt.Fprintln(p.stdin, strings.Join(cmd, " ")); err != nil {
		return err
	}
	line, err := p.out.ReadString('\n')
	if err != nil {
		return fmt.Errorf("bench: call peer: %w", err)
	}
	if line = strings.TrimSpace(line); line != "ok" {
		return fmt.Errorf("bench: call peer: %s: %s", cmd[0], strings.TrimPrefix(line, "err "))
	}
	return nil
}
