package client_test

import (
	"context"
	"errors"
	"math"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/internal/transport/memconn"
	"github.com/wampgo/wampgo/protocol"
)

func TestBadArgumentsAreTheCallersError(t *testing.T) {
	c, r := clienttest.Joined(t)
	ctx := ctxT(t)
	callErr := func(procedure string, opts ...client.CallOption) error {
		_, err := c.Call(ctx, procedure, nil, nil, opts...).Await(ctx)
		return err
	}
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"call procedure", callErr("com..x"), `wampgo: Call: invalid procedure: must be a valid URI, got "com..x"`},
		{"call cancel mode", callErr("com.x", client.WithCancelMode("later")), `wampgo: Call: invalid cancel mode: unknown mode "later"`},
		{"call timeout", callErr("com.x", client.Timeout(-time.Second)), `wampgo: Call: invalid option timeout: negative duration -1s`},
		{"router timeout", callErr("com.x", client.RouterTimeout(-time.Second)), ""},
		{"raw option", callErr("com.x", client.RawOptions(protocol.Dict{"receive_progress": "yes"})), ""},
		{"publish topic", func() error { _, err := c.Publish(ctx, "com.x y", nil, nil); return err }(), ""},
		{"publish exclude", func() error { _, err := c.Publish(ctx, "com.x", nil, nil, client.Exclude(0)); return err }(), ""},
		{"subscribe topic", func() error { _, err := c.Subscribe(ctx, "com..x", nopEvent); return err }(), ""},
		{"subscribe match", func() error {
			_, err := c.Subscribe(ctx, "com.x", nopEvent, client.Match("regex"))
			return err
		}(), ""},
		{"register procedure", func() error { _, err := c.Register(ctx, "", nopHandler); return err }(), ""},
		{"register concurrency", func() error {
			_, err := c.Register(ctx, "com.x", nopHandler, client.Concurrency(0))
			return err
		}(), "wampgo: Register: invalid concurrency: 0 is not positive"},
	}
	for _, tc := range cases {
		var ae *client.ArgumentError
		if !errors.Is(tc.err, client.ErrInvalidArgument) || !errors.As(tc.err, &ae) {
			t.Errorf("%s: %v, want ErrInvalidArgument", tc.name, tc.err)
			continue
		}
		if errors.Is(tc.err, client.ErrProtocolViolation) || errors.Is(tc.err, client.ErrClosed) {
			t.Errorf("%s: %v also matches a session error", tc.name, tc.err)
		}
		if tc.want != "" && tc.err.Error() != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, tc.err.Error(), tc.want)
		}
	}
	// Nothing reached the router, and the session is fine.
	if _, err := c.Publish(ctx, "com.ok", nil, nil); err != nil {
		t.Fatal(err)
	}
	if p := scripted.Expect[*protocol.Publish](r); p.Topic != "com.ok" || p.Request != 1 {
		t.Fatalf("first message after the refusals: %s", scripted.Describe(p))
	}
	// Patterns follow their match policy.
	go func() {
		m := scripted.Expect[*protocol.Subscribe](r)
		r.Send(&protocol.Subscribed{Request: m.Request, Subscription: 3})
	}()
	if _, err := c.Subscribe(ctx, "com..x", nopEvent, client.Match(client.MatchWildcard)); err != nil {
		t.Fatalf("wildcard pattern: %v", err)
	}
}

func TestOptionsNeedTheRoutersFeatures(t *testing.T) {
	c, j := clienttest.JoinedWith(t, clienttest.Setup{Roles: scripted.RolesWith(nil, nil)})
	r := j.Router
	ctx := ctxT(t)
	errs := map[string]error{}
	_, errs["publish retain"] = c.Publish(ctx, "com.t", nil, nil, client.Retain())
	_, errs["publish eligible"] = c.Publish(ctx, "com.t", nil, nil, client.Eligible(5))
	_, errs["publish raw retain"] = c.Publish(ctx, "com.t", nil, nil, client.RawOptions(protocol.Dict{"retain": true}))
	_, errs["subscribe get_retained"] = c.Subscribe(ctx, "com.t", nopEvent, client.GetRetained())
	_, errs["subscribe prefix"] = c.Subscribe(ctx, "com.t", nopEvent, client.Match(client.MatchPrefix))
	_, errs["register forward_timeout"] = c.Register(ctx, "com.p", nopHandler, client.ForwardTimeout())
	_, errs["register shared"] = c.Register(ctx, "com.p", nopHandler, client.Invoke(client.InvokeRoundRobin))
	_, errs["call router timeout"] = c.Call(ctx, "com.p", nil, nil, client.RouterTimeout(time.Second)).Await(ctx)
	for name, err := range errs {
		if !errors.Is(err, client.ErrNotSupported) {
			t.Errorf("%s: %v, want ErrNotSupported", name, err)
		}
	}
	if err := errs["publish retain"]; err.Error() != "wampgo: feature not supported by the router: event_retention (needed by Publish option retain)" {
		t.Errorf("message: %q", err)
	}
	// Options that degrade gracefully, or ask for the router's default,
	// are sent.
	call := c.Call(ctx, "com.p", nil, nil, client.ReceiveProgress(), client.Timeout(time.Minute))
	m := scripted.Expect[*protocol.Call](r)
	r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
	if _, err := call.Await(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Publish(ctx, "com.t", nil, nil, client.ExcludeMe(true)); err != nil {
		t.Fatal(err)
	}
	scripted.Expect[*protocol.Publish](r)
	// Disclosure requests are hints a router may ignore: sent unchecked.
	call = c.Call(ctx, "com.p", nil, nil, client.DiscloseMe())
	m = scripted.Expect[*protocol.Call](r)
	if m.Options["disclose_me"] != true {
		t.Fatalf("CALL.Options = %v", m.Options)
	}
	r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
	if _, err := call.Await(ctx); err != nil {
		t.Fatalf("call with DiscloseMe: %v", err)
	}
	if _, err := c.Publish(ctx, "com.t", nil, nil, client.DiscloseMe()); err != nil {
		t.Fatalf("publish with DiscloseMe: %v", err)
	}
	if p := scripted.Expect[*protocol.Publish](r); p.Options["disclose_me"] != true {
		t.Fatalf("PUBLISH.Options = %v", p.Options)
	}
	go func() {
		m := scripted.Expect[*protocol.Register](r)
		r.Send(&protocol.Registered{Request: m.Request, Registration: 9})
	}()
	if _, err := c.Register(ctx, "com.p", nopHandler, client.DiscloseCaller()); err != nil {
		t.Fatalf("register with DiscloseCaller: %v", err)
	}
}

func TestRouterTimeoutIsLeftToTheRouter(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		call := c.Call(context.Background(), "com.p", nil, nil, client.RouterTimeout(1500*time.Microsecond))
		m := scripted.Expect[*protocol.Call](r)
		if got := m.Options["timeout"]; got != int64(2) {
			t.Fatalf("CALL.Options.timeout = %#v, want 2 (ms, rounded up)", got)
		}
		time.Sleep(time.Hour)
		synctest.Wait()
		select {
		case <-call.Done():
			t.Fatal("the call ended locally")
		default:
		}
		r.Send(&protocol.Error{RequestType: protocol.TypeCall, Request: m.Request, Details: protocol.Dict{}, Error: "wamp.error.timeout"})
		if _, err := call.Await(context.Background()); !errors.Is(err, client.ErrTimeout) {
			t.Fatalf("Await = %v, want ErrTimeout", err)
		}

		_, reg := clienttest.Register(t, c, r, "com.q", 9, nopHandler, client.ForwardTimeout())
		if reg.Options["forward_timeout"] != true {
			t.Fatalf("REGISTER.Options = %v", reg.Options)
		}
	})
}

func TestUnsendablePayloadIsTheCallersError(t *testing.T) {
	ct, rt := memconn.PipeCodec(codec.JSON())
	r := scripted.New(t, rt)
	done := make(chan *client.Client, 1)
	go func() {
		c, err := client.Connect(context.Background(), ct, "realm1")
		if err != nil {
			t.Error(err)
		}
		done <- c
	}()
	r.Welcome(1, scripted.Roles())
	c := <-done
	defer func() { rt.Close(); clienttest.Close(t, c) }()
	ctx := ctxT(t)
	_, callErr := c.Call(ctx, "com.p", protocol.List{math.NaN()}, nil).Await(ctx) // JSON has no NaN
	_, pubErr := c.Publish(ctx, "com.t", protocol.List{"\xff not utf-8"}, nil)
	for _, err := range []error{callErr, pubErr} {
		var ae *client.ArgumentError
		var ee *codec.EncodeError
		if !errors.As(err, &ae) || !errors.Is(err, client.ErrInvalidArgument) || !errors.As(err, &ee) {
			t.Fatalf("%v: want an *ArgumentError wrapping the codec's error", err)
		}
		if errors.Is(err, client.ErrProtocolViolation) || errors.Is(err, client.ErrClosed) {
			t.Fatalf("%v matches a session error", err)
		}
		t.Log(err)
	}
	if _, err := c.Publish(ctx, "com.ok", nil, nil); err != nil {
		t.Fatal(err)
	}
	if p := scripted.Expect[*protocol.Publish](r); p.Topic != "com.ok" {
		t.Fatal(scripted.Describe(p))
	}
}

func TestInvalidRealmIsTheCallersError(t *testing.T) {
	ct, rt := memconn.Pipe("json")
	defer rt.Close()
	_, err := client.Connect(ctxT(t), ct, "Not A Realm")
	if !errors.Is(err, client.ErrInvalidArgument) || err.Error() != `wampgo: invalid realm: must be a valid URI, got "Not A Realm"` {
		t.Fatalf("Connect = %v", err)
	}
}

// A nil handler is the caller's bad argument, not a panic.
func TestNilHandlerIsAnArgumentError(t *testing.T) {
	c, _ := clienttest.Joined(t)
	if _, err := c.Subscribe(ctxT(t), "com.t", nil); !errors.Is(err, client.ErrInvalidArgument) {
		t.Errorf("Subscribe(nil handler) = %v, want ErrInvalidArgument", err)
	}
	if _, err := c.Register(ctxT(t), "com.p", nil); !errors.Is(err, client.ErrInvalidArgument) {
		t.Errorf("Register(nil handler) = %v, want ErrInvalidArgument", err)
	}
}

// A HELLO detail the codec cannot carry is the caller's error, named after
// the option that put it there.
func TestHelloDetailsTheCodecRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		v    any
	}{
		{"NaN over JSON", math.NaN()},
		{"unsupported Go type", make(chan int)},
		{"invalid UTF-8", "\xff\xfe"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j := clienttest.StartWith(t, clienttest.Setup{Codec: codec.JSON()},
				client.WithHelloDetails(protocol.Dict{"x_detail": tc.v}))
			_, err := j.Wait()
			var ae *client.ArgumentError
			if !errors.Is(err, client.ErrInvalidArgument) || !errors.As(err, &ae) || ae.Arg != "WithHelloDetails" {
				t.Fatalf("Connect = %v, want an ArgumentError for WithHelloDetails", err)
			}
			if testing.Verbose() {
				t.Log(err)
			}
			var ee *codec.EncodeError
			if !errors.As(err, &ee) || errors.Is(err, client.ErrProtocolViolation) {
				t.Fatalf("Connect = %v: want the codec's EncodeError inside, and no protocol violation", err)
			}
		})
	}
}
