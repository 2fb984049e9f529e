package bench

import (
	"context"
	"net"
	"sync"

	"github.com/wampgo/wampgo/internal/transport/rawsocket"
)

// rawServer is the bench router's RawSocket endpoint: a rawsocket.Listener
// on 127.0.0.1 whose connections are served as the WebSocket ones are.
type rawServer struct {
	ln *rawsocket.Listener
	wg sync.WaitGroup // the accept loop
}

// RawURL starts, on first use, the router's RawSocket endpoint and returns
// its URL, rs://127.0.0.1:port. It returns "" after Close.
func (r *Router) RawURL() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ""
	}
	if r.raw == nil {
		nl, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return ""
		}
		ln, err := rawsocket.Listen(nl, &rawsocket.ServerOptions{Codecs: r.codecs})
		if err != nil {
			nl.Close()
			return ""
		}
		r.raw = &rawServer{ln: ln}
		r.raw.wg.Add(1)
		go r.acceptRaw(r.raw)
	}
	return "rs://" + r.raw.ln.Addr().String()
}

// acceptRaw serves every RawSocket connection, each on a goroutine of its
// own, until the listener closes.
func (r *Router) acceptRaw(raw *rawServer) {
	defer raw.wg.Done()
	for {
		c, err := raw.ln.Accept(context.Background())
		if err != nil {
			return
		}
		r.wg.Add(1)
		go func() {
			defer r.wg.Done()
			r.serveConn(c)
		}()
	}
}

// closeRaw stops the RawSocket endpoint, if started. Close calls it.
func (r *Router) closeRaw() {
	r.mu.Lock()
	raw := r.raw
	r.mu.Unlock()
	if raw != nil {
		raw.ln.Close()
		raw.wg.Wait()
	}
}
