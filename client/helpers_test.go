package client_test

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/memconn"
	"github.com/wampgo/wampgo/internal/scripted"
	"github.com/wampgo/wampgo/protocol"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const testSession protocol.ID = 4242

// joined returns a client joined to a scripted router with every feature,
// and closes both at the end of the test.
func joined(t *testing.T, opts ...client.Option) (*client.Client, *scripted.Router) {
	t.Helper()
	return joinedWith(t, scripted.Roles(), opts...)
}

func joinedWith(t *testing.T, roles protocol.Dict, opts ...client.Option) (*client.Client, *scripted.Router) {
	t.Helper()
	ct, rt := memconn.Pipe("json")
	r := scripted.New(t, rt)
	type res struct {
		c   *client.Client
		err error
	}
	done := make(chan res, 1)
	go func() {
		c, err := client.Connect(context.Background(), ct, "realm1", opts...)
		done <- res{c, err}
	}()
	r.Welcome(testSession, roles)
	got := <-done
	if got.err != nil {
		t.Fatalf("Connect: %v", got.err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		rt.Close()
		got.c.Close(ctx)
		<-got.c.Done()
	})
	return got.c, r
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// await waits for a call's final result within the test's bound.
func await(t *testing.T, call *client.Call) (client.Result, error) {
	t.Helper()
	return call.Await(ctxT(t))
}

func runtimeGosched() { time.Sleep(time.Millisecond) }
