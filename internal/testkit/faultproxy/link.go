package faultproxy

import (
	"errors"
	"io"
	"net"
	"syscall"
)

// link is one proxied connection: the client's side (down), the target's
// side (up) and the two pumps copying between them.
//
// Its goroutines: connect dials the target and then runs the up pump
// (down → up) itself; it starts a second goroutine for the down pump
// (up → down). The last of them to end closes both sides and removes the
// link. A link held by BlackHole has no goroutine until Resume connects it.
type link struct {
	p    *Proxy
	down net.Conn      // accepted from the client
	done chan struct{} // closed by shut: wakes pumps waiting at a stall

	// Guarded by p.mu.
	up      net.Conn      // dialed to the target; nil until connected
	gate    chan struct{} // non-nil while stalled; closed to resume
	held    bool          // accepted under BlackHole and not connected yet
	closed  bool          // shut has run
	running int           // goroutines of this link not yet ended
}

// connect dials the target and forwards until either side ends. It runs on
// a goroutine counted in p.wg and in l.running.
func (l *link) connect() {
	p := l.p
	defer p.wg.Done()
	up, err := p.dialer.DialContext(p.ctx, "tcp", p.target)
	if err != nil {
		// The target is unreachable: the client sees its connection reset.
		l.shut(true)
		l.release()
		return
	}
	p.mu.Lock()
	if l.closed {
		p.mu.Unlock()
		up.Close()
		l.release()
		return
	}
	l.up = up
	l.running++
	p.wg.Add(1) // this goroutine still counts, so the group is not at zero
	p.mu.Unlock()
	go func() {
		defer p.wg.Done()
		l.pump(l.down, up)
	}()
	l.pump(up, l.down)
}

// pump copies src to dst until src ends, waiting at the gate before every
// write. A clean end (EOF) is passed on as a half-close; an error ends the
// whole link, as a reset if src was reset.
func (l *link) pump(dst, src net.Conn) {
	defer l.release()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			if !l.waitFlow(n) {
				return
			}
			if _, werr := dst.Write(buf[:n]); werr != nil {
				l.shut(isReset(werr))
				return
			}
			l.p.addStats(0, int64(n))
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				if l.waitFlow(0) {
					closeWrite(dst)
				}
				return
			}
			l.shut(isReset(err))
			return
		}
	}
}

// waitFlow returns once l may forward n more bytes: at once unless it is
// stalled, else when it is resumed (true) or shut (false). The n bytes count
// as pending meanwhile.
func (l *link) waitFlow(n int) bool {
	p := l.p
	p.mu.Lock()
	if l.gate == nil {
		p.mu.Unlock()
		return true
	}
	p.stats.Pending += n
	p.notifyLocked()
	for l.gate != nil {
		g := l.gate
		p.mu.Unlock()
		select {
		case <-g:
		case <-l.done:
			p.addStats(-n, 0)
			return false
		}
		p.mu.Lock()
	}
	p.stats.Pending -= n
	p.notifyLocked()
	p.mu.Unlock()
	return true
}

// release records the end of one of l's goroutines; the last one closes
// the link.
func (l *link) release() {
	p := l.p
	p.mu.Lock()
	l.running--
	last := l.running == 0
	p.mu.Unlock()
	if last {
		l.shut(false)
		p.remove(l)
	}
}

// shut closes both sides of l, with a reset if asked, and wakes its pumps.
// A link with no goroutine (held, or already finished) is removed at once;
// otherwise its last goroutine removes it.
func (l *link) shut(reset bool) {
	p := l.p
	p.mu.Lock()
	if l.closed {
		p.mu.Unlock()
		return
	}
	l.closed = true
	up, idle := l.up, l.running == 0
	p.mu.Unlock()
	close(l.done)
	for _, c := range []net.Conn{l.down, up} {
		if c == nil {
			continue
		}
		if reset {
			abort(c)
		} else {
			c.Close()
		}
	}
	if idle {
		p.remove(l)
	}
}

// abort closes c with a TCP reset.
func abort(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.SetLinger(0)
	}
	c.Close()
}

// closeWrite passes a clean end on: a half-close, so the other direction
// still flows.
func closeWrite(c net.Conn) {
	if tc, ok := c.(*net.TCPConn); ok {
		tc.CloseWrite()
		return
	}
	c.Close()
}

func isReset(err error) bool { return errors.Is(err, syscall.ECONNRESET) }
