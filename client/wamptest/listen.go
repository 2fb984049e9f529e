package wamptest

import (
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// Handler returns an HTTP handler that upgrades each request to a WAMP
// WebSocket connection (wsconn.Accept) and serves it. While the router is
// stopped it answers 503 Service Unavailable.
func (r *Router) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.mu.Lock()
		down := r.stopped || r.closed
		r.mu.Unlock()
		if down {
			http.Error(w, ErrStopped.Error(), http.StatusServiceUnavailable)
			return
		}
		t, err := wsconn.Accept(w, req, r.cfg.accept)
		if err != nil {
			r.cfg.logger.Debug("wamptest: websocket accept failed", "err", err)
			return
		}
		r.serveListened(t, "websocket")
	})
}

// serveListened serves a connection a listener accepted, on the caller's
// goroutine, kind naming the transport in the session meta API. Every
// listener (WebSocket here; RawSocket would be another) goes through it.
func (r *Router) serveListened(t protocol.Transport, kind string) {
	if c := r.admit(t, kind); c != nil {
		c.serve()
	}
}

// addListener has Close close a listener.
func (r *Router) addListener(closeListener func()) {
	r.mu.Lock()
	r.lns = append(r.lns, closeListener)
	r.mu.Unlock()
}

// WebSocketListener is a loopback HTTP server serving the router over
// WebSocket. It uses real sockets, so it does not belong in a
// testing/synctest bubble.
type WebSocketListener struct {
	srv *httptest.Server
}

// ListenWebSocket starts serving the router over WebSocket on a loopback
// port. Router.Close closes the listener too; closing it earlier ends
// only the WebSocket connections.
func (r *Router) ListenWebSocket() *WebSocketListener {
	l := &WebSocketListener{srv: httptest.NewServer(r.Handler())}
	r.addListener(l.Close)
	return l
}

// URL is the listener's ws:// URL, for client.Dial.
func (l *WebSocketListener) URL() string { return "ws" + strings.TrimPrefix(l.srv.URL, "http") }

// Close stops listening, closes the connections still open and waits for
// their handlers. It is safe to call more than once.
func (l *WebSocketListener) Close() {
	l.srv.CloseClientConnections()
	l.srv.Close()
}
