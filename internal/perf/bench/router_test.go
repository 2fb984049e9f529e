package bench

import (
	"context"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// TestBenchRouterWorks checks, with every codec, the bench router's answers
// to one call and its delivery of one event, as the benchmarks use them.
func TestBenchRouterWorks(t *testing.T) {
	r := StartRouter()
	defer r.Close()
	for _, cc := range codecCases() {
		t.Run(cc.name, func(t *testing.T) {
			ctx := testCtx(t)
			pub := dial(t, r.URL(), cc.wamp)
			defer closeClient(t, pub)
			sub := dial(t, r.URL(), cc.wamp)
			defer closeClient(t, sub)

			res, err := pub.Call(ctx, echoProc, benchArgs, protocol.Dict{"k": "v"}).Await(ctx)
			if err != nil {
				t.Fatalf("Call: %v", err)
			}
			if !reflect.DeepEqual(res.Args, benchArgs) || !reflect.DeepEqual(res.Kwargs, protocol.Dict{"k": "v"}) {
				t.Fatalf("Call echoed %v %v, want %v {k: v}", res.Args, res.Kwargs, benchArgs)
			}

			events := make(chan *client.Event, 2)
			topic := "bench.test." + cc.name
			s, err := sub.Subscribe(ctx, topic, func(_ context.Context, ev *client.Event) { events <- ev })
			if err != nil {
				t.Fatalf("Subscribe: %v", err)
			}
			pid, err := pub.Publish(ctx, topic, benchArgs, nil, client.Acknowledge(), client.DiscloseMe())
			if err != nil || pid == 0 {
				t.Fatalf("Publish: %d, %v", pid, err)
			}
			select {
			case ev := <-events:
				if !reflect.DeepEqual(ev.Args, benchArgs) || ev.Publication != pid || ev.Publisher != pub.Session().ID {
					t.Fatalf("event %+v, want args %v publication %d publisher %d", ev, benchArgs, pid, pub.Session().ID)
				}
			case <-ctx.Done():
				t.Fatal("no event")
			}
			// The publisher is excluded by default: publishing from the
			// subscriber's own session delivers nothing to it.
			if _, err := sub.Publish(ctx, topic, benchArgs, nil, client.Acknowledge()); err != nil {
				t.Fatalf("Publish: %v", err)
			}
			if err := s.Unsubscribe(ctx); err != nil {
				t.Fatalf("Unsubscribe: %v", err)
			}
			select {
			case ev := <-events:
				t.Fatalf("publisher got its own event %+v", ev)
			default:
			}
			if _, err := pub.Register(ctx, "bench.proc", func(context.Context, *client.Invocation) (client.Result, error) {
				return client.Result{}, nil
			}); err == nil {
				t.Fatal("Register succeeded on the bench router")
			}
		})
	}
}

// TestRawEchoWorks checks the raw baseline's client and echo server with
// every codec.
func TestRawEchoWorks(t *testing.T) {
	e := StartEcho()
	defer e.Close()
	for _, cc := range codecCases() {
		t.Run(cc.name, func(t *testing.T) {
			ctx := testCtx(t)
			rc, err := DialRaw(ctx, e.URL(), cc.raw)
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			for range 3 {
				reply, err := rc.Call(ctx, benchArgs...)
				if err != nil {
					t.Fatal(err)
				}
				if len(reply) != len(benchArgs) || reply[1] != "hello, world" || reply[2] != 3.25 {
					t.Fatalf("reply %v, want the elements of %v", reply, benchArgs)
				}
			}
		})
	}
}

// TestExternalServer checks that the benchmarks' child-process servers
// start, answer and stop.
func TestExternalServer(t *testing.T) {
	x, err := StartExternal(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	defer func() {
		if err := x.Close(); err != nil {
			t.Errorf("external server: %v", err)
		}
	}()
	cc := codecCases()[1]
	ctx := testCtx(t)
	c := dial(t, x.RouterURL, cc.wamp)
	defer closeClient(t, c)
	if _, err := c.Call(ctx, echoProc, benchArgs, nil).Await(ctx); err != nil {
		t.Fatalf("Call: %v", err)
	}
	rc, err := DialRaw(ctx, x.EchoURL, cc.raw)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	if _, err := rc.Call(ctx, benchArgs...); err != nil {
		t.Fatalf("raw Call: %v", err)
	}
}
