package wsconn

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// Dial takes the lean client by default, and coder/websocket's with an
// HTTPClient of the caller's.
func TestDialTakesTheLeanPath(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c, err := Accept(w, r, nil)
		if err != nil {
			return
		}
		<-c.Receive()
		c.Close()
	}))
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http")
	for _, tt := range []struct {
		opts *Options
		lean bool
	}{{nil, true}, {&Options{HTTPClient: &http.Client{}}, false}} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		c, err := Dial(ctx, url, tt.opts)
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if _, lean := c.raw.ReadWriteCloser.(*net.TCPConn); lean != tt.lean { // the lean client keeps the net.Conn itself
			t.Errorf("options %+v: lean framing %v, want %v", tt.opts, lean, tt.lean)
		}
		c.Close()
	}
}
