package meta_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/meta"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

func ignore(context.Context, *client.Event) {}

func TestSubscriptionProcedures(t *testing.T) {
	r := wamptest.NewTestRouter(t)
	a, b, watcher := r.Client(t, "realm1"), r.Client(t, "realm1"), r.Client(t, "realm1")
	ctx := ctxT(t)
	exact, err := a.Subscribe(ctx, "com.example.news", ignore)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Subscribe(ctx, "com.example.news", ignore); err != nil {
		t.Fatal(err)
	}
	prefix, err := a.Subscribe(ctx, "com.example", ignore, client.Match(client.MatchPolicy(protocol.MatchPrefix)))
	if err != nil {
		t.Fatal(err)
	}
	wild, err := b.Subscribe(ctx, "com..news", ignore, client.Match(client.MatchPolicy(protocol.MatchWildcard)))
	if err != nil {
		t.Fatal(err)
	}
	lists, err := meta.Subscriptions(ctx, watcher)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(lists.Exact, []protocol.ID{exact.ID()}) || !slices.Equal(lists.Prefix, []protocol.ID{prefix.ID()}) ||
		!slices.Equal(lists.Wildcard, []protocol.ID{wild.ID()}) {
		t.Errorf("Subscriptions = %+v", lists)
	}
	if id, ok, err := meta.LookupSubscription(ctx, watcher, "com..news", protocol.MatchWildcard); err != nil || !ok || id != wild.ID() {
		t.Errorf("LookupSubscription = %d, %v, %v", id, ok, err)
	}
	ids, err := meta.MatchSubscriptions(ctx, watcher, "com.example.news")
	if want := []protocol.ID{exact.ID(), prefix.ID(), wild.ID()}; err != nil || !slices.Equal(ids, want) {
		t.Errorf("MatchSubscriptions = %v, %v; want %v", ids, err, want)
	}
	if ids, err := meta.MatchSubscriptions(ctx, watcher, "org.none"); err != nil || len(ids) != 0 {
		t.Errorf("MatchSubscriptions(none) = %v, %v", ids, err)
	}
	info, err := meta.GetSubscription(ctx, watcher, prefix.ID())
	if err != nil || info.ID != prefix.ID() || info.URI != "com.example" || info.Match != "prefix" || info.Created.IsZero() {
		t.Errorf("GetSubscription = %+v, %v", info, err)
	}
	subs, err := meta.Subscribers(ctx, watcher, exact.ID())
	if want := []protocol.ID{a.Session().ID, b.Session().ID}; err != nil || !slices.Equal(subs, want) {
		t.Errorf("Subscribers = %v, %v; want %v", subs, err, want)
	}
	if n, err := meta.CountSubscribers(ctx, watcher, exact.ID()); err != nil || n != 2 {
		t.Errorf("CountSubscribers = %d, %v", n, err)
	}
	if _, err := meta.Subscribers(ctx, watcher, 999); !errors.Is(err, meta.ErrNoSuchSubscription) {
		t.Errorf("Subscribers(unknown) = %v", err)
	}
}

func TestSubscriptionEvents(t *testing.T) {
	r := wamptest.NewTestRouter(t)
	sub, watcher := r.Client(t, "realm1"), r.Client(t, "realm1")
	ctx := ctxT(t)
	created := make(chan meta.SubscriptionCreated, 1)
	changes := make(chan string, 8)
	check := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err := meta.OnSubscriptionCreate(ctx, watcher, func(_ context.Context, c meta.SubscriptionCreated) {
		created <- c
	})
	check(err)
	for kind, on := range map[string]func(context.Context, *client.Client, meta.Handler[meta.Change], ...client.SubscribeOption) (*client.Subscription, error){
		"subscribe": meta.OnSubscribe, "unsubscribe": meta.OnUnsubscribe, "delete": meta.OnSubscriptionDelete,
	} {
		_, err := on(ctx, watcher, func(_ context.Context, c meta.Change) {
			if c.Session != sub.Session().ID {
				t.Errorf("%s event for session %d", kind, c.Session)
			}
			changes <- kind
		})
		check(err)
	}
	s, err := sub.Subscribe(ctx, "com.example.t", ignore)
	check(err)
	if c := recv(t, created); c.Subscription.ID != s.ID() || c.Subscription.URI != "com.example.t" || c.Session != sub.Session().ID {
		t.Errorf("on_create = %+v", c)
	}
	check(s.Unsubscribe(ctx))
	// One handler goroutine per subscription: the order of the three is
	// the router's, tested in package wamptest, not necessarily ours.
	got := map[string]bool{}
	for range 3 {
		got[recv(t, changes)] = true
	}
	if !got["subscribe"] || !got["unsubscribe"] || !got["delete"] {
		t.Errorf("got %v, want on_subscribe, on_unsubscribe and on_delete", got)
	}
}
