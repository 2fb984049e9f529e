package main

import (
	"context"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

func TestPublish(t *testing.T) {
	k := newKit(t)
	events := make(chan *client.Event, 10)
	if _, err := k.r.Client(t, "realm1").Subscribe(t.Context(), "com.test.news", func(_ context.Context, ev *client.Event) {
		events <- ev
	}); err != nil {
		t.Fatal(err)
	}
	k.transports(t, func(t *testing.T, url string) {
		res := runCLI(t, nil, "", "--url", url, "publish", "com.test.news", "1", "hello", "-k", "a=[true]", "--acknowledge")
		if res.code != 0 || !regexp.MustCompile(`^\{"publication":[1-9][0-9]*\}\n$`).MatchString(res.stdout) {
			t.Fatalf("exit %d, stdout %q, stderr %q", res.code, res.stdout, res.stderr)
		}
		ev := <-events
		if jsonLine(payloadLine(ev.Args, ev.Kwargs, nil)) != `{"args":[1,"hello"],"kwargs":{"a":[true]}}` {
			t.Fatalf("event %+v", ev)
		}
		// Without --acknowledge: nothing printed, the event still goes
		// out before GOODBYE.
		runCLI(t, nil, "", "--url", url, "publish", "com.test.news", "-k", "quiet=1").want(t, 0, "")
		if ev := <-events; jsonLine(payloadLine(ev.Args, ev.Kwargs, nil)) != `{"kwargs":{"quiet":1}}` {
			t.Fatalf("event %+v", ev)
		}
	})
}

func TestPublishErrorExitsOne(t *testing.T) {
	k := newKit(t)
	// The kit's broker refuses to publish to a topic of the wamp. space.
	res := runCLI(t, nil, "", "--url", k.ws, "publish", "wamp.session.on_join", "--acknowledge")
	res.want(t, 1, "")
	if !strings.HasPrefix(res.stderr, "wampgo: ERROR wamp.error.") {
		t.Fatalf("stderr %q", res.stderr)
	}
}

func TestSubscribeCountAndMatch(t *testing.T) {
	k := newKit(t)
	pub := k.r.Client(t, "realm1")
	k.transports(t, func(t *testing.T, url string) {
		p := start(t, nil, "", "--url", url, "subscribe", "com.test", "--match", "prefix", "--count", "2")
		p.waitStderr(t, "wampgo: subscribed com.test")
		for _, ev := range []struct {
			topic  protocol.URI
			args   protocol.List
			kwargs protocol.Dict
		}{{"com.test.a", protocol.List{1}, nil}, {"com.test.b.c", nil, protocol.Dict{"x": "y"}}, {"com.test.c", protocol.List{"too many"}, nil}} {
			if _, err := pub.Publish(t.Context(), ev.topic, ev.args, ev.kwargs, client.Acknowledge()); err != nil {
				t.Fatal(err)
			}
		}
		p.wait(t).want(t, 0, lines(
			`{"args":[1],"details":{"topic":"com.test.a"}}`,
			`{"kwargs":{"x":"y"},"details":{"topic":"com.test.b.c"}}`))
	})
}

func TestSubscribeWildcardUntilInterrupted(t *testing.T) {
	k := newKit(t)
	pub := k.r.Client(t, "realm1")
	before := k.r.Sessions("realm1")
	p := start(t, nil, "", "--url", k.rs, "subscribe", "com..temp", "--match", "wildcard")
	p.waitStderr(t, "wampgo: subscribed com..temp")
	cli := newSession(t, before, k.r.Sessions("realm1"))
	if _, err := pub.Publish(t.Context(), "com.kitchen.temp", protocol.List{21.5}, nil, client.Acknowledge()); err != nil {
		t.Fatal(err)
	}
	if _, err := pub.Publish(t.Context(), "com.kitchen.humidity", protocol.List{40}, nil, client.Acknowledge()); err != nil {
		t.Fatal(err)
	}
	// The router sends EVENT before PUBLISHED, so the event is on its way;
	// wait until the router wrote it, then interrupt.
	ctx, cancel := context.WithTimeout(t.Context(), testTimeout)
	defer cancel()
	if _, err := k.r.Log(cli).Await(ctx, func(r wamptest.Record) bool { return r.Msg.Type() == protocol.TypeEvent }); err != nil {
		t.Fatal(err)
	}
	waitOutput(t, p, `{"args":[21.5],"details":{"topic":"com.kitchen.temp"}}`+"\n")
	p.signal(t, syscall.SIGINT)
	p.wait(t).want(t, 0, lines(`{"args":[21.5],"details":{"topic":"com.kitchen.temp"}}`))
	if len(k.r.Log(cli).Sent(protocol.TypeGoodbye)) != 1 {
		t.Fatal("no GOODBYE after the interrupt")
	}
}

// waitOutput waits until p printed exactly want on stdout (it polls: the
// output of another process gives no event to wait on).
func waitOutput(t *testing.T, p *proc, want string) {
	t.Helper()
	for {
		if got := p.output().stdout; got == want {
			return
		} else if len(got) > len(want) {
			t.Fatalf("stdout %q, want %q", got, want)
		}
		select {
		case <-p.done:
			t.Fatalf("exited: %+v", p.wait(t))
		case <-time.After(10 * time.Millisecond):
		}
	}
}
