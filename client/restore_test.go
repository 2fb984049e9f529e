package client_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// restoreErrors collects the *RestoreError reports of an error handler
// without ever blocking it.
type restoreErrors chan *client.RestoreError

func (ch restoreErrors) handler(err error) {
	var re *client.RestoreError
	if errors.As(err, &re) {
		select {
		case ch <- re:
		default:
		}
	}
}

// service starts a reconnecting client of r with procedure com.example.svc
// registered; it reports state changes on states and restore failures on
// errs.
func service(t *testing.T, r *wamptest.Router, rc client.Reconnect, states chan client.StateChange, errs restoreErrors) (*client.Client, *client.Registration) {
	t.Helper()
	rc.URLs, rc.Dial = []string{"mem://router"}, r.Dial
	rc.MinDelay, rc.MaxDelay = time.Second, 4*time.Second
	rc.OnStateChange = func(sc client.StateChange) { states <- sc }
	svc := r.Client(t, "realm1", client.WithErrorHandler(errs.handler), client.WithReconnect(rc))
	waitState(t, states, client.StateJoined)
	reg, err := svc.Register(t.Context(), "com.example.svc", func(context.Context, *client.Invocation) (client.Result, error) {
		return client.Result{Args: protocol.List{"served"}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return svc, reg
}

// callSvc calls com.example.svc from caller and returns the error.
func callSvc(t *testing.T, caller *client.Client) error {
	t.Helper()
	res, err := caller.Call(t.Context(), "com.example.svc", nil, nil).Await(t.Context())
	if err == nil && res.Args[0] != "served" {
		t.Fatalf("call answered %v", res.Args)
	}
	return err
}

// A router that still holds the dead session answers the restore's
// REGISTER with procedure_already_exists until it reaps that session: the
// client keeps retrying and is not joined meanwhile.
func TestRestoreRetriedWhileTheRouterHoldsTheDeadSession(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := wamptest.NewTestRouter(t)
		states, errs := make(chan client.StateChange, 64), make(restoreErrors, 64)
		svc, reg := service(t, r, client.Reconnect{}, states, errs)
		old := svc.Session().ID
		if err := r.HalfOpen(old); err != nil {
			t.Fatal(err)
		}
		sc := waitState(t, states, client.StateRestoring)
		if sc.Session == old || sc.Session == 0 {
			t.Fatalf("restoring on session %d (old %d)", sc.Session, old)
		}
		short, cancel := context.WithTimeout(t.Context(), 10*time.Second)
		defer cancel()
		if err := svc.WaitJoined(short); !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("WaitJoined while the registration is not restored: %v", err)
		}
		if s := svc.State(); s != client.StateRestoring {
			t.Fatalf("State = %v, want restoring", s)
		}
		if n := svc.Stats().RestoresPending; n != 1 {
			t.Fatalf("RestoresPending = %d, want 1", n)
		}
		select {
		case <-reg.Done():
			t.Fatal("the registration was given up")
		default:
		}
		// One report per attempt, in order, each still retrying.
		attempts := len(errs)
		if attempts < 3 {
			t.Fatalf("%d restore failures reported in 10s, want at least 3", attempts)
		}
		for i := 1; i <= attempts; i++ {
			re := <-errs
			var e *client.Error
			if re.Attempt != i || !re.Retrying || re.Kind != "registration" || re.URI != "com.example.svc" ||
				!errors.As(re, &e) || e.URI != protocol.URIErrProcedureAlreadyExists {
				t.Fatalf("report %d: %+v (%v)", i, re, re)
			}
		}
		// Meanwhile the router routes calls to the dead session: they hang.
		caller := r.Client(t, "realm1")
		lost, cancelLost := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancelLost()
		if _, err := caller.Call(lost, "com.example.svc", nil, nil, client.WithCancelMode(client.CancelSkip)).Await(t.Context()); !errors.Is(err, client.ErrCanceled) {
			t.Fatalf("call to the dead session: %v", err)
		}

		// The router notices the dead session at last: the next retry
		// restores the registration.
		if err := r.Reap(old); err != nil {
			t.Fatal(err)
		}
		if err := svc.WaitJoined(t.Context()); err != nil {
			t.Fatal(err)
		}
		if err := callSvc(t, caller); err != nil {
			t.Fatalf("call after the restore: %v", err)
		}
		if st := svc.Stats(); st.RestoresPending != 0 || st.Reconnects != 1 {
			t.Fatalf("stats after the restore: pending %d, reconnects %d", st.RestoresPending, st.Reconnects)
		}
	})
}

// With KillStaleSession the client kills its own stale session and
// restores at once, without waiting for the backoff.
func TestRestoreKillsOwnStaleSession(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := wamptest.NewTestRouter(t)
		states, errs := make(chan client.StateChange, 64), make(restoreErrors, 64)
		svc, _ := service(t, r, client.Reconnect{KillStaleSession: true}, states, errs)
		bystander := r.Client(t, "realm1")
		old := svc.Session().ID
		if err := r.HalfOpen(old); err != nil {
			t.Fatal(err)
		}
		waitState(t, states, client.StateRestoring)
		restoring := time.Now()
		waitState(t, states, client.StateJoined)
		if took := time.Since(restoring); took >= 500*time.Millisecond {
			t.Fatalf("restored after %v: it waited for the backoff", took)
		}
		synctest.Wait() // the error handler runs off the loop: let it report
		if len(errs) != 1 {
			t.Fatalf("%d restore failures reported, want 1", len(errs))
		}
		ids := r.Sessions("realm1")
		if slices.Contains(ids, old) || !slices.Contains(ids, bystander.Session().ID) || !slices.Contains(ids, svc.Session().ID) {
			t.Fatalf("sessions %v: old %d must be gone, bystander %d and service %d alive", ids, old, bystander.Session().ID, svc.Session().ID)
		}
		if err := callSvc(t, bystander); err != nil {
			t.Fatalf("call after the restore: %v", err)
		}
	})
}

// Another client holding the procedure is never killed: the kill is only
// ever of this client's own previous session (gone here), and the restore
// waits, retrying, until the other client lets the procedure go.
func TestRestoreNeverKillsAnotherSession(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r := wamptest.NewTestRouter(t)
		states, errs := make(chan client.StateChange, 64), make(restoreErrors, 64)
		svc, _ := service(t, r, client.Reconnect{KillStaleSession: true}, states, errs)
		if err := r.Drop(svc.Session().ID); err != nil {
			t.Fatal(err)
		}
		// Let the router end the dropped session (and free its
		// procedure) before the other client registers it; the service
		// waits for its reconnect delay meanwhile.
		synctest.Wait()
		other := r.Client(t, "realm1")
		taken, err := other.Register(t.Context(), "com.example.svc", func(context.Context, *client.Invocation) (client.Result, error) {
			return client.Result{Args: protocol.List{"other"}}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		waitState(t, states, client.StateRestoring)
		time.Sleep(10 * time.Second)
		if s := svc.State(); s != client.StateRestoring {
			t.Fatalf("State = %v, want restoring", s)
		}
		if !slices.Contains(r.Sessions("realm1"), other.Session().ID) {
			t.Fatal("the other client's session was killed")
		}
		if err := taken.Unregister(t.Context()); err != nil {
			t.Fatal(err)
		}
		if err := svc.WaitJoined(t.Context()); err != nil {
			t.Fatal(err)
		}
		if err := callSvc(t, other); err != nil {
			t.Fatalf("call after the restore: %v", err)
		}
	})
}

// rejoinScripted drops r1's connection and welcomes the client on the
// next one, returning its router.
func rejoinScripted(t *testing.T, d reconnectDialer, r1 *scripted.Router) *scripted.Router {
	t.Helper()
	r1.Transport().Close()
	r2 := d.Next(t)
	r2.Welcome(2, scripted.Roles())
	return r2
}

// Refusals about the request itself end the registration or subscription
// as before; every other refusal is retried, for subscriptions too.
func TestRestoreErrorsThatCannotPassEndIt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newReconnectDialer(t, clienttest.Transports()[0])
		errs := make(restoreErrors, 16)
		c, r1 := reconnecting(t, d, client.Reconnect{MinDelay: time.Second, MaxDelay: time.Second}, client.WithErrorHandler(errs.handler))
		sub, _ := clienttest.Subscribe(t, c, r1, "com.t", 10, nopEvent)
		reg, _ := clienttest.Register(t, c, r1, "com.p", 20, nopHandler)
		r2 := rejoinScripted(t, d, r1)
		s := scripted.Expect[*protocol.Subscribe](r2)
		g := scripted.Expect[*protocol.Register](r2)
		r2.Send(&protocol.Error{RequestType: protocol.TypeSubscribe, Request: s.Request, Details: protocol.Dict{}, Error: protocol.URIErrUnavailable})
		r2.Send(&protocol.Error{RequestType: protocol.TypeRegister, Request: g.Request, Details: protocol.Dict{}, Error: protocol.URIErrNotAuthorized})
		<-reg.Done()
		if re := <-errs; re.Kind != "subscription" || !re.Retrying {
			t.Fatalf("first report %v", re)
		}
		if re := <-errs; re.Kind != "registration" || re.Retrying {
			t.Fatalf("second report %v", re)
		}
		synctest.Wait()
		if st := c.State(); st != client.StateRestoring || c.Stats().RestoresPending != 1 {
			t.Fatalf("state %v, pending %d", st, c.Stats().RestoresPending)
		}
		s = scripted.Expect[*protocol.Subscribe](r2) // after the backoff
		r2.Send(&protocol.Subscribed{Request: s.Request, Subscription: 11})
		if err := c.WaitJoined(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		if sub.ID() != 11 || reg.ID() != 0 {
			t.Fatalf("ids: sub %d, reg %d", sub.ID(), reg.ID())
		}
	})
}

// Removing what waits to be restored settles it: the client is joined.
func TestRestoreRemovedWhilePending(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newReconnectDialer(t, clienttest.Transports()[0])
		c, r1 := reconnecting(t, d, client.Reconnect{MinDelay: time.Second, MaxDelay: time.Second})
		reg, _ := clienttest.Register(t, c, r1, "com.p", 20, nopHandler)
		r2 := rejoinScripted(t, d, r1)
		g := scripted.Expect[*protocol.Register](r2)
		r2.Send(&protocol.Error{RequestType: protocol.TypeRegister, Request: g.Request, Details: protocol.Dict{}, Error: protocol.URIErrProcedureAlreadyExists})
		synctest.Wait()
		if st := c.State(); st != client.StateRestoring {
			t.Fatalf("state %v, want restoring", st)
		}
		if err := reg.Unregister(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		if err := c.WaitJoined(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		if n := c.Stats().RestoresPending; n != 0 {
			t.Fatalf("RestoresPending = %d", n)
		}
		// The retry timer was stopped: nothing more is sent.
		time.Sleep(5 * time.Second)
		c.Call(ctxT(t), "next", nil, nil)
		if m := scripted.Expect[*protocol.Call](r2); m.Procedure != "next" {
			t.Fatalf("after the removal: %s", scripted.Describe(m))
		}
	})
}

func TestForceReregisterIsSentAndRestored(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		d := newReconnectDialer(t, clienttest.Transports()[0])
		c, r1 := reconnecting(t, d, client.Reconnect{MinDelay: time.Second, MaxDelay: time.Second})
		_, m := clienttest.Register(t, c, r1, "com.p", 20, nopHandler, client.ForceReregister())
		if m.Options["force_reregister"] != true {
			t.Fatalf("REGISTER.Options %v", m.Options)
		}
		r2 := rejoinScripted(t, d, r1)
		g := scripted.Expect[*protocol.Register](r2)
		if g.Options["force_reregister"] != true {
			t.Fatalf("restored REGISTER.Options %v", g.Options)
		}
		r2.Send(&protocol.Registered{Request: g.Request, Registration: 21})
		if err := c.WaitJoined(ctxT(t)); err != nil {
			t.Fatal(err)
		}
	})
}
