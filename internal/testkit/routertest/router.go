package routertest

import (
	"fmt"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Path is the HTTP path of the router's WebSocket endpoint.
const Path = "/ws"

// Options tune Start.
type Options struct {
	// Port to listen on. Zero (the default) lets the kernel pick a free
	// loopback port when the router starts, which cannot race with other
	// tests; Restart then reuses that port.
	Port int
	// StartTimeout bounds the wait for the router's READY line
	// (default 30s).
	StartTimeout time.Duration
	// StopGrace is how long Stop waits after SIGTERM before SIGKILL
	// (default 5s).
	StopGrace time.Duration
	// Trace makes the router log every WAMP message; the log is shown
	// when the test fails (see Router.Log).
	Trace bool
	// Auth, when not empty, is the JSON config of users that makes the
	// router require authentication (ticket, wampcra, cryptosign,
	// wamp-scram): see testdata/router/auth.js for its form. Empty (the
	// default) keeps the router anonymous.
	Auth string
}

func (o Options) withDefaults() Options {
	if o.StartTimeout <= 0 {
		o.StartTimeout = 30 * time.Second
	}
	if o.StopGrace <= 0 {
		o.StopGrace = 5 * time.Second
	}
	return o
}

// Router is a running fox-wamp router (node testdata/router/server.js)
// listening on 127.0.0.1.
type Router struct {
	t    testing.TB
	opts Options
	node string
	dir  string

	mu   sync.Mutex
	port int
	proc *proc
	runs int      // how many processes have been started
	log  []string // output of earlier processes (after Restart)
}

// Start starts fox-wamp on a free loopback port and waits until it accepts
// connections. It registers a cleanup that stops the router when the test
// ends and, if the test failed, logs the router's output. Start skips the
// test when node or the npm packages are missing (it fails instead when the
// CI environment variable is set).
func Start(t testing.TB) *Router {
	t.Helper()
	return StartWithOptions(t, Options{})
}

// StartWithOptions is Start with options.
func StartWithOptions(t testing.TB, opts Options) *Router {
	t.Helper()
	root := RepoRoot(t)
	node, problem := checkNode(root)
	if problem != "" {
		unavailable(t, problem)
	}
	r := &Router{
		t:    t,
		opts: opts.withDefaults(),
		node: node,
		dir:  filepath.Join(root, "testdata", "router"),
		port: opts.Port,
	}
	t.Cleanup(func() {
		r.Stop()
		if t.Failed() {
			t.Logf("fox-wamp router output:\n%s", r.Log())
		}
	})
	if err := r.start(); err != nil {
		t.Fatalf("routertest: %v", err)
	}
	return r
}

// URL is the WebSocket URL of the router, ws://127.0.0.1:PORT/ws.
func (r *Router) URL() string {
	return fmt.Sprintf("ws://%s%s", r.Addr(), Path)
}

// Addr is the router's TCP address, 127.0.0.1:PORT.
func (r *Router) Addr() string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(r.Port()))
}

// Port is the TCP port the router listens on. It stays the same across
// Restart.
func (r *Router) Port() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.port
}

// PID is the process ID of the current router process, or 0 when none has
// been started.
func (r *Router) PID() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.proc == nil {
		return 0
	}
	return r.proc.pid()
}

// Running reports whether the router process is alive.
func (r *Router) Running() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.proc != nil && !r.proc.exited()
}

// Stop ends the router: SIGTERM (it closes client connections with
// WebSocket status 1001, without a WAMP GOODBYE), then SIGKILL if it has not
// exited within the grace period. It returns once the process has been
// reaped. Stop is safe to call more than once and from any goroutine.
func (r *Router) Stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.proc == nil || r.proc.exited() {
		return
	}
	if r.proc.stop(r.opts.StopGrace) {
		r.t.Logf("routertest: router pid %d ignored SIGTERM for %v and was killed", r.proc.pid(), r.opts.StopGrace)
	}
}

// Kill ends the router with SIGKILL, so clients see their TCP connection
// drop with no close handshake, and waits until it has been reaped. It is
// safe to call from any goroutine.
func (r *Router) Kill() {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.proc != nil {
		r.proc.kill()
	}
}

// Restart stops the router if it is running and starts a new one on the
// same port. The new router has no state: realms, sessions, registrations
// and subscriptions are gone. Restart fails the test if the router does not
// come back; call it from the test's goroutine (use TryRestart elsewhere).
func (r *Router) Restart() {
	r.t.Helper()
	if err := r.TryRestart(); err != nil {
		r.t.Fatalf("routertest: %v", err)
	}
}

// TryRestart is Restart returning an error instead of failing the test.
func (r *Router) TryRestart() error {
	r.Stop()
	return r.start()
}

// Log returns what the router processes started so far wrote to stdout and
// stderr.
func (r *Router) Log() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	lines := append([]string(nil), r.log...)
	if r.proc != nil {
		lines = append(lines, procLog(r.runs, r.proc)...)
	}
	return strings.Join(lines, "\n")
}

func procLog(run int, p *proc) []string {
	var out []string
	out = append(out, fmt.Sprintf("--- router run %d (pid %d)", run, p.pid()))
	if s := p.stdout.String(); s != "" {
		out = append(out, "stdout: "+strings.TrimRight(s, "\n"))
	}
	if s := p.stderr.String(); s != "" {
		out = append(out, "stderr: "+strings.TrimRight(s, "\n"))
	}
	if p.exited() {
		out = append(out, "exit: "+p.waitErr())
	}
	return out
}

// start launches server.js and waits for its READY line. With a fixed port
// it retries for a while if the port is still taken (for example right
// after Kill).
func (r *Router) start() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.proc != nil && !r.proc.exited() {
		return fmt.Errorf("router already running (pid %d)", r.proc.pid())
	}
	deadline := time.Now().Add(r.opts.StartTimeout)
	var inUse error
	for {
		retry, err := r.startOnceLocked(deadline)
		if err == nil {
			return nil
		}
		if retry {
			inUse = err
		} else if inUse != nil {
			// Report why we were retrying, not just how the last try ended.
			return fmt.Errorf("%w (earlier attempt: %v)", err, inUse)
		}
		if !retry || r.port == 0 || time.Now().Add(200*time.Millisecond).After(deadline) {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (r *Router) startOnceLocked(deadline time.Time) (retry bool, err error) {
	if r.proc != nil {
		r.log = append(r.log, procLog(r.runs, r.proc)...)
		r.proc = nil
	}
	var env []string
	if r.opts.Trace {
		env = append(env, "WAMP_ROUTER_TRACE=1")
	}
	if r.opts.Auth != "" {
		env = append(env, "WAMPGO_ROUTER_AUTH="+r.opts.Auth)
	}
	ready := make(chan int, 1)
	onLine := func(line string) {
		if rest, ok := strings.CutPrefix(line, "READY "); ok {
			if port, err := strconv.Atoi(strings.TrimSpace(rest)); err == nil {
				select {
				case ready <- port:
				default:
				}
			}
		}
	}
	p, err := startProc(r.node, []string{"server.js", strconv.Itoa(r.port)}, r.dir, env, onLine)
	if err != nil {
		return false, fmt.Errorf("start router: %w", err)
	}
	r.proc = p
	r.runs++

	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	select {
	case port := <-ready:
		if r.port != 0 && port != r.port {
			p.kill()
			return false, fmt.Errorf("router reported port %d, want %d", port, r.port)
		}
		r.port = port
		return false, nil
	case <-p.done:
		inUse := strings.Contains(p.stderr.String(), "EADDRINUSE")
		return inUse, fmt.Errorf("router exited before it was ready (%s); stderr:\n%s", p.waitErr(), p.stderr.String())
	case <-timer.C:
		p.kill()
		return false, fmt.Errorf("router not ready after %v; output:\n%s%s", r.opts.StartTimeout, p.stdout.String(), p.stderr.String())
	}
}
