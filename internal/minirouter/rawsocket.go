package minirouter

import (
	"context"
	"errors"
	"net"

	"github.com/wampgo/wampgo/internal/rawsocket"
)

// ServeRawSocket serves WAMP over RawSocket on ln (TCP, a TLS listener for
// rss://, or a Unix socket): each connection goes through the RawSocket
// handshake (every codec of package codec, the largest maximum length) and
// is then served as by Serve, on a goroutine of the router's. It returns
// when ln is closed (nil) or fails (its error); it closes ln on return.
// Connections already served are ended by Close, not by closing ln.
//
// Run it on a goroutine of its own, as http.Serve:
//
//	ln, _ := net.Listen("tcp", "127.0.0.1:0")
//	go r.ServeRawSocket(ln) // clients dial "rs://" + ln.Addr().String()
func (r *Router) ServeRawSocket(ln net.Listener) error {
	l, err := rawsocket.Listen(ln, &rawsocket.ServerOptions{Logger: r.cfg.logger})
	if err != nil {
		ln.Close()
		return err
	}
	defer l.Close()
	for {
		t, err := l.Accept(context.Background())
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		if c := r.admit(t); c != nil {
			go c.serve()
		}
	}
}
