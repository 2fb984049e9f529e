package client_test

import (
	"bufio"
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// pipeTransport serves each request with h over a net.Pipe, so that a
// WebSocket runs in memory, inside a synctest bubble.
type pipeTransport struct{ h http.HandlerFunc }

func (p pipeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	cl, srv := net.Pipe()
	rec := httptest.NewRecorder()
	p.h(pipeHijacker{ResponseRecorder: rec, conn: srv}, r)
	resp := rec.Result()
	if resp.StatusCode != http.StatusSwitchingProtocols {
		cl.Close()
		srv.Close()
		return resp, nil
	}
	resp.Body = cl
	return resp, nil
}

type pipeHijacker struct {
	*httptest.ResponseRecorder
	conn net.Conn
}

func (h pipeHijacker) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return h.conn, bufio.NewReadWriter(bufio.NewReader(h.conn), bufio.NewWriter(h.conn)), nil
}

// TestKeepaliveWithStalledWriter: the router answers the join, then
// neither reads nor answers pings (a dead peer). The client's writer is
// stuck on the full connection while a publisher waits for room; the
// keepalive still declares the peer dead, and everything ends typed.
func TestKeepaliveWithStalledWriter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		conns := make(chan *websocket.Conn, 1)
		h := func(w http.ResponseWriter, r *http.Request) {
			c, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"wamp.2.json"}})
			if err != nil {
				panic(err)
			}
			conns <- c
		}
		bg := context.Background()
		start := time.Now()
		tr, err := wsconn.Dial(bg, "ws://pipe.invalid/", &wsconn.Options{
			HTTPClient:   &http.Client{Transport: pipeTransport{h}},
			PingInterval: time.Second, PongTimeout: 3 * time.Second,
		})
		if err != nil {
			t.Fatal(err)
		}
		router := <-conns
		joined := make(chan *client.Client, 1)
		go func() {
			c, err := client.Connect(bg, tr, "realm1")
			if err != nil {
				t.Error(err)
			}
			joined <- c
		}()
		if _, _, err := router.Read(bg); err != nil { // HELLO
			t.Fatal(err)
		}
		welcome := `[2,1,{"roles":{"dealer":{},"broker":{}}}]`
		if err := router.Write(bg, websocket.MessageText, []byte(welcome)); err != nil {
			t.Fatal(err)
		}
		c := <-joined
		if c == nil {
			return
		}

		// The router reads nothing more. Publish until the session stops
		// taking requests; the blocked one ends with the session.
		big := protocol.List{strings.Repeat("x", 4096)}
		var last error
		for last == nil {
			_, last = c.Publish(bg, "com.flood", big, nil)
		}
		if !errors.Is(last, client.ErrClosed) || !errors.Is(last, wsconn.ErrPingTimeout) {
			t.Fatalf("Publish = %v, want ErrClosed wrapping ErrPingTimeout", last)
		}
		if got := time.Since(start); got > 5*time.Second {
			t.Fatalf("dead peer detected after %v", got)
		}
		if err := c.Wait(bg); !errors.Is(err, wsconn.ErrPingTimeout) {
			t.Fatalf("Wait = %v", err)
		}
		router.CloseNow()
	})
}
