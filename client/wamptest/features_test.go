package wamptest_test

import (
	"context"
	"slices"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

// whoAnswers registers proc on each callee with opts; each handler answers
// with its callee's index.
func whoAnswers(t *testing.T, proc protocol.URI, callees []*client.Client, opts ...client.RegisterOption) []*client.Registration {
	t.Helper()
	var regs []*client.Registration
	for i, c := range callees {
		reg, err := c.Register(testCtx(t), proc, func(context.Context, *client.Invocation) (client.Result, error) {
			return client.Result{Args: protocol.List{int64(i)}}, nil
		}, opts...)
		if err != nil {
			t.Fatal(err)
		}
		regs = append(regs, reg)
	}
	return regs
}

// answers makes n calls of proc and returns who answered each.
func answers(t *testing.T, caller *client.Client, proc protocol.URI, n int) []int64 {
	t.Helper()
	var got []int64
	for range n {
		res, err := caller.Call(testCtx(t), proc, nil, nil).Await(testCtx(t))
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, res.Args[0].(int64))
	}
	return got
}

func TestRouterSharedRegistration(t *testing.T) {
	r := newRouter(t, wamptest.WithSeed(1))
	callees := []*client.Client{r.Client(t, "realm1"), r.Client(t, "realm1"), r.Client(t, "realm1")}
	caller := r.Client(t, "realm1")

	whoAnswers(t, "com.rr", callees, client.Invoke(client.InvokeRoundRobin))
	if got := answers(t, caller, "com.rr", 6); !slices.Equal(got, []int64{0, 1, 2, 0, 1, 2}) {
		t.Errorf("roundrobin answers %v", got)
	}
	first := whoAnswers(t, "com.first", callees, client.Invoke(client.InvokeFirst))
	if got := answers(t, caller, "com.first", 2); !slices.Equal(got, []int64{0, 0}) {
		t.Errorf("first answers %v", got)
	}
	if err := first[0].Unregister(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	if got := answers(t, caller, "com.first", 1); !slices.Equal(got, []int64{1}) {
		t.Errorf("first after unregistering 0 answers %v", got)
	}
	whoAnswers(t, "com.last", callees, client.Invoke(client.InvokeLast))
	if got := answers(t, caller, "com.last", 2); !slices.Equal(got, []int64{2, 2}) {
		t.Errorf("last answers %v", got)
	}
	whoAnswers(t, "com.random", callees, client.Invoke(client.InvokeRandom))
	got := answers(t, caller, "com.random", 30)
	for i := range int64(3) {
		if !slices.Contains(got, i) {
			t.Errorf("random never picked callee %d in %v", i, got)
		}
	}
	// A different policy, or a second single registration, is refused.
	if _, err := callees[0].Register(testCtx(t), "com.rr", nop, client.Invoke(client.InvokeFirst)); err == nil {
		t.Error("registered com.rr with another policy")
	}
}

func nop(context.Context, *client.Invocation) (client.Result, error) { return client.Result{}, nil }

func TestRouterPatternRegistration(t *testing.T) {
	r := newRouter(t)
	callee, caller := r.Client(t, "realm1"), r.Client(t, "realm1")
	for _, reg := range []struct {
		proc  protocol.URI
		match client.MatchPolicy
	}{
		{"a1.b2.c3.d4.e55", client.MatchExact}, {"a1.b2.c3", client.MatchPrefix}, {"a1.b2.c3.d4", client.MatchPrefix},
		{"a1.b2..d4.e5", client.MatchWildcard}, {"a1.b2.x33..e5", client.MatchWildcard},
		{"a1.b2..d4.e5..g7", client.MatchWildcard}, {"a1.b2..d4..f6.g7", client.MatchWildcard},
	} {
		name := reg.proc
		if _, err := callee.Register(testCtx(t), reg.proc, func(_ context.Context, inv *client.Invocation) (client.Result, error) {
			return client.Result{Args: protocol.List{name, inv.Procedure}}, nil
		}, client.Match(reg.match)); err != nil {
			t.Fatal(err)
		}
	}
	// The spec's examples (advanced/rpc_pattern_based_registration.md),
	// with x33 for its c33: the spec's "Prefix Matching" section makes
	// a1.b2.c3 a string prefix of a1.b2.c33.d4.e5, as the router
	// implements, while its example counts components.
	for call, want := range map[protocol.URI]protocol.URI{
		"a1.b2.c3.d4.e55":       "a1.b2.c3.d4.e55",
		"a1.b2.c3.d98.e74":      "a1.b2.c3",
		"a1.b2.c3.d4.e325":      "a1.b2.c3.d4",
		"a1.b2.c55.d4.e5":       "a1.b2..d4.e5",
		"a1.b2.x33.d4.e5":       "a1.b2.x33..e5",
		"a1.b2.c88.d4.e5.f6.g7": "a1.b2..d4.e5..g7",
	} {
		res, err := caller.Call(testCtx(t), call, nil, nil).Await(testCtx(t))
		if err != nil {
			t.Fatalf("call %s: %v", call, err)
		}
		if res.Args[0] != want || res.Args[1] != call {
			t.Errorf("call %s reached %v as %v, want %s", call, res.Args[0], res.Args[1], want)
		}
	}
	if _, err := caller.Call(testCtx(t), "a1.b3", nil, nil).Await(testCtx(t)); err == nil {
		t.Error("a call matching nothing succeeded")
	}
}

func TestRouterPatternSubscriptionAndRetention(t *testing.T) {
	r := newRouter(t)
	pub := r.Client(t, "realm1")
	ctx := testCtx(t)
	for _, topic := range []protocol.URI{"com.news.sport", "com.news.weather", "com.other"} {
		if _, err := pub.Publish(ctx, topic, protocol.List{"retained " + topic}, nil, client.Retain(), client.Acknowledge()); err != nil {
			t.Fatal(err)
		}
	}
	// Not retained: a later subscriber does not get it.
	if _, err := pub.Publish(ctx, "com.news.sport", protocol.List{"live"}, nil, client.Acknowledge()); err != nil {
		t.Fatal(err)
	}
	// Retained, but not for the subscriber below.
	if _, err := pub.Publish(ctx, "com.news.weather", protocol.List{"not for you"}, nil,
		client.Retain(), client.Acknowledge(), client.ExcludeAuthRole("watcher")); err != nil {
		t.Fatal(err)
	}
	sub := r.Client(t, "realm1", client.WithHelloDetails(protocol.Dict{"authrole": "watcher"}))
	type got struct {
		topic    protocol.URI
		arg      any
		retained bool
	}
	events := make(chan got, 8)
	if _, err := sub.Subscribe(ctx, "com.news", func(_ context.Context, ev *client.Event) {
		events <- got{ev.Topic, ev.Args[0], ev.Retained}
	}, client.Match(client.MatchPrefix), client.GetRetained()); err != nil {
		t.Fatal(err)
	}
	if e := <-events; e != (got{"com.news.sport", "retained com.news.sport", true}) {
		t.Errorf("first retained event %+v", e)
	}
	if _, err := pub.Publish(ctx, "com.news.x", protocol.List{"fresh"}, nil, client.Acknowledge()); err != nil {
		t.Fatal(err)
	}
	// The weather event retained last excluded watchers, so none for it.
	if e := <-events; e != (got{"com.news.x", "fresh", false}) {
		t.Errorf("next event %+v, want the fresh one", e)
	}
}

func TestRouterMetaEventOrder(t *testing.T) {
	r := newRouter(t)
	w := join(t, r, "realm1", nil)
	req := w.next()
	w.send(&protocol.Subscribe{Request: req, Options: protocol.Dict{"match": "prefix"}, Topic: "wamp.registration.on_"})
	expect[*protocol.Subscribed](w)
	callee := join(t, r, "realm1", nil)
	reg := callee.register("com.example.p", nil)
	callee.barrier()
	callee.tr.Close() // the callee is lost: its registration goes
	var topics []any
	for range 4 {
		ev := expect[*protocol.Event](w)
		topics = append(topics, ev.Details["topic"])
		if ev.Args[0] != int64(callee.id) {
			t.Errorf("%v names session %v, want %d", ev.Details["topic"], ev.Args[0], callee.id)
		}
		if ev.Details["topic"] != "wamp.registration.on_create" && ev.Args[1] != int64(reg) {
			t.Errorf("%v names registration %v, want %d", ev.Details["topic"], ev.Args[1], reg)
		}
	}
	want := []any{"wamp.registration.on_create", "wamp.registration.on_register", "wamp.registration.on_unregister", "wamp.registration.on_delete"}
	if !slices.Equal(topics, want) {
		t.Errorf("meta events %v, want %v", topics, want)
	}
}
