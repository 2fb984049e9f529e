package client_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

func TestPublishOptionsWireForm(t *testing.T) {
	c, r := clienttest.Joined(t)
	done := make(chan error, 1)
	go func() {
		_, err := c.Publish(ctxT(t), "com.topic", protocol.List{"a"}, protocol.Dict{"b": int64(1)},
			client.ExcludeMe(false), client.DiscloseMe(), client.Retain(), client.ResourceKey("rk"),
			client.Exclude(1, 2), client.ExcludeAuthID("bob"), client.ExcludeAuthRole("guest"),
			client.Eligible(3), client.EligibleAuthID("alice"), client.EligibleAuthRole("admin"))
		done <- err
	}()
	m := scripted.Expect[*protocol.Publish](r)
	scripted.Equal(t, "PUBLISH.Options", m.Options, protocol.Dict{
		"exclude_me": false, "disclose_me": true, "retain": true, "rkey": "rk",
		"exclude": protocol.List{int64(1), int64(2)}, "exclude_authid": protocol.List{"bob"},
		"exclude_authrole": protocol.List{"guest"}, "eligible": protocol.List{int64(3)},
		"eligible_authid": protocol.List{"alice"}, "eligible_authrole": protocol.List{"admin"},
	})
	if m.Topic != "com.topic" || m.Args[0] != "a" || m.Kwargs["b"] != int64(1) {
		t.Fatalf("PUBLISH = %+v", m)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestPublishAcknowledge(t *testing.T) {
	c, r := clienttest.Joined(t)
	type res struct {
		id  protocol.ID
		err error
	}
	done := make(chan res, 1)
	go func() {
		id, err := c.Publish(ctxT(t), "t", nil, nil, client.Acknowledge())
		done <- res{id, err}
	}()
	m := scripted.Expect[*protocol.Publish](r)
	scripted.Equal(t, "options", m.Options, protocol.Dict{"acknowledge": true})
	r.Send(&protocol.Published{Request: m.Request, Publication: 555})
	if got := <-done; got.err != nil || got.id != 555 {
		t.Fatalf("Publish = %+v", got)
	}
	go func() {
		id, err := c.Publish(ctxT(t), "t", nil, nil, client.Acknowledge())
		done <- res{id, err}
	}()
	m = scripted.Expect[*protocol.Publish](r)
	r.Send(&protocol.Error{RequestType: protocol.TypePublish, Request: m.Request, Details: protocol.Dict{}, Error: "wamp.error.not_authorized"})
	var we *client.Error
	if got := <-done; !errors.As(got.err, &we) || we.URI != "wamp.error.not_authorized" {
		t.Fatalf("Publish = %+v", got)
	}
}

func TestSeveralHandlersOnOneTopic(t *testing.T) {
	c, r := clienttest.Joined(t)
	got := make(chan string, 4)
	s1, m := clienttest.Subscribe(t, c, r, "com.t", 50, func(_ context.Context, ev *client.Event) { got <- "one:" + ev.Args[0].(string) },
		client.Match(client.MatchWildcard), client.GetRetained(), client.NodeKey("n1"))
	scripted.Equal(t, "SUBSCRIBE.Options", m.Options, protocol.Dict{"match": "wildcard", "get_retained": true, "nodekey": "n1"})
	s2, _ := clienttest.Subscribe(t, c, r, "com.t", 50, func(_ context.Context, ev *client.Event) { got <- "two:" + ev.Args[0].(string) })
	scripted.Equal(t, "ids", c.SubscriptionIDs("com.t"), []protocol.ID{50})
	r.Send(&protocol.Event{Subscription: 50, Publication: 1, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"x"}}})
	seen := map[string]bool{<-got: true, <-got: true}
	if !seen["one:x"] || !seen["two:x"] {
		t.Fatalf("deliveries %v", seen)
	}
	// Removing one handler keeps the router subscription.
	if err := s1.Unsubscribe(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	r.Send(&protocol.Event{Subscription: 50, Publication: 2, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"y"}}})
	if g := <-got; g != "two:y" {
		t.Fatalf("after removing one: %s", g)
	}
	// Removing the last sends UNSUBSCRIBE.
	done := make(chan error, 1)
	go func() { done <- s2.Unsubscribe(ctxT(t)) }()
	u := scripted.Expect[*protocol.Unsubscribe](r)
	if u.Subscription != 50 {
		t.Fatalf("UNSUBSCRIBE = %+v", u)
	}
	r.Send(&protocol.Unsubscribed{Request: u.Request})
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := c.Unsubscribe(ctxT(t), "com.t"); !errors.Is(err, client.ErrNotFound) {
		t.Fatalf("Unsubscribe of nothing = %v", err)
	}
}

func TestEventDetails(t *testing.T) {
	c, r := clienttest.Joined(t)
	got := make(chan *client.Event, 1)
	clienttest.Subscribe(t, c, r, "com", 1, func(_ context.Context, ev *client.Event) { got <- ev }, client.Match(client.MatchPrefix))
	r.Send(&protocol.Event{Subscription: 1, Publication: 2, Details: protocol.Dict{
		"topic": "com.deep", "publisher": int64(3), "publisher_authid": "a", "publisher_authrole": "r", "retained": true}})
	ev := <-got
	if ev.Topic != "com.deep" || ev.Publisher != 3 || ev.PublisherAuthID != "a" || ev.PublisherAuthRole != "r" || !ev.Retained || ev.Publication != 2 {
		t.Fatalf("event %+v", ev)
	}
}

func TestEventsOfOneSubscriptionStayInOrder(t *testing.T) {
	c, r := clienttest.Joined(t)
	const n = 300
	var mu sync.Mutex
	var seq []int64
	all := make(chan struct{})
	clienttest.Subscribe(t, c, r, "t", 1, func(_ context.Context, ev *client.Event) {
		mu.Lock()
		defer mu.Unlock()
		seq = append(seq, ev.Args[0].(int64))
		if len(seq) == n {
			close(all)
		}
	})
	for i := range n {
		r.Send(&protocol.Event{Subscription: 1, Publication: protocol.ID(i + 1), Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{int64(i)}}})
	}
	<-all
	for i, v := range seq {
		if v != int64(i) {
			t.Fatalf("event %d arrived as %d", v, i)
		}
	}
}

// A slow handler under the Drop policy: its excess events are dropped and
// reported, and a call it makes itself still completes, because the reader
// never waits on its mailbox.
func TestSlowConsumerDropsAndHandlerCanCallBack(t *testing.T) {
	slow := make(chan error, 100)
	c, r := clienttest.Joined(t, client.WithErrorHandler(func(err error) {
		var sc *client.SlowConsumerError
		if errors.As(err, &sc) {
			slow <- err
		}
	}))
	release := make(chan struct{})
	callResult := make(chan error, 1)
	started := make(chan struct{})
	first := true
	sub, _ := clienttest.Subscribe(t, c, r, "flood", 1, func(ctx context.Context, ev *client.Event) {
		if !first {
			return
		}
		first = false
		close(started)
		<-release
		_, err := c.Call(ctx, "from.handler", nil, nil).Await(ctx)
		callResult <- err
	}, client.MailboxLimits(client.Limits{MaxMessages: 4}))
	const flood = 50
	r.Send(&protocol.Event{Subscription: 1, Publication: 1, Details: protocol.Dict{}})
	<-started
	for i := 1; i < flood; i++ {
		r.Send(&protocol.Event{Subscription: 1, Publication: protocol.ID(i + 1), Details: protocol.Dict{}})
	}
	// The reader did not wait: the router can script the reply at once.
	close(release)
	m := scripted.Expect[*protocol.Call](r)
	r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
	if err := <-callResult; err != nil {
		t.Fatalf("call from slow handler: %v", err)
	}
	// 1 in the handler, 4 queued, the rest dropped.
	if d := sub.Dropped(); d != flood-5 {
		t.Fatalf("Dropped = %d, want %d", d, flood-5)
	}
	for range flood - 5 { // reports arrive on the error handler's goroutine
		<-slow
	}
}

// Under the Block policy nothing is dropped: the loop stops reading until
// the mailbox has room.
func TestBlockPolicyDropsNothing(t *testing.T) {
	c, r := clienttest.Joined(t)
	const flood = 40
	release := make(chan struct{})
	got := make(chan int64, flood)
	sub, _ := clienttest.Subscribe(t, c, r, "flood", 1, func(_ context.Context, ev *client.Event) {
		<-release
		got <- ev.Args[0].(int64)
	}, client.MailboxLimits(client.Limits{MaxMessages: 2}), client.OnOverflow(client.Block))
	sent := make(chan struct{})
	go func() {
		defer close(sent)
		for i := range flood {
			r.Transport().Send(context.Background(), &protocol.Event{Subscription: 1, Publication: protocol.ID(i + 1), Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{int64(i)}}})
		}
	}()
	close(release)
	for i := range flood {
		if v := <-got; v != int64(i) {
			t.Fatalf("event %d arrived as %d", v, i)
		}
	}
	<-sent
	if sub.Dropped() != 0 {
		t.Fatalf("Dropped = %d", sub.Dropped())
	}
}

func TestSubscriptionRevoked(t *testing.T) {
	c, r := clienttest.Joined(t)
	sub, _ := clienttest.Subscribe(t, c, r, "t", 9, func(context.Context, *client.Event) {})
	r.Send(&protocol.Unsubscribed{Request: 0, Details: protocol.Dict{"subscription": int64(9), "reason": "wamp.error.testing"}})
	<-sub.Done()
	if ids := c.SubscriptionIDs("t"); len(ids) != 0 {
		t.Fatalf("ids = %v", ids)
	}
}
