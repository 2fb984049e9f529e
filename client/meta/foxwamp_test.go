package meta_test

import (
	"context"
	"slices"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/meta"
	"github.com/wampgo/wampgo/internal/testkit/routertest"
)

// TestFoxWamp runs the meta procedures fox-wamp implements against it
// (testdata/router/QUIRKS.md, "Session meta API"): wamp.session.count,
// list and get, and the on_join and on_leave events. fox-wamp counts an
// internal session of its own, so counts are compared, not taken as is.
func TestFoxWamp(t *testing.T) {
	r := routertest.Start(t)
	ctx := ctxT(t)
	dial := func() *client.Client {
		c, err := client.Dial(ctx, r.URL(), "realm1")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(context.Background()) })
		return c
	}
	watcher := dial()
	joins := make(chan meta.Session, 2)
	leaves := make(chan meta.SessionLeft, 2)
	if _, err := meta.OnJoin(ctx, watcher, func(_ context.Context, s meta.Session) {
		joins <- s
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := meta.OnLeave(ctx, watcher, func(_ context.Context, l meta.SessionLeft) {
		leaves <- l
	}); err != nil {
		t.Fatal(err)
	}
	before, err := meta.SessionCount(ctx, watcher)
	if err != nil {
		t.Fatal(err)
	}
	other := dial()
	id := other.Session().ID
	if s := recv(t, joins); s.ID != id || s.AuthMethod != "anonymous" {
		t.Errorf("on_join = %+v, want session %d", s, id)
	}
	if n, err := meta.SessionCount(ctx, watcher); err != nil || n != before+1 {
		t.Errorf("SessionCount = %d, %v; want %d", n, err, before+1)
	}
	ids, err := meta.SessionList(ctx, watcher)
	if err != nil || !slices.Contains(ids, id) || !slices.Contains(ids, watcher.Session().ID) {
		t.Errorf("SessionList = %v, %v; want both our sessions in it", ids, err)
	}
	if s, err := meta.GetSession(ctx, watcher, id); err != nil || s.ID != id {
		t.Errorf("GetSession = %+v, %v", s, err)
	}
	if err := other.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if l := recv(t, leaves); l.ID != id {
		t.Errorf("on_leave = %+v, want session %d", l, id)
	}
}
