package wamptest_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	t.Cleanup(cancel)
	return ctx
}

// connectClient joins realm1 over r.Pipe and closes the client at the end
// of the test.
func connectClient(t *testing.T, r *wamptest.Router, opts ...client.Option) *client.Client {
	t.Helper()
	c, err := client.Connect(testCtx(t), r.Pipe(), "realm1", opts...)
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	t.Cleanup(func() {
		if err := c.Close(context.Background()); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return c
}

func TestRouterClientRPC(t *testing.T) {
	r := newRouter(t)
	callee := connectClient(t, r)
	caller := connectClient(t, r)
	ctx := testCtx(t)

	must := func(_ *client.Registration, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(callee.Register(ctx, "com.example.add", func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		a, _ := inv.Args[0].(int64)
		b, _ := inv.Args[1].(int64)
		return client.Result{Args: protocol.List{a + b}}, nil
	}))
	must(callee.Register(ctx, "com.example.whoami", func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		return client.Result{Args: protocol.List{int64(inv.Caller), inv.CallerAuthID}}, nil
	}))
	must(callee.Register(ctx, "com.example.fail", func(context.Context, *client.Invocation) (client.Result, error) {
		return client.Result{}, client.NewError("com.example.error.nope", protocol.List{"no"}, protocol.Dict{"code": int64(7)})
	}))
	must(callee.Register(ctx, "com.example.countdown", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		for i := int64(3); i > 0; i-- {
			if err := inv.SendProgress(ctx, protocol.List{i}, nil); err != nil {
				return client.Result{}, err
			}
		}
		return client.Result{Args: protocol.List{"liftoff"}}, nil
	}))
	must(callee.Register(ctx, "com.example.sum", func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		sum, _ := inv.Args[0].(int64)
		for in := range inv.Inputs() {
			n, _ := in.Args[0].(int64)
			sum += n
		}
		return client.Result{Args: protocol.List{sum}}, nil
	}))
	must(callee.Register(ctx, "com.example.block", func(ctx context.Context, _ *client.Invocation) (client.Result, error) {
		<-ctx.Done()
		return client.Result{}, ctx.Err()
	}))

	t.Run("call", func(t *testing.T) {
		res, err := caller.Call(ctx, "com.example.add", protocol.List{int64(2), int64(3)}, nil).Await(ctx)
		if err != nil || !reflect.DeepEqual(res.Args, protocol.List{int64(5)}) {
			t.Fatalf("add: %v %v", res.Args, err)
		}
	})
	t.Run("caller identification", func(t *testing.T) {
		res, err := caller.Call(ctx, "com.example.whoami", nil, nil, client.DiscloseMe()).Await(ctx)
		want := protocol.List{int64(caller.Session().ID), caller.Session().AuthID}
		if err != nil || !reflect.DeepEqual(res.Args, want) {
			t.Fatalf("whoami: %v %v, want %v", res.Args, err, want)
		}
	})
	t.Run("error", func(t *testing.T) {
		_, err := caller.Call(ctx, "com.example.fail", nil, nil).Await(ctx)
		var werr *client.Error
		if !errors.As(err, &werr) || werr.URI != "com.example.error.nope" ||
			!reflect.DeepEqual(werr.Args, protocol.List{"no"}) || werr.Kwargs["code"] != int64(7) {
			t.Fatalf("fail: %v", err)
		}
		_, err = caller.Call(ctx, "com.example.missing", nil, nil).Await(ctx)
		if !errors.As(err, &werr) || werr.URI != protocol.URIErrNoSuchProcedure {
			t.Fatalf("missing: %v", err)
		}
	})
	t.Run("progressive results", func(t *testing.T) {
		call := caller.Call(ctx, "com.example.countdown", nil, nil, client.ReceiveProgress())
		var got []any
		for res := range call.Results() {
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			got = append(got, res.Progress, res.Args[0])
		}
		want := []any{true, int64(3), true, int64(2), true, int64(1), false, "liftoff"}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("results %v, want %v", got, want)
		}
	})
	t.Run("progressive invocations", func(t *testing.T) {
		call := caller.Call(ctx, "com.example.sum", protocol.List{int64(1)}, nil, client.ProgressiveInputs())
		for _, n := range []int64{2, 3} {
			if err := call.SendInput(ctx, protocol.List{n}, nil); err != nil {
				t.Fatal(err)
			}
		}
		if err := call.FinishInput(ctx, protocol.List{int64(4)}, nil); err != nil {
			t.Fatal(err)
		}
		res, err := call.Await(ctx)
		if err != nil || !reflect.DeepEqual(res.Args, protocol.List{int64(10)}) {
			t.Fatalf("sum: %v %v", res.Args, err)
		}
	})
	for _, mode := range []client.CancelMode{client.CancelKill, client.CancelKillNoWait, client.CancelSkip} {
		t.Run("cancel "+string(mode), func(t *testing.T) {
			cctx, cancel := context.WithCancel(ctx)
			call := caller.Call(cctx, "com.example.block", nil, nil, client.WithCancelMode(mode))
			time.Sleep(10 * time.Millisecond)
			cancel()
			if _, err := call.Await(ctx); !errors.Is(err, client.ErrCanceled) {
				t.Fatalf("Await: %v, want ErrCanceled", err)
			}
		})
	}
	t.Run("timeout", func(t *testing.T) {
		_, err := caller.Call(ctx, "com.example.block", nil, nil, client.Timeout(20*time.Millisecond)).Await(ctx)
		if !errors.Is(err, client.ErrTimeout) {
			t.Fatalf("Await: %v, want ErrTimeout", err)
		}
	})
	t.Run("session count", func(t *testing.T) {
		res, err := caller.Call(ctx, "wamp.session.count", nil, nil).Await(ctx)
		if err != nil || !reflect.DeepEqual(res.Args, protocol.List{int64(2)}) {
			t.Fatalf("count: %v %v", res.Args, err)
		}
	})
}

func TestRouterClientPubSub(t *testing.T) {
	r := newRouter(t)
	a := connectClient(t, r)
	b := connectClient(t, r)
	ctx := testCtx(t)

	events := map[*client.Client]chan *client.Event{a: make(chan *client.Event, 8), b: make(chan *client.Event, 8)}
	for c, ch := range events {
		if _, err := c.Subscribe(ctx, "com.example.topic", func(_ context.Context, ev *client.Event) { ch <- ev }); err != nil {
			t.Fatal(err)
		}
	}
	next := func(c *client.Client) *client.Event {
		t.Helper()
		select {
		case ev := <-events[c]:
			return ev
		case <-ctx.Done():
			t.Fatal("no event")
		}
		return nil
	}
	none := func(c *client.Client) {
		t.Helper()
		// An acknowledged publication to a's own subscription, received
		// by a, comes after anything routed to a before.
		if _, err := c.Publish(ctx, "com.example.topic", protocol.List{"marker"}, nil,
			client.Acknowledge(), client.ExcludeMe(false), client.Eligible(c.Session().ID)); err != nil {
			t.Fatal(err)
		}
		if ev := next(c); ev.Args[0] != "marker" {
			t.Fatalf("unexpected event %v", ev.Args)
		}
	}

	id, err := a.Publish(ctx, "com.example.topic", protocol.List{"hello"}, nil, client.Acknowledge(), client.DiscloseMe())
	if err != nil || id == 0 {
		t.Fatalf("Publish: %d %v", id, err)
	}
	ev := next(b)
	if ev.Publication != id || ev.Args[0] != "hello" || ev.Publisher != a.Session().ID {
		t.Fatalf("event %+v, want publication %d from %d", ev, id, a.Session().ID)
	}
	none(a) // excluded by default

	if _, err := a.Publish(ctx, "com.example.topic", protocol.List{"all"}, nil, client.Acknowledge(), client.ExcludeMe(false)); err != nil {
		t.Fatal(err)
	}
	next(a)
	next(b)

	if _, err := a.Publish(ctx, "com.example.topic", protocol.List{"not b"}, nil,
		client.Acknowledge(), client.ExcludeMe(false), client.Exclude(b.Session().ID)); err != nil {
		t.Fatal(err)
	}
	next(a)
	none(b)
}

func TestRouterClientDial(t *testing.T) {
	r := newRouter(t)
	srv := httptest.NewServer(r.Handler())
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http")

	for _, cd := range []codec.Codec{codec.JSON(), codec.MsgPack(), codec.CBOR()} {
		t.Run(cd.Name(), func(t *testing.T) {
			ctx := testCtx(t)
			callee, err := client.Dial(ctx, url, "realm1", client.WithSerializers(cd))
			if err != nil {
				t.Fatal(err)
			}
			defer callee.Close(ctx)
			caller, err := client.Dial(ctx, url, "realm1", client.WithSerializers(cd))
			if err != nil {
				t.Fatal(err)
			}
			defer caller.Close(ctx)

			proc := "com.example.echo." + cd.Name()
			if _, err := callee.Register(ctx, proc, func(_ context.Context, inv *client.Invocation) (client.Result, error) {
				return client.Result{Args: inv.Args, Kwargs: inv.Kwargs}, nil
			}); err != nil {
				t.Fatal(err)
			}
			args := protocol.List{"text", int64(-3), 1.5, true, nil, []byte{1, 2}, protocol.List{"x"}}
			res, err := caller.Call(ctx, proc, args, protocol.Dict{"k": "v"}).Await(ctx)
			if err != nil || !reflect.DeepEqual(res.Args, args) || res.Kwargs["k"] != "v" {
				t.Fatalf("echo over %s: %#v %v %v", cd.Name(), res.Args, res.Kwargs, err)
			}
		})
	}
}

func TestRouterClientRouterClose(t *testing.T) {
	r := wamptest.NewRouter()
	c, err := client.Connect(testCtx(t), r.Pipe(), "realm1")
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	err = c.Wait(testCtx(t))
	var gerr *client.GoodbyeError
	if !errors.As(err, &gerr) || gerr.Reason != protocol.URICloseSystemShutdown {
		t.Fatalf("client ended with %v, want GOODBYE %s", err, protocol.URICloseSystemShutdown)
	}
	c.Close(context.Background())
}
