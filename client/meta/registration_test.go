package meta_test

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/meta"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

func nop(context.Context, *client.Invocation) (client.Result, error) { return client.Result{}, nil }

func TestRegistrationProcedures(t *testing.T) {
	r := wamptest.NewTestRouter(t)
	a, b, watcher := r.Client(t, "realm1"), r.Client(t, "realm1"), r.Client(t, "realm1")
	ctx := ctxT(t)
	before := time.Now().Add(-time.Second)

	exact, err := a.Register(ctx, "com.example.add", nop, client.Invoke(client.InvokePolicy(protocol.InvokeRoundRobin)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Register(ctx, "com.example.add", nop, client.Invoke(client.InvokePolicy(protocol.InvokeRoundRobin))); err != nil {
		t.Fatal(err)
	}
	prefix, err := a.Register(ctx, "com.example", nop, client.Match(client.MatchPolicy(protocol.MatchPrefix)))
	if err != nil {
		t.Fatal(err)
	}
	wild, err := b.Register(ctx, "com..sub", nop, client.Match(client.MatchPolicy(protocol.MatchWildcard)))
	if err != nil {
		t.Fatal(err)
	}

	lists, err := meta.Registrations(ctx, watcher)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lists.Exact, []protocol.ID{exact.ID()}) || !slices.Equal(lists.Prefix, []protocol.ID{prefix.ID()}) ||
		!slices.Equal(lists.Wildcard, []protocol.ID{wild.ID()}) {
		t.Errorf("Registrations = %+v", lists)
	}
	if id, ok, err := meta.LookupRegistration(ctx, watcher, "com.example", protocol.MatchPrefix); err != nil || !ok || id != prefix.ID() {
		t.Errorf("LookupRegistration(prefix) = %d, %v, %v", id, ok, err)
	}
	if _, ok, err := meta.LookupRegistration(ctx, watcher, "com.example", ""); err != nil || ok {
		t.Errorf("LookupRegistration(exact, none) = %v, %v", ok, err)
	}
	for proc, want := range map[protocol.URI]protocol.ID{
		"com.example.add": exact.ID(), "com.example.sub": prefix.ID(), "com.other.sub": wild.ID(), "org.x": 0,
	} {
		id, ok, err := meta.MatchRegistration(ctx, watcher, proc)
		if err != nil || ok != (want != 0) || id != want {
			t.Errorf("MatchRegistration(%s) = %d, %v, %v; want %d", proc, id, ok, err, want)
		}
	}
	info, err := meta.GetRegistration(ctx, watcher, exact.ID())
	if err != nil {
		t.Fatal(err)
	}
	if info.ID != exact.ID() || info.URI != "com.example.add" || info.Match != "exact" || info.Invoke != "roundrobin" ||
		info.Created.Before(before) {
		t.Errorf("GetRegistration = %+v", info)
	}
	callees, err := meta.Callees(ctx, watcher, exact.ID())
	if want := []protocol.ID{a.Session().ID, b.Session().ID}; err != nil || !slices.Equal(callees, want) {
		t.Errorf("Callees = %v, %v; want %v", callees, err, want)
	}
	if n, err := meta.CountCallees(ctx, watcher, exact.ID()); err != nil || n != 2 {
		t.Errorf("CountCallees = %d, %v", n, err)
	}
	if _, err := meta.CountCallees(ctx, watcher, 999); !errors.Is(err, meta.ErrNoSuchRegistration) {
		t.Errorf("CountCallees(unknown) = %v", err)
	}
	if _, err := meta.GetRegistration(ctx, watcher, 999); !errors.Is(err, meta.ErrNoSuchRegistration) {
		t.Errorf("GetRegistration(unknown) = %v", err)
	}
}

func TestRegistrationEvents(t *testing.T) {
	r := wamptest.NewTestRouter(t)
	callee, watcher := r.Client(t, "realm1"), r.Client(t, "realm1")
	ctx := ctxT(t)
	type ev struct {
		kind string
		c    meta.Change
	}
	events := make(chan ev, 8)
	created := make(chan meta.RegistrationCreated, 2)
	check := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := meta.OnRegistrationCreate(ctx, watcher, func(_ context.Context, c meta.RegistrationCreated) {
		created <- c
	})
	check(err)
	for kind, on := range map[string]func(context.Context, *client.Client, meta.Handler[meta.Change], ...client.SubscribeOption) (*client.Subscription, error){
		"register": meta.OnRegister, "unregister": meta.OnUnregister, "delete": meta.OnRegistrationDelete,
	} {
		_, err := on(ctx, watcher, func(_ context.Context, c meta.Change) {
			events <- ev{kind, c}
		})
		check(err)
	}
	reg, err := callee.Register(ctx, "com.example.p", nop)
	check(err)
	me := callee.Session().ID
	if c := recv(t, created); c.Session != me || c.Registration.ID != reg.ID() || c.Registration.URI != "com.example.p" {
		t.Errorf("on_create = %+v", c)
	}
	if e := recv(t, events); e != (ev{"register", meta.Change{me, reg.ID()}}) {
		t.Errorf("got %+v, want on_register", e)
	}
	check(reg.Unregister(ctx))
	// Each subscription has its own handler goroutine: the two events may
	// be handled in either order (the router's order is tested in
	// package wamptest).
	gotEvents := map[ev]bool{recv(t, events): true, recv(t, events): true}
	if !gotEvents[ev{"unregister", meta.Change{me, reg.ID()}}] || !gotEvents[ev{"delete", meta.Change{me, reg.ID()}}] {
		t.Errorf("got %v, want on_unregister and on_delete", gotEvents)
	}
}
