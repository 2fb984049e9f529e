package meta_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/auth"
	"github.com/wampgo/wampgo/client/meta"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

func TestSessionProcedures(t *testing.T) {
	r := wamptest.NewTestRouter(t,
		wamptest.WithUser(wamptest.User{AuthID: "alice", AuthRole: "admin", Ticket: "a"}),
		wamptest.WithUser(wamptest.User{AuthID: "bob", AuthRole: "user", Ticket: "b"}))
	admin := r.Client(t, "realm1", client.WithAuth("alice", auth.Ticket("a")))
	bob1 := r.Client(t, "realm1", client.WithAuth("bob", auth.Ticket("b")))
	bob2 := r.Client(t, "realm1", client.WithAuth("bob", auth.Ticket("b")))
	anon := r.Client(t, "realm1")
	r.Client(t, "other-realm")
	ctx := ctxT(t)

	if n, err := meta.SessionCount(ctx, admin); err != nil || n != 4 {
		t.Fatalf("SessionCount = %d, %v; want 4", n, err)
	}
	if n, err := meta.SessionCount(ctx, admin, "user", "admin"); err != nil || n != 3 {
		t.Fatalf("SessionCount(user, admin) = %d, %v; want 3", n, err)
	}
	ids, err := meta.SessionList(ctx, admin, "user")
	want := []protocol.ID{bob1.Session().ID, bob2.Session().ID}
	slices.Sort(want)
	if slices.Sort(ids); err != nil || !slices.Equal(ids, want) {
		t.Fatalf("SessionList(user) = %v, %v; want %v", ids, err, want)
	}
	s, err := meta.GetSession(ctx, admin, bob1.Session().ID)
	if err != nil {
		t.Fatal(err)
	}
	if s.ID != bob1.Session().ID || s.AuthID != "bob" || s.AuthRole != "user" || s.AuthMethod != "ticket" ||
		s.AuthProvider != "wamptest" || s.Transport["type"] != "memory" {
		t.Errorf("GetSession = %+v", s)
	}
	_, err = meta.GetSession(ctx, admin, 42)
	var werr *client.Error
	if !errors.Is(err, meta.ErrNoSuchSession) || !errors.As(err, &werr) || werr.URI != protocol.URIErrNoSuchSession {
		t.Errorf("GetSession(unknown) = %v; want ErrNoSuchSession", err)
	}

	// Kill by authid: both bob sessions get GOODBYE with our reason.
	killed, err := meta.KillByAuthID(ctx, admin, "bob", meta.KillReason("com.example.bye"), meta.KillMessage("go away"))
	if slices.Sort(killed); err != nil || !slices.Equal(killed, want) {
		t.Fatalf("KillByAuthID = %v, %v; want %v", killed, err, want)
	}
	for _, c := range []*client.Client{bob1, bob2} {
		err := c.Wait(ctx)
		var gerr *client.GoodbyeError
		if !errors.As(err, &gerr) || gerr.Reason != "com.example.bye" {
			t.Errorf("killed session ended with %v; want GOODBYE com.example.bye", err)
		}
	}
	if err := meta.KillSession(ctx, admin, admin.Session().ID); !errors.Is(err, meta.ErrNoSuchSession) {
		t.Errorf("KillSession(self) = %v; want ErrNoSuchSession", err)
	}
	if err := meta.KillSession(ctx, admin, anon.Session().ID, meta.KillReason("not a uri!")); err == nil {
		t.Error("KillSession with an invalid reason succeeded")
	}
	if err := meta.KillSession(ctx, admin, anon.Session().ID); err != nil {
		t.Fatal(err)
	}
	var gerr *client.GoodbyeError
	if err := anon.Wait(ctx); !errors.As(err, &gerr) || gerr.Reason != "wamp.close.killed" {
		t.Errorf("killed session ended with %v; want GOODBYE wamp.close.killed", err)
	}
	if n, err := meta.KillByAuthRole(ctx, admin, "admin"); err != nil || n != 0 {
		t.Errorf("KillByAuthRole(admin) = %d, %v; want 0 (the caller is spared)", n, err)
	}
	others := []*client.Client{r.Client(t, "realm1"), r.Client(t, "realm1")}
	if n, err := meta.KillAll(ctx, admin); err != nil || n != 2 {
		t.Errorf("KillAll = %d, %v; want 2", n, err)
	}
	for _, c := range others {
		c.Wait(ctx)
	}
	if n, err := meta.SessionCount(ctx, admin); err != nil || n != 1 {
		t.Errorf("SessionCount after KillAll = %d, %v; want 1", n, err)
	}
}

func TestSessionEvents(t *testing.T) {
	r := wamptest.NewTestRouter(t)
	watcher := r.Client(t, "realm1")
	ctx := ctxT(t)
	joins, leaves := make(chan meta.Session, 4), make(chan meta.SessionLeft, 4)
	if _, err := meta.OnJoin(ctx, watcher, func(_ context.Context, s meta.Session) { joins <- s }); err != nil {
		t.Fatal(err)
	}
	if _, err := meta.OnLeave(ctx, watcher, func(_ context.Context, l meta.SessionLeft) {
		leaves <- l
	}); err != nil {
		t.Fatal(err)
	}
	c, err := r.Connect(ctx, "realm1", client.WithHelloDetails(protocol.Dict{"authrole": "tester"}))
	if err != nil {
		t.Fatal(err)
	}
	j := recv(t, joins)
	if j.ID != c.Session().ID || j.AuthRole != "tester" || j.AuthMethod != "anonymous" {
		t.Errorf("on_join = %+v", j)
	}
	id := c.Session().ID
	c.Close(ctx)
	if l := recv(t, leaves); l.ID != id || l.AuthRole != "tester" || l.AuthID == "" {
		t.Errorf("on_leave = %+v", l)
	}
}
