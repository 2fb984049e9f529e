package wamptest

import (
	"context"
	"errors"
	"net"
	"sync"

	"github.com/wampgo/wampgo/internal/transport/rawsocket"
)

// ServeRawSocket serves the router over RawSocket on ln: a TCP listener
// (clients dial rs:// or tcp://), a TLS listener (rss://, tcps://) or a Unix
// socket (unix:///path). Each connection goes through the RawSocket
// handshake (every serializer, the largest maximum message length) and is
// then served as Serve does. It returns nil once ln is closed, or the error
// that ended it; Router.Close closes ln too. While the router is stopped,
// connections are closed at once, after their handshake. Run it on a
// goroutine of its own, as http.Serve:
//
//	ln, _ := net.Listen("unix", "/tmp/router.sock")
//	go r.ServeRawSocket(ln) // clients dial "unix:///tmp/router.sock"
//
// It uses real sockets, so it does not belong in a testing/synctest bubble.
func (r *Router) ServeRawSocket(ln net.Listener) error {
	l, err := rawsocket.Listen(ln, &rawsocket.ServerOptions{Logger: r.cfg.logger})
	if err != nil {
		ln.Close()
		return err
	}
	defer l.Close()
	r.addListener(func() { l.Close() })
	for {
		t, err := l.Accept(context.Background())
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		if c := r.admit(t, "rawsocket"); c != nil {
			go c.serve()
		}
	}
}

// RawSocketListener is a loopback TCP port serving the router over
// RawSocket. It uses real sockets, so it does not belong in a
// testing/synctest bubble.
type RawSocketListener struct {
	ln   net.Listener
	done chan struct{} // closed when ServeRawSocket returns
	once sync.Once
}

// ListenRawSocket starts serving the router over RawSocket on a loopback
// TCP port. Router.Close closes the listener too; closing it earlier stops
// new connections only.
func (r *Router) ListenRawSocket() (*RawSocketListener, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	l := &RawSocketListener{ln: ln, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		r.ServeRawSocket(ln)
	}()
	r.addListener(l.Close)
	return l, nil
}

// URL is the listener's rs:// URL, for client.Dial.
func (l *RawSocketListener) URL() string { return "rs://" + l.ln.Addr().String() }

// Close stops listening and waits for the accept loop to exit. It is safe
// to call more than once.
func (l *RawSocketListener) Close() {
	l.once.Do(func() { l.ln.Close() })
	<-l.done
}
