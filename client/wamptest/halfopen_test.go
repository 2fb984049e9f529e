package wamptest_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"testing/synctest"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

func heldNop(context.Context, *client.Invocation) (client.Result, error) { return client.Result{}, nil }

func TestKitHalfOpenKeepsTheSessionUntilReaped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := wamptest.NewTestRouter(t)
		svc := r.Client(t, "realm1")
		if _, err := svc.Register(t.Context(), "com.example.held", heldNop); err != nil {
			t.Fatal(err)
		}
		id := svc.Session().ID
		if err := r.HalfOpen(id); err != nil {
			t.Fatal(err)
		}
		if err := svc.Wait(t.Context()); err == nil {
			t.Fatal("the client's session survived HalfOpen")
		}
		synctest.Wait()
		if !slices.Contains(r.Sessions("realm1"), id) {
			t.Fatalf("session %d gone after HalfOpen: %v", id, r.Sessions("realm1"))
		}
		other := r.Client(t, "realm1")
		var e *client.Error
		if _, err := other.Register(t.Context(), "com.example.held", heldNop); !errors.As(err, &e) || e.URI != protocol.URIErrProcedureAlreadyExists {
			t.Fatalf("Register while the dead session holds the procedure: %v", err)
		}
		if err := r.Reap(id); err != nil {
			t.Fatal(err)
		}
		if err := r.Reap(id); !errors.Is(err, wamptest.ErrNoSession) {
			t.Fatalf("second Reap: %v", err)
		}
		if _, err := other.Register(t.Context(), "com.example.held", heldNop); err != nil {
			t.Fatalf("Register after Reap: %v", err)
		}
	})
}

func TestKitHalfOpenSessionCanBeKilled(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := wamptest.NewTestRouter(t)
		svc := r.Client(t, "realm1")
		id := svc.Session().ID
		if err := r.HalfOpen(id); err != nil {
			t.Fatal(err)
		}
		admin := r.Client(t, "realm1")
		if _, err := admin.Call(t.Context(), "wamp.session.kill", protocol.List{int64(id)}, nil).Await(t.Context()); err != nil {
			t.Fatalf("wamp.session.kill of a half-open session: %v", err)
		}
		if slices.Contains(r.Sessions("realm1"), id) {
			t.Fatalf("session %d still held after the kill", id)
		}
		if err := r.HalfOpen(admin.Session().ID); err != nil {
			t.Fatal(err)
		}
		r.Stop()
		if ids := r.Sessions("realm1"); len(ids) != 0 {
			t.Fatalf("sessions after Stop: %v", ids)
		}
	})
}
