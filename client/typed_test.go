package client_test

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/payload"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// These tests run typed values through wamptest's router, whose pipes encode
// every message with the JSON codec, as a WebSocket would.

func miniPair(t *testing.T, opts ...client.Option) (a, b *client.Client) {
	t.Helper()
	r := wamptest.NewRouter()
	t.Cleanup(r.Close)
	join := func() *client.Client {
		c, err := client.Connect(ctxT(t), r.Pipe(), "realm1", opts...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(context.Background()) })
		return c
	}
	return join(), join()
}

type point struct {
	X     int       `wamp:"x"`
	Y     int       `wamp:"y"`
	Label string    `wamp:"label,omitempty"`
	At    time.Time `json:"at,omitzero"`
}

type sum struct {
	Total float64 `wamp:"total"`
	By    string  `wamp:"by"`
}

func TestGoValuesInEveryPayload(t *testing.T) {
	callee, caller := miniPair(t)
	inputs := make(chan client.Input, 4)
	_, err := callee.Register(ctxT(t), "com.typed.raw", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		var p point
		var n int8
		if err := inv.Decode(&p, &n); err != nil {
			return client.Result{}, err
		}
		var kw struct {
			Scale float32 `wamp:"scale"`
		}
		if err := inv.DecodeKwargs(&kw); err != nil {
			return client.Result{}, err
		}
		if p.Label == "fail" {
			return client.Result{}, client.NewError("com.typed.bad", protocol.List{p}, protocol.Dict{"p": &p})
		}
		if p.Label == "stream" {
			for in := range inv.Inputs() {
				inputs <- in
			}
		}
		if inv.ReceiveProgress {
			if err := inv.SendProgress(ctx, protocol.List{point{X: 1}}, nil); err != nil {
				return client.Result{}, err
			}
		}
		return client.Result{Args: protocol.List{sum{Total: float64(p.X+p.Y) * float64(kw.Scale), By: "go"}, []uint16{uint16(n)}},
			Kwargs: protocol.Dict{"echo": p}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	call := caller.Call(ctxT(t), "com.typed.raw", protocol.List{point{X: 2, Y: 3, At: at}, int(-4)},
		protocol.Dict{"scale": float32(1.5)}, client.ReceiveProgress())
	var progress []point
	var final client.Result
	for res := range call.Results() {
		if res.Progress {
			var p point
			if err := res.Decode(&p); err != nil {
				t.Fatal(err)
			}
			progress = append(progress, p)
			continue
		}
		final = res
	}
	var s sum
	var ns []int
	if err := final.Decode(&s, &ns); err != nil || s != (sum{7.5, "go"}) || len(ns) != 1 || ns[0] != 65532 {
		t.Fatalf("result %+v %v, %v (raw %v)", s, ns, err, final.Args)
	}
	var kw struct {
		Echo point `wamp:"echo"`
	}
	if err := final.DecodeKwargs(&kw); err != nil || !kw.Echo.At.Equal(at) || kw.Echo.X != 2 {
		t.Fatalf("kwargs %+v, %v", kw, err)
	}
	if len(progress) != 1 || progress[0].X != 1 {
		t.Fatalf("progress %+v", progress)
	}

	// An *Error with Go values in its payload, decoded by the caller.
	_, err = caller.Call(ctxT(t), "com.typed.raw", protocol.List{point{Label: "fail", X: 9}, 1}, nil).Await(ctxT(t))
	var we *client.Error
	if !errors.As(err, &we) || we.URI != "com.typed.bad" {
		t.Fatalf("error %v", err)
	}
	var bad point
	var kwBad map[string]point
	if err := we.Decode(&bad); err != nil || bad.X != 9 {
		t.Fatalf("Error.Decode = %+v, %v", bad, err)
	}
	if err := we.DecodeKwargs(&kwBad); err != nil || kwBad["p"].X != 9 {
		t.Fatalf("Error.DecodeKwargs = %+v, %v", kwBad, err)
	}
	// A failed result decodes to its error.
	if err := (client.Result{Err: we}).Decode(&bad); err != we {
		t.Fatalf("Decode of a failed result: %v", err)
	}
	if err := (client.Result{Err: we}).DecodeKwargs(&kwBad); err != we {
		t.Fatalf("DecodeKwargs of a failed result: %v", err)
	}

	// The callee's decoding error reaches the caller as the handler's error.
	_, err = caller.Call(ctxT(t), "com.typed.raw", protocol.List{map[string]any{"x": 2.5}, 1}, nil).Await(ctxT(t))
	if !errors.As(err, &we) || we.URI != client.URIRuntimeError || len(we.Args) == 0 || we.Args[0] != "args[0].x: 2.5 is not an integer" {
		t.Fatalf("decode error at the callee: %v", err)
	}

	// Progressive call inputs carry Go values too.
	stream := caller.Call(ctxT(t), "com.typed.raw", protocol.List{point{Label: "stream"}, 1}, nil, client.ProgressiveInputs())
	if err := stream.SendInput(ctxT(t), protocol.List{point{X: 5}}, nil); err != nil {
		t.Fatal(err)
	}
	if err := stream.FinishInput(ctxT(t), nil, protocol.Dict{"last": point{Y: 6}}); err != nil {
		t.Fatal(err)
	}
	if _, err := stream.Await(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	var in1 point
	var in2 struct {
		Last point `wamp:"last"`
	}
	if err := (<-inputs).Decode(&in1); err != nil || in1.X != 5 {
		t.Fatalf("input 1 %+v, %v", in1, err)
	}
	if in := <-inputs; !in.Final || in.DecodeKwargs(&in2) != nil || in2.Last.Y != 6 {
		t.Fatalf("input 2 %+v", in2)
	}
}

func TestGoValuesInEvents(t *testing.T) {
	sub, pub := miniPair(t)
	got := make(chan *client.Event, 1)
	if _, err := sub.Subscribe(ctxT(t), "com.typed.ev", func(_ context.Context, ev *client.Event) { got <- ev }); err != nil {
		t.Fatal(err)
	}
	if _, err := pub.Publish(ctxT(t), "com.typed.ev", protocol.List{[]point{{X: 1}}}, protocol.Dict{"p": &point{Y: 2}}, client.Acknowledge()); err != nil {
		t.Fatal(err)
	}
	ev := <-got
	var ps []point
	var kw map[string]*point
	if err := ev.Decode(&ps); err != nil || len(ps) != 1 || ps[0].X != 1 {
		t.Fatalf("Event.Decode = %+v, %v", ps, err)
	}
	if err := ev.DecodeKwargs(&kw); err != nil || kw["p"].Y != 2 {
		t.Fatalf("Event.DecodeKwargs = %+v, %v", kw, err)
	}
}

func TestUnencodablePayloads(t *testing.T) {
	callee, caller := miniPair(t)
	ch := make(chan int)
	_, err := caller.Call(ctxT(t), "com.typed.none", protocol.List{1, ch}, nil).Await(ctxT(t))
	var ee *codec.ValueError
	var ae *client.ArgumentError
	if !errors.As(err, &ee) || !errors.Is(err, codec.ErrUnsupportedValue) || ee.Path != "args[1]" ||
		!errors.Is(err, client.ErrInvalidArgument) || !errors.As(err, &ae) || ae.Op != "Call" || ae.Arg != "args[1]" ||
		err.Error() != "wampgo: Call: invalid args[1]: chan int has no payload form" {
		t.Fatalf("Call with a channel: %v", err)
	}
	if _, err := caller.Publish(ctxT(t), "com.typed.ev", nil, protocol.Dict{"c": ch}); !errors.As(err, &ee) || ee.Path != "kwargs.c" {
		t.Fatalf("Publish with a channel: %v", err)
	}
	_, err = callee.Register(ctxT(t), "com.typed.badresult", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		switch inv.Args[0] {
		case "progress":
			err := inv.SendProgress(ctx, protocol.List{ch}, nil)
			return client.Result{Args: protocol.List{errors.Is(err, codec.ErrUnsupportedValue)}}, nil
		case "error":
			return client.Result{}, client.NewError("com.typed.e", nil, protocol.Dict{"c": ch})
		}
		return client.Result{Args: protocol.List{ch}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var we *client.Error
	_, err = caller.Call(ctxT(t), "com.typed.badresult", protocol.List{"result"}, nil).Await(ctxT(t))
	if !errors.As(err, &we) || we.URI != client.URIRuntimeError || !strings.Contains(we.Args[0].(string), "invalid result: payload: args[0]: chan int has no payload form") {
		t.Fatalf("unencodable result: %v", err)
	}
	_, err = caller.Call(ctxT(t), "com.typed.badresult", protocol.List{"error"}, nil).Await(ctxT(t))
	if !errors.As(err, &we) || we.URI != client.URIRuntimeError || !strings.Contains(we.Args[0].(string), "invalid error payload: payload: kwargs.c") {
		t.Fatalf("unencodable error: %v", err)
	}
	res, err := caller.Call(ctxT(t), "com.typed.badresult", protocol.List{"progress"}, nil, client.ReceiveProgress()).Await(ctxT(t))
	if err != nil || res.Args[0] != true {
		t.Fatalf("SendProgress with a channel: %v %v", res.Args, err)
	}
	stream := caller.Call(ctxT(t), "com.typed.badresult", protocol.List{"x"}, nil, client.ProgressiveInputs())
	if err := stream.SendInput(ctxT(t), protocol.List{ch}, nil); !errors.Is(err, codec.ErrUnsupportedValue) {
		t.Fatalf("SendInput with a channel: %v", err)
	}
	stream.FinishInput(ctxT(t), nil, nil)
	stream.Await(ctxT(t))
}

type addArgs struct {
	A int `wamp:"a"`
	B int `wamp:"b"`
}

func TestTypedRPC(t *testing.T) {
	callee, caller := miniPair(t)
	if _, err := client.RegisterTyped(ctxT(t), callee, "com.typed.add", func(ctx context.Context, r addArgs) (sum, error) {
		if r.A < 0 {
			return sum{}, client.NewError("com.typed.negative", protocol.List{"a < 0"}, nil)
		}
		return sum{Total: float64(r.A + r.B), By: "go"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	got, err := client.CallTyped[sum](ctxT(t), caller, "com.typed.add", addArgs{2, 3})
	if err != nil || got != (sum{5, "go"}) {
		t.Fatalf("CallTyped = %+v, %v", got, err)
	}
	// The forms other peers use: a dict argument, positional arguments.
	for _, form := range []struct {
		args   protocol.List
		kwargs protocol.Dict
	}{
		{protocol.List{map[string]any{"a": 2, "b": 3}}, nil},
		{protocol.List{2, 3}, nil},
		{protocol.List{2}, protocol.Dict{"b": 3}},
		{nil, protocol.Dict{"a": 2.0, "b": 3}},
	} {
		res, err := caller.Call(ctxT(t), "com.typed.add", form.args, form.kwargs).Await(ctxT(t))
		var s sum
		if err != nil || res.Decode(&s) != nil || s.Total != 5 {
			t.Fatalf("call with %v %v = %v, %v", form.args, form.kwargs, res.Args, err)
		}
	}
	// A request that does not fit: wamp.error.invalid_argument, naming
	// the path.
	_, err = caller.Call(ctxT(t), "com.typed.add", nil, protocol.Dict{"a": 2.5}).Await(ctxT(t))
	var we *client.Error
	if !errors.As(err, &we) || we.URI != "wamp.error.invalid_argument" || we.Args[0] != "kwargs.a: 2.5 is not an integer" ||
		we.Kwargs["path"] != "kwargs.a" || we.Kwargs["reason"] != "2.5 is not an integer" {
		t.Fatalf("invalid argument: %#v", err)
	}
	if _, err := client.CallTyped[sum](ctxT(t), caller, "com.typed.add", addArgs{A: -1}); !errors.As(err, &we) || we.URI != "com.typed.negative" {
		t.Fatalf("handler error: %v", err)
	}
	// A response that does not fit Resp.
	if _, err := client.CallTyped[int](ctxT(t), caller, "com.typed.add", addArgs{}); !errors.Is(err, payload.ErrMismatch) ||
		err.Error() != "args[0]: want an integer, got dict of 2" {
		t.Fatalf("mismatched response: %v", err)
	}
	// A request that cannot be encoded.
	if _, err := client.CallTyped[sum](ctxT(t), caller, "com.typed.add", map[string]any{"a": make(chan int)}); !errors.Is(err, codec.ErrUnsupportedValue) || !errors.Is(err, client.ErrInvalidArgument) {
		t.Fatalf("unencodable request: %v", err)
	}

	// Single values, lists and nothing.
	if _, err := client.RegisterTyped(ctxT(t), callee, "com.typed.half", func(ctx context.Context, n int) (float64, error) {
		return float64(n) / 2, nil
	}); err != nil {
		t.Fatal(err)
	}
	if h, err := client.CallTyped[float64](ctxT(t), caller, "com.typed.half", 5); err != nil || h != 2.5 {
		t.Fatalf("half = %v, %v", h, err)
	}
	// The pattern that used to turn 2.5 into 0 is now an error.
	if h, err := client.CallTyped[int](ctxT(t), caller, "com.typed.half", 5); !errors.Is(err, payload.ErrMismatch) || err.Error() != "args[0]: 2.5 is not an integer" {
		t.Fatalf("half as int = %v, %v", h, err)
	}
	if h, err := client.CallTyped[int](ctxT(t), caller, "com.typed.half", 4); err != nil || h != 2 {
		t.Fatalf("half of 4 as int = %v, %v", h, err)
	}
	if _, err := client.RegisterTyped(ctxT(t), callee, "com.typed.sort", func(ctx context.Context, xs []float64) ([]float64, error) {
		if len(xs) == 2 && xs[0] > xs[1] {
			xs[0], xs[1] = xs[1], xs[0]
		}
		return xs, nil
	}); err != nil {
		t.Fatal(err)
	}
	if xs, err := client.CallTyped[[]float64](ctxT(t), caller, "com.typed.sort", []int{3, 1}); err != nil || len(xs) != 2 || xs[0] != 1 {
		t.Fatalf("sort = %v, %v", xs, err)
	}
	called := make(chan struct{}, 1)
	if _, err := client.RegisterTyped(ctxT(t), callee, "com.typed.ping", func(ctx context.Context, _ struct{}) (struct{}, error) {
		called <- struct{}{}
		return struct{}{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.CallTyped[struct{}](ctxT(t), caller, "com.typed.ping", struct{}{}); err != nil {
		t.Fatal(err)
	}
	<-called
	res, err := caller.Call(ctxT(t), "com.typed.ping", nil, nil).Await(ctxT(t))
	if err != nil || len(res.Args) != 0 || len(res.Kwargs) != 0 {
		t.Fatalf("ping = %+v, %v", res, err)
	}
}

func TestTypedEvents(t *testing.T) {
	errs := make(chan error, 1)
	sub, pub := miniPair(t, client.WithErrorHandler(func(err error) { errs <- err }))
	got := make(chan point, 1)
	if _, err := client.SubscribeTyped(ctxT(t), sub, "com.typed.points", func(_ context.Context, p point) { got <- p }); err != nil {
		t.Fatal(err)
	}
	if _, err := client.PublishTyped(ctxT(t), pub, "com.typed.points", point{X: 1, Y: math.MaxInt32}, client.Acknowledge()); err != nil {
		t.Fatal(err)
	}
	if p := <-got; p.X != 1 || p.Y != math.MaxInt32 {
		t.Fatalf("event %+v", p)
	}
	// An event that does not fit goes to the error handler.
	if _, err := pub.Publish(ctxT(t), "com.typed.points", nil, protocol.Dict{"x": "one"}, client.Acknowledge()); err != nil {
		t.Fatal(err)
	}
	err := <-errs
	if !errors.Is(err, payload.ErrMismatch) || !strings.Contains(err.Error(), `com.typed.points": kwargs.x: want an integer, got string "one"`) {
		t.Fatalf("error handler got %v", err)
	}
	if _, err := client.PublishTyped(ctxT(t), pub, "com.typed.points", make(chan int)); !errors.Is(err, codec.ErrUnsupportedValue) {
		t.Fatalf("PublishTyped(chan): %v", err)
	}
}
