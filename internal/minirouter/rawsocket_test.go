package minirouter_test

import (
	"context"
	"net"
	"path/filepath"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/minirouter"
	"github.com/wampgo/wampgo/protocol"
)

// ServeRawSocket serves sessions over TCP and a Unix socket, routes between
// them, and returns nil once its listener is
// closed.
func TestServeRawSocket(t *testing.T) {
	r := minirouter.New()
	defer r.Close()
	tcp, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	unix, err := net.Listen("unix", filepath.Join(t.TempDir(), "r.sock"))
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 2)
	go func() { served <- r.ServeRawSocket(tcp) }()
	go func() { served <- r.ServeRawSocket(unix) }()

	callee, err := client.Dial(testCtx(t), "rs://"+tcp.Addr().String(), "realm1")
	if err != nil {
		t.Fatal(err)
	}
	defer callee.Close(testCtx(t))
	caller, err := client.Dial(testCtx(t), "unix://"+unix.Addr().String(), "realm1")
	if err != nil {
		t.Fatal(err)
	}
	defer caller.Close(testCtx(t))
	if _, err := callee.Register(testCtx(t), "com.rs.hello", func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		return client.Result{Args: protocol.List{"hello over rawsocket"}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	res, err := caller.Call(testCtx(t), "com.rs.hello", nil, nil).Await(testCtx(t))
	if err != nil || res.Args[0] != "hello over rawsocket" {
		t.Fatalf("call: %+v %v", res, err)
	}
	tcp.Close()
	unix.Close()
	for range 2 {
		if err := <-served; err != nil {
			t.Fatalf("ServeRawSocket: %v", err)
		}
	}
}
