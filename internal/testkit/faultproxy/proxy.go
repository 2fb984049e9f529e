// Package faultproxy is a TCP proxy for tests that sits between a client and
// a server (a router) on 127.0.0.1 and injects network faults on command:
// connections dropped or reset, traffic stalled in both directions while TCP
// stays up, new connections swallowed by a black hole or refused.
//
// The proxy forwards bytes, not messages: it knows nothing of WebSocket or
// WAMP, so a fault hits whatever the endpoints were doing, as a real network
// fault would.
//
// Every method is safe for concurrent use. Faults act at once on the
// connections open when they are called (Drop, Reset, Stall, Resume) or on
// the connections accepted afterwards (Refuse, BlackHole), as each method
// says. Close ends every goroutine the proxy started.
//
// Tests wait for the proxy's state with Wait rather than by sleeping: Stats
// counts connections accepted, refused and held, and the bytes forwarded and
// waiting at a stall.
package faultproxy

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// Stats is a snapshot of the proxy's counters.
type Stats struct {
	// Accepted counts every connection accepted, refused and held ones
	// included.
	Accepted int
	// Refused counts connections closed at once under Refuse.
	Refused int
	// Held counts connections accepted under BlackHole (whether or not
	// they were later connected by Resume).
	Held int
	// Active is the number of connections open now (not refused, not yet
	// ended), held ones included.
	Active int
	// Pending is the number of bytes read from one side and waiting at a
	// stall to be written to the other, over every connection and both
	// directions.
	Pending int
	// Forwarded is the number of bytes written to either side so far.
	Forwarded int64
}

// Proxy is a running proxy. Make one with New or Listen.
type Proxy struct {
	target string
	ln     net.Listener
	dialer net.Dialer
	ctx    context.Context // bounds dials to the target; cancelled by Close
	cancel context.CancelFunc
	wg     sync.WaitGroup // the accept loop and every link goroutine

	mu        sync.Mutex
	links     map[*link]struct{} // open connections
	blackHole bool
	refuse    bool
	closed    bool
	stats     Stats
	changed   chan struct{} // closed and replaced whenever stats change
}

// New starts a proxy to target for the duration of the test: it fails the
// test if the proxy cannot listen, and closes the proxy in t's cleanup.
func New(t testing.TB, target string) *Proxy {
	t.Helper()
	p, err := Listen(target)
	if err != nil {
		t.Fatalf("faultproxy: %v", err)
	}
	t.Cleanup(func() { p.Close() })
	return p
}

// Listen starts a proxy on 127.0.0.1 with an ephemeral port that forwards
// every connection to target: a host:port, or a URL such as
// "http://127.0.0.1:8080" or "ws://127.0.0.1:8080/ws" whose host:port is
// taken. The caller must Close it.
func Listen(target string) (*Proxy, error) {
	addr, err := targetAddr(target)
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("faultproxy: listen: %w", err)
	}
	p := &Proxy{
		target:  addr,
		ln:      ln,
		links:   map[*link]struct{}{},
		changed: make(chan struct{}),
	}
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.wg.Add(1)
	go p.acceptLoop()
	return p, nil
}

func targetAddr(target string) (string, error) {
	if !strings.Contains(target, "://") {
		return target, nil
	}
	u, err := url.Parse(target)
	if err != nil {
		return "", fmt.Errorf("faultproxy: target: %w", err)
	}
	if u.Host == "" {
		return "", fmt.Errorf("faultproxy: target %q has no host", target)
	}
	return u.Host, nil
}

// Addr returns the proxy's listening address, "127.0.0.1:PORT".
func (p *Proxy) Addr() string { return p.ln.Addr().String() }

// URL returns "ws://127.0.0.1:PORT" followed by path, for a WebSocket
// client to dial through the proxy.
func (p *Proxy) URL(path string) string { return "ws://" + p.Addr() + path }

// Target returns the host:port the proxy forwards to.
func (p *Proxy) Target() string { return p.target }

// Stats returns a snapshot of the counters.
func (p *Proxy) Stats() Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.stats
}

// Wait blocks until cond holds for the proxy's counters, or ctx ends. It
// returns the snapshot for which cond held, or the last one with ctx's
// error. cond runs on the caller's goroutine, once per change.
func (p *Proxy) Wait(ctx context.Context, cond func(Stats) bool) (Stats, error) {
	for {
		p.mu.Lock()
		s, ch := p.stats, p.changed
		p.mu.Unlock()
		if cond(s) {
			return s, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return s, ctx.Err()
		}
	}
}

// Drop closes every open connection on both sides: the client and the
// target each see the end of their stream (EOF, or a reset if bytes were
// still unread). Connections accepted later are not affected.
func (p *Proxy) Drop() {
	for _, l := range p.snapshot() {
		l.shut(false)
	}
}

// Reset aborts every open connection on both sides with a TCP reset
// (SO_LINGER 0, then close): each side's next read or write fails with
// ECONNRESET. Connections accepted later are not affected.
func (p *Proxy) Reset() {
	for _, l := range p.snapshot() {
		l.shut(true)
	}
}

// Stall stops forwarding on every open connection, in both directions,
// without closing anything: TCP stays up, bytes already read wait in the
// proxy (see Stats.Pending) and the peers' buffers fill until their writes
// block. Bytes sent by either side after Stall returns are not forwarded
// until Resume. Connections accepted later are not affected (see BlackHole
// for that).
func (p *Proxy) Stall() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for l := range p.links {
		if l.gate == nil {
			l.gate = make(chan struct{})
		}
	}
}

// Resume forwards again on every stalled connection, starting with the
// bytes held, in order. Connections held by BlackHole are connected to the
// target now, and what their clients sent meanwhile is forwarded. Resume
// does not turn BlackHole off: connections accepted later are still held.
func (p *Proxy) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for l := range p.links {
		p.resumeLocked(l)
	}
}

// BlackHole turns the black hole on or off. While it is on, new
// connections are accepted and then held: not connected to the target,
// nothing read from them, nothing sent to them, as if every packet beyond
// the handshake were lost. Turning it on also stalls every open connection
// (Stall). Turning it off resumes every connection (Resume): held ones are
// connected to the target then.
func (p *Proxy) BlackHole(on bool) {
	p.mu.Lock()
	p.blackHole = on
	p.mu.Unlock()
	if on {
		p.Stall()
	} else {
		p.Resume()
	}
}

// Refuse turns refusal on or off. While it is on, every new connection is
// closed at once with a reset, before anything is read or forwarded.
// Open connections are not affected.
func (p *Proxy) Refuse(on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refuse = on
}

// Close stops listening, closes every connection and waits until every
// goroutine of the proxy has exited. It is safe to call more than once; it
// returns the error of closing the listener, the first time.
func (p *Proxy) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		p.wg.Wait()
		return nil
	}
	p.closed = true
	links := make([]*link, 0, len(p.links))
	for l := range p.links {
		links = append(links, l)
	}
	p.mu.Unlock()
	p.cancel()
	err := p.ln.Close()
	for _, l := range links {
		l.shut(false)
	}
	p.wg.Wait()
	return err
}

func (p *Proxy) acceptLoop() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			// A transient failure (out of descriptors): do not spin.
			select {
			case <-p.ctx.Done():
				return
			case <-time.After(5 * time.Millisecond):
			}
			continue
		}
		p.admit(c)
	}
}

// admit decides the fate of an accepted connection.
func (p *Proxy) admit(c net.Conn) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		c.Close()
		return
	}
	p.stats.Accepted++
	if p.refuse {
		p.stats.Refused++
		p.notifyLocked()
		p.mu.Unlock()
		abort(c)
		return
	}
	l := &link{p: p, down: c, done: make(chan struct{})}
	p.links[l] = struct{}{}
	p.stats.Active++
	if p.blackHole {
		l.held = true
		l.gate = make(chan struct{})
		p.stats.Held++
		p.notifyLocked()
		p.mu.Unlock()
		return
	}
	l.running = 1
	p.wg.Add(1) // the accept loop still counts, so the group is not at zero
	p.notifyLocked()
	p.mu.Unlock()
	go l.connect()
}

// resumeLocked opens l's gate, connecting it first if it was held.
func (p *Proxy) resumeLocked(l *link) {
	if l.gate != nil {
		close(l.gate)
		l.gate = nil
	}
	if l.held && !l.closed && !p.closed {
		l.held = false
		l.running = 1
		p.wg.Add(1) // Close has not started waiting: closed is false
		go l.connect()
	}
}

func (p *Proxy) snapshot() []*link {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]*link, 0, len(p.links))
	for l := range p.links {
		out = append(out, l)
	}
	return out
}

func (p *Proxy) remove(l *link) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.links[l]; ok {
		delete(p.links, l)
		p.stats.Active--
		p.notifyLocked()
	}
}

// addStats applies deltas to the byte counters.
func (p *Proxy) addStats(pending int, forwarded int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stats.Pending += pending
	p.stats.Forwarded += forwarded
	p.notifyLocked()
}

// notifyLocked wakes every Wait. p.mu must be held.
func (p *Proxy) notifyLocked() {
	close(p.changed)
	p.changed = make(chan struct{})
}
