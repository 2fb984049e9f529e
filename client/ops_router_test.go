package client_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/routertest"
	"github.com/wampgo/wampgo/protocol"
)

// A service that starts before the real router joins once the router is
// up, then drains cleanly: its last invocation is answered, then GOODBYE.
func TestRealRouterStartBeforeRouterThenDrain(t *testing.T) {
	r := routertest.Start(t)
	r.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	svc, err := client.Dial(ctx, r.URL(), interopRealm, client.WithReconnect(client.Reconnect{
		RetryOnFailedConnect: true, MinDelay: 50 * time.Millisecond, MaxDelay: 200 * time.Millisecond,
	}))
	if err != nil {
		t.Fatalf("Dial with the router down: %v", err)
	}
	defer clienttest.Close(t, svc)
	if s := svc.State(); s != client.StateConnecting {
		t.Fatalf("State = %v, want connecting", s)
	}
	started, release := make(chan struct{}), make(chan struct{})
	registered := make(chan error, 1)
	go func() {
		_, err := svc.Register(ctx, "com.wampgo.ops.slow", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
			close(started)
			select {
			case <-release:
			case <-ctx.Done():
			}
			return client.Result{Args: protocol.List{"done"}}, ctx.Err()
		})
		registered <- err
	}()

	r.Restart()
	if err := svc.WaitJoined(ctx); err != nil {
		t.Fatal(err)
	}
	if err := <-registered; err != nil {
		t.Fatalf("Register made before the router was up: %v", err)
	}
	if svc.Serializer() != "json" || svc.Session().ID == 0 {
		t.Fatalf("after joining: %v", svc)
	}

	caller := dialReal(t, r)
	call := caller.Call(ctx, "com.wampgo.ops.slow", nil, nil)
	<-started
	drained := make(chan error, 1)
	go func() { drained <- svc.Drain(ctx) }()
	// Drain waits for the running invocation (TestDrainFinishesTakenWorkThenSaysGoodbye
	// checks it precisely, in fake time).
	select {
	case err := <-drained:
		t.Fatalf("Drain returned %v before the running invocation ended", err)
	default:
	}
	close(release)
	if res, err := call.Await(ctx); err != nil || res.Args[0] != "done" {
		t.Fatalf("the call running during Drain: %+v, %v", res, err)
	}
	if err := <-drained; err != nil {
		t.Fatalf("Drain: %v", err)
	}
	var we *client.Error
	if _, err := caller.Call(ctx, "com.wampgo.ops.slow", nil, nil).Await(ctx); !errors.As(err, &we) || we.URI != "wamp.error.no_such_procedure" {
		t.Fatalf("a call after Drain: %v, want no_such_procedure", err)
	}
	s := svc.Stats()
	if svc.State() != client.StateClosed || s.Invocations != 1 || s.BytesIn == 0 || s.BytesOut == 0 {
		t.Fatalf("after Drain: state %v, stats %+v", svc.State(), s)
	}
}
