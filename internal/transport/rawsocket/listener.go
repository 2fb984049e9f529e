package rawsocket

import (
	"context"
	"errors"
	"net"
	"sync"
)

// Listener serves the router's side of RawSocket on a net.Listener: each
// connection accepted goes through the handshake (Server) on a goroutine of
// its own, so a slow client holds up no other, and Accept returns those
// that succeed. Failed handshakes are logged (ServerOptions.Logger) and
// dropped. With MaxConnections, a client beyond the bound (counting
// connections in their handshake, waiting for Accept, and running) is
// answered CodeConnectionLimit.
//
// Accept may be called from several goroutines; Close ends the accept loop
// and every handshake goroutine and closes the connections not yet taken.
// Connections returned by Accept belong to the caller, who must Close them.
type Listener struct {
	ln   net.Listener
	opts ServerOptions

	ctx    context.Context // ends at Close: bounds handshakes
	cancel context.CancelFunc
	wg     sync.WaitGroup // the accept loop and the handshake goroutines

	connc chan *Conn    // handshaken connections: written by handshake goroutines, read by Accept
	done  chan struct{} // closed when the accept loop exits

	mu     sync.Mutex
	err    error // why the accept loop exited; guarded by mu
	active int   // connections counted against MaxConnections; guarded by mu

	closeOnce sync.Once
	closeErr  error
}

// Listen starts serving RawSocket on ln, which the Listener owns from then
// on (Close closes it). opts may be nil.
func Listen(ln net.Listener, opts *ServerOptions) (*Listener, error) {
	var o ServerOptions
	if opts != nil {
		o = *opts
	}
	if _, _, err := o.config(); err != nil {
		return nil, err
	}
	l := &Listener{ln: ln, opts: o, connc: make(chan *Conn), done: make(chan struct{})}
	l.ctx, l.cancel = context.WithCancel(context.Background())
	l.wg.Add(1)
	go l.acceptLoop()
	return l, nil
}

// Addr returns the listener's network address.
func (l *Listener) Addr() net.Addr { return l.ln.Addr() }

// Accept waits for the next connection whose handshake succeeded. It
// returns ctx's error, or net.ErrClosed after Close, or the error that
// ended the underlying listener.
func (l *Listener) Accept(ctx context.Context) (*Conn, error) {
	select {
	case c := <-l.connc:
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-l.done:
		l.mu.Lock()
		defer l.mu.Unlock()
		return nil, l.err
	}
}

// Close stops accepting, closes the underlying listener and every
// connection not yet returned by Accept, and waits for the Listener's
// goroutines. Safe to call more than once.
func (l *Listener) Close() error {
	l.closeOnce.Do(func() {
		l.cancel()
		l.closeErr = l.ln.Close()
		l.wg.Wait()
	})
	return l.closeErr
}

func (l *Listener) acceptLoop() {
	defer l.wg.Done()
	defer close(l.done)
	for {
		nc, err := l.ln.Accept()
		if err != nil {
			if l.ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				err = net.ErrClosed
			}
			l.mu.Lock()
			l.err = err
			l.mu.Unlock()
			return
		}
		l.wg.Add(1)
		go l.handshake(nc)
	}
}

// handshake runs the server handshake on nc and offers the connection to
// Accept until Close.
func (l *Listener) handshake(nc net.Conn) {
	defer l.wg.Done()
	// A connection refused for the limit takes no slot: counted, it could
	// still hold one when the client, refused, tries again.
	l.mu.Lock()
	full := l.opts.MaxConnections > 0 && l.active >= l.opts.MaxConnections
	if !full {
		l.active++
	}
	l.mu.Unlock()
	c, err := serverHandshake(l.ctx, nc, &l.opts, full)
	if err != nil {
		if !full {
			l.release()
		}
		if l.opts.Logger != nil {
			l.opts.Logger.Debug("rawsocket: handshake failed", "remote", nc.RemoteAddr().String(), "err", err)
		}
		return
	}
	c.onEnd = l.release
	c.start()
	select {
	case l.connc <- c:
	case <-l.ctx.Done():
		c.Close()
	}
}

// release uncounts a connection that ended.
func (l *Listener) release() {
	l.mu.Lock()
	l.active--
	l.mu.Unlock()
}
