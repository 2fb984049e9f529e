package routertest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
)

func dialTCP(addr string) error {
	c, err := net.DialTimeout("tcp", addr, 2*time.Second)
	if err != nil {
		return err
	}
	return c.Close()
}

func TestStartDialStop(t *testing.T) {
	r := Start(t)
	if r.Port() <= 0 {
		t.Fatalf("Port() = %d", r.Port())
	}
	want := fmt.Sprintf("ws://127.0.0.1:%d/ws", r.Port())
	if r.URL() != want {
		t.Fatalf("URL() = %q, want %q", r.URL(), want)
	}
	if err := dialTCP(r.Addr()); err != nil {
		t.Fatalf("dial running router: %v", err)
	}
	pid := r.PID()
	if pid <= 0 || !r.Running() {
		t.Fatalf("PID() = %d, Running() = %v", pid, r.Running())
	}

	r.Stop()
	if r.Running() {
		t.Fatal("Running() after Stop")
	}
	requireGone(t, pid)
	if err := dialTCP(r.Addr()); err == nil {
		t.Fatal("dial succeeded after Stop")
	}
	if !strings.Contains(r.Log(), "READY ") {
		t.Errorf("Log() lacks the READY line:\n%s", r.Log())
	}

	// Stop and Kill on a stopped router are no-ops.
	r.Stop()
	r.Kill()
}

func TestKill(t *testing.T) {
	r := Start(t)
	pid := r.PID()
	r.Kill()
	requireGone(t, pid)
	if err := dialTCP(r.Addr()); err == nil {
		t.Fatal("dial succeeded after Kill")
	}
}

func TestRestartSamePort(t *testing.T) {
	r := Start(t)
	port, pid1 := r.Port(), r.PID()

	r.Restart()
	if r.Port() != port {
		t.Fatalf("port changed across Restart: %d -> %d", port, r.Port())
	}
	pid2 := r.PID()
	if pid2 == pid1 {
		t.Fatal("Restart kept the same process")
	}
	requireGone(t, pid1)
	if err := dialTCP(r.Addr()); err != nil {
		t.Fatalf("dial after Restart: %v", err)
	}

	// Restart after a hard kill reuses the port too.
	r.Kill()
	r.Restart()
	if r.Port() != port {
		t.Fatalf("port changed across Kill+Restart: %d -> %d", port, r.Port())
	}
	requireGone(t, pid2)
	if err := dialTCP(r.Addr()); err != nil {
		t.Fatalf("dial after Kill+Restart: %v", err)
	}
	if got := strings.Count(r.Log(), "--- router run"); got != 3 {
		t.Errorf("Log() shows %d runs, want 3:\n%s", got, r.Log())
	}
}

func TestFixedPort(t *testing.T) {
	// Borrow a free port, release it, and ask for it explicitly.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	r := StartWithOptions(t, Options{Port: port})
	if r.Port() != port {
		t.Fatalf("Port() = %d, want %d", r.Port(), port)
	}
	if err := dialTCP(r.Addr()); err != nil {
		t.Fatal(err)
	}
}

func TestCleanupStopsRouter(t *testing.T) {
	var pid int
	t.Run("inner", func(t *testing.T) {
		pid = Start(t).PID()
	})
	requireGone(t, pid)
}

func TestRestartOnTakenPortFails(t *testing.T) {
	// A port that is held by someone else: the router exits with
	// EADDRINUSE, and TryRestart reports it after retrying.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	r := Start(t)
	r.Stop()
	r.mu.Lock()
	r.port = l.Addr().(*net.TCPAddr).Port
	// Long enough for node to start on a loaded machine; the router exits
	// with EADDRINUSE each time; TryRestart retries until the timeout.
	r.opts.StartTimeout = 5 * time.Second
	r.mu.Unlock()
	err = r.TryRestart()
	if err == nil || !strings.Contains(err.Error(), "EADDRINUSE") {
		t.Fatalf("TryRestart on a taken port: err = %v", err)
	}
	if r.Running() {
		t.Fatal("router running after failed start")
	}
}

// TestWebSocketHello checks the endpoint with a real WebSocket client: the
// wamp.2.json subprotocol is chosen and a HELLO gets a WELCOME.
func TestWebSocketHello(t *testing.T) {
	r := Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	c, _, err := websocket.Dial(ctx, r.URL(), &websocket.DialOptions{Subprotocols: []string{"wamp.2.msgpack", "wamp.2.json"}})
	if err != nil {
		t.Fatalf("dial %s: %v", r.URL(), err)
	}
	defer c.CloseNow()
	if c.Subprotocol() != "wamp.2.json" {
		t.Fatalf("subprotocol = %q, want wamp.2.json", c.Subprotocol())
	}
	hello := `[1,"realm1",{"roles":{"caller":{},"callee":{},"publisher":{},"subscriber":{}}}]`
	if err := c.Write(ctx, websocket.MessageText, []byte(hello)); err != nil {
		t.Fatal(err)
	}
	_, data, err := c.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var msg []json.RawMessage
	if err := json.Unmarshal(data, &msg); err != nil || len(msg) != 3 || string(msg[0]) != "2" {
		t.Fatalf("want WELCOME, got %s (%v)", data, err)
	}
	if err := c.Close(websocket.StatusNormalClosure, ""); err != nil {
		t.Logf("close: %v", err)
	}
}

// TestMsgpackOnlyGetsNoSubprotocol records a fox-wamp quirk (QUIRKS.md):
// a client that offers only binary serializers is still upgraded, but
// without a subprotocol.
func TestMsgpackOnlyGetsNoSubprotocol(t *testing.T) {
	r := Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, r.URL(), &websocket.DialOptions{Subprotocols: []string{"wamp.2.msgpack", "wamp.2.cbor"}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer c.CloseNow()
	if c.Subprotocol() != "" {
		t.Fatalf("subprotocol = %q, want none", c.Subprotocol())
	}
}

// TestStopClosesClientsWith1001 pins down what clients see on Stop.
func TestStopClosesClientsWith1001(t *testing.T) {
	r := Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, r.URL(), &websocket.DialOptions{Subprotocols: []string{"wamp.2.json"}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	readErr := make(chan error, 1)
	go func() {
		_, _, err := c.Read(ctx)
		readErr <- err
	}()
	r.Stop()
	err = <-readErr
	if got := websocket.CloseStatus(err); got != websocket.StatusGoingAway {
		t.Fatalf("read after Stop: status %v, err %v; want 1001 going away", got, err)
	}
}

func TestWrongPathIsRejected(t *testing.T) {
	r := Start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	url := strings.TrimSuffix(r.URL(), Path) + "/other"
	c, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{Subprotocols: []string{"wamp.2.json"}})
	if err == nil {
		c.CloseNow()
		t.Fatal("dial on a wrong path succeeded")
	}
	if resp == nil || resp.StatusCode != 400 {
		t.Fatalf("wrong path: resp %v, err %v; want HTTP 400", resp, err)
	}
}
