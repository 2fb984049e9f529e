package meta_test

import (
	"context"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/meta"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

func TestTestaments(t *testing.T) {
	r := wamptest.NewTestRouter(t)
	watcher := r.Client(t, "realm1")
	ctx := ctxT(t)
	got := make(chan string, 8)
	if _, err := watcher.Subscribe(ctx, "com.example.gone", func(_ context.Context, ev *client.Event) {
		got <- ev.Args[0].(string)
	}); err != nil {
		t.Fatal(err)
	}

	// A lost session publishes its testaments, detached ones first.
	lost := r.Client(t, "realm1")
	for _, tm := range []struct {
		arg   string
		scope meta.Scope
	}{{"destroyed-1", ""}, {"detached", meta.Detached}, {"destroyed-2", meta.Destroyed}} {
		var opts []meta.TestamentOption
		if tm.scope != "" {
			opts = append(opts, meta.InScope(tm.scope))
		}
		if err := meta.AddTestament(ctx, lost, "com.example.gone", protocol.List{tm.arg}, nil, opts...); err != nil {
			t.Fatal(err)
		}
	}
	if err := r.Drop(lost.Session().ID); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"detached", "destroyed-1", "destroyed-2"} {
		if g := recv(t, got); g != want {
			t.Errorf("testament %q, want %q", g, want)
		}
	}

	// Flushed testaments are not published; publish options apply.
	leaving := r.Client(t, "realm1")
	if err := meta.AddTestament(ctx, leaving, "com.example.gone", protocol.List{"flushed"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := meta.FlushTestaments(ctx, leaving, ""); err != nil {
		t.Fatal(err)
	}
	if err := meta.AddTestament(ctx, leaving, "com.example.gone", protocol.List{"excluded"}, nil,
		meta.PublishOptions(protocol.Dict{"exclude": protocol.List{int64(watcher.Session().ID)}})); err != nil {
		t.Fatal(err)
	}
	if err := meta.AddTestament(ctx, leaving, "com.example.gone", protocol.List{"kept"}, nil, meta.InScope(meta.Detached)); err != nil {
		t.Fatal(err)
	}
	if err := leaving.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if g := recv(t, got); g != "kept" {
		t.Errorf("testament %q, want kept", g)
	}
	// A barrier: an event published now arrives after anything the
	// leaving session's testaments could still have produced.
	pub := r.Client(t, "realm1")
	if _, err := pub.Publish(ctx, "com.example.gone", protocol.List{"barrier"}, nil, client.Acknowledge()); err != nil {
		t.Fatal(err)
	}
	if g := recv(t, got); g != "barrier" {
		t.Errorf("got %q, want only the barrier after kept", g)
	}
	if err := meta.AddTestament(ctx, pub, "com.example.gone", nil, nil, meta.InScope("forever")); err == nil {
		t.Error("AddTestament with an unknown scope succeeded")
	}
}
