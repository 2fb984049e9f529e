package wamptest_test

import (
	"context"
	"net"
	"path/filepath"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

// The router over RawSocket: a loopback TCP listener and a Unix socket,
// routing between them, and ServeRawSocket returning nil once its listener
// is closed.
func TestServeRawSocket(t *testing.T) {
	r := wamptest.NewRouter()
	defer r.Close()
	tcp, err := r.ListenRawSocket()
	if err != nil {
		t.Fatal(err)
	}
	unix, err := net.Listen("unix", filepath.Join(t.TempDir(), "r.sock"))
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- r.ServeRawSocket(unix) }()

	ctx := t.Context()
	callee, err := client.Dial(ctx, tcp.URL(), "realm1")
	if err != nil {
		t.Fatal(err)
	}
	defer callee.Close(context.Background())
	caller, err := client.Dial(ctx, "unix://"+unix.Addr().String(), "realm1")
	if err != nil {
		t.Fatal(err)
	}
	defer caller.Close(context.Background())
	if _, err := callee.Register(ctx, "com.rs.hello", func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		return client.Result{Args: protocol.List{"hello over rawsocket"}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	res, err := caller.Call(ctx, "com.rs.hello", nil, nil).Await(ctx)
	if err != nil || res.Args[0] != "hello over rawsocket" {
		t.Fatalf("call: %+v %v", res, err)
	}
	unix.Close()
	if err := <-served; err != nil {
		t.Fatalf("ServeRawSocket: %v", err)
	}
	tcp.Close()
	tcp.Close()
}
