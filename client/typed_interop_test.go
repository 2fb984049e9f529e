package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/payload"
	"github.com/wampgo/wampgo/internal/testkit/routertest"
)

// Typed RPC and events through fox-wamp with Autobahn|Python (testdata/peers/
// typed_peer.py) and autobahn-js (testdata/peers/typed_peer.js): their
// natural calls reach our typed handlers, and our typed calls reach their
// procedures. fox-wamp loses application error payloads and unwraps a
// single list argument (testdata/router/QUIRKS.md), so these tests use
// neither; and it sends RESULT kwargs as null, which typed_peer.py reads as
// absent (Autobahn|Python would otherwise reject every RESULT).

type meanArgs struct {
	Values []float64 `wamp:"values"`
}

type meanResult struct {
	Count int     `wamp:"count"`
	Mean  float64 `wamp:"mean"`
}

// registerTypedGo registers the typed procedures the peers call.
func registerTypedGo(t *testing.T, c *client.Client) {
	t.Helper()
	if _, err := client.RegisterTyped(ctxT(t), c, "com.typed.go.add", func(ctx context.Context, r addArgs) (sum, error) {
		return sum{Total: float64(r.A + r.B), By: "go"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.RegisterTyped(ctxT(t), c, "com.typed.go.greet", func(ctx context.Context, name string) (string, error) {
		return "Hello, " + name + "!", nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.RegisterTyped(ctxT(t), c, "com.typed.go.half", func(ctx context.Context, n int) (float64, error) {
		return float64(n) / 2, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.RegisterTyped(ctxT(t), c, "com.typed.go.mean", func(ctx context.Context, xs []float64) (meanResult, error) {
		var s float64
		for _, x := range xs {
			s += x
		}
		return meanResult{Count: len(xs), Mean: s / float64(len(xs))}, nil
	}); err != nil {
		t.Fatal(err)
	}
}

// peerCall is one call a peer makes (see typed_peer.py and typed_peer.js).
type peerCall struct {
	Label     string         `json:"label"`
	Procedure string         `json:"procedure"`
	Args      []any          `json:"args,omitempty"`
	Kwargs    map[string]any `json:"kwargs,omitempty"`
}

// peerCalls is what both peers send to our typed procedures, in each
// language's own calling conventions, with the value expected back
// (compared as JSON).
var peerCalls = []struct {
	call peerCall
	want string // JSON of the result's value, or "error:" and the error's args
}{
	{peerCall{"add by keyword", "com.typed.go.add", nil, map[string]any{"a": 2, "b": 3}}, `{"by":"go","total":5}`},
	{peerCall{"add by position", "com.typed.go.add", []any{2, 3}, nil}, `{"by":"go","total":5}`},
	{peerCall{"add with a dict", "com.typed.go.add", []any{map[string]any{"a": 2, "b": 3}}, nil}, `{"by":"go","total":5}`},
	{peerCall{"add mixed", "com.typed.go.add", []any{2}, map[string]any{"b": 3}}, `{"by":"go","total":5}`},
	{peerCall{"add a fraction", "com.typed.go.add", nil, map[string]any{"a": 2.5, "b": 1}}, `error:["wamp.error.invalid_argument"]`},
	{peerCall{"greet", "com.typed.go.greet", []any{"Ada"}, nil}, `"Hello, Ada!"`},
	{peerCall{"half", "com.typed.go.half", []any{5}, nil}, `2.5`},
	{peerCall{"half of a fraction", "com.typed.go.half", []any{5.5}, nil}, `error:["wamp.error.invalid_argument"]`},
	{peerCall{"mean", "com.typed.go.mean", []any{1, 2, 3, 4}, nil}, `{"count":4,"mean":2.5}`},
}

// checkPeerCalls runs the calls through a peer's caller role and checks
// what it printed.
func checkPeerCalls(t *testing.T, out *routertest.NodeResult) {
	t.Helper()
	out.RequireExit(t, 0)
	got := map[string]string{}
	for _, l := range out.JSON(t) {
		label, _ := l["label"].(string)
		switch l.Type() {
		case "result":
			got[label] = jsonOf(t, l["value"])
		case "error":
			// fox-wamp turns a callee's ERROR into callee_failure with the
			// original URI as the only argument.
			if l["error"] != "wamp.error.callee_failure" {
				t.Errorf("%s: error %v", label, l)
			}
			got[label] = "error:" + jsonOf(t, l["args"])
		}
	}
	for _, c := range peerCalls {
		if got[c.call.Label] != c.want {
			t.Errorf("%s: peer got %s, want %s\n%s", c.call.Label, got[c.call.Label], c.want, out)
		}
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func callsJSON(t *testing.T) string {
	calls := make([]peerCall, len(peerCalls))
	for i, c := range peerCalls {
		calls[i] = c.call
	}
	return jsonOf(t, calls)
}

func TestInteropTypedHandlersCalledByAutobahnPython(t *testing.T) {
	r := routertest.Start(t)
	registerTypedGo(t, dialReal(t, r))
	checkPeerCalls(t, routertest.RunPython(t, "typed_peer.py", r.URL(), interopRealm, "caller", callsJSON(t)))
}

func TestInteropTypedHandlersCalledByAutobahnJS(t *testing.T) {
	r := routertest.Start(t)
	registerTypedGo(t, dialReal(t, r))
	checkPeerCalls(t, routertest.RunNode(t, "typed_peer.js", r.URL(), interopRealm, "caller", callsJSON(t)))
}

// checkTypedCalls makes our typed calls to a peer's com.typed.<lang>.*
// procedures.
func checkTypedCalls(t *testing.T, c *client.Client, lang string) {
	t.Helper()
	p := func(name string) string { return "com.typed." + lang + "." + name }
	// A struct request travels as kwargs; the peer returns a dict.
	s, err := client.CallTyped[sum](ctxT(t), c, p("add"), addArgs{A: 2, B: 3})
	if err != nil || s != (sum{Total: 5, By: lang}) {
		t.Errorf("add = %+v, %v", s, err)
	}
	greeting, err := client.CallTyped[string](ctxT(t), c, p("greet"), "Ada")
	if err != nil || greeting != "Hello, Ada!" {
		t.Errorf("greet = %q, %v", greeting, err)
	}
	half, err := client.CallTyped[float64](ctxT(t), c, p("half"), 5)
	if err != nil || half != 2.5 {
		t.Errorf("half = %v, %v", half, err)
	}
	// The peer's 2.5 does not silently become 2 (or 0).
	n, err := client.CallTyped[int](ctxT(t), c, p("half"), 5)
	var de *payload.DecodeError
	if !errors.As(err, &de) || de.Path != "args[0]" || de.Reason != "2.5 is not an integer" || n != 0 {
		t.Errorf("half as int = %v, %v", n, err)
	}
	// The peer returns its result as kwargs.
	m, err := client.CallTyped[meanResult](ctxT(t), c, p("stats"), meanArgs{Values: []float64{1, 2, 3, 4}})
	if err != nil || m != (meanResult{Count: 4, Mean: 2.5}) {
		t.Errorf("stats = %+v, %v", m, err)
	}
}

func TestInteropTypedCallsToAutobahnPython(t *testing.T) {
	r := routertest.Start(t)
	peer := routertest.StartPython(t, "typed_peer.py", r.URL(), interopRealm, "callee")
	peer.WaitReady(t)
	checkTypedCalls(t, dialReal(t, r), "py")
}

func TestInteropTypedCallsToAutobahnJS(t *testing.T) {
	r := routertest.Start(t)
	peer := routertest.StartNode(t, "typed_peer.js", r.URL(), interopRealm, "callee")
	peer.WaitReady(t)
	checkTypedCalls(t, dialReal(t, r), "js")
}

// reading is the event both peers publish and receive.
type reading struct {
	Sensor  string  `wamp:"sensor"`
	Celsius float64 `wamp:"celsius"`
}

// checkTypedEventsFrom subscribes typed to topic and runs a peer's
// publisher role, which publishes a reading as kwargs and then as a dict
// argument.
func checkTypedEventsFrom(t *testing.T, r *routertest.Router, lang string, run func(topic string) *routertest.NodeResult) {
	t.Helper()
	c := dialReal(t, r)
	topic := "com.typed." + lang + ".readings"
	got := make(chan reading, 2)
	if _, err := client.SubscribeTyped(ctxT(t), c, topic, func(_ context.Context, v reading) { got <- v }); err != nil {
		t.Fatal(err)
	}
	run(topic).RequireExit(t, 0)
	for _, want := range []reading{{lang, 21.5}, {lang, 22.5}} {
		select {
		case v := <-got:
			if v != want {
				t.Fatalf("typed event %+v, want %+v", v, want)
			}
		case <-time.After(20 * time.Second):
			t.Fatalf("no typed event %+v", want)
		}
	}
}

// checkTypedEventsTo publishes a reading with PublishTyped to a peer's
// subscriber, which receives it as keyword arguments.
func checkTypedEventsTo(t *testing.T, r *routertest.Router, topic string, peer *routertest.NodeProc) {
	t.Helper()
	peer.WaitReady(t)
	if _, err := client.PublishTyped(ctxT(t), dialReal(t, r), topic, reading{"go", 19.5}, client.Acknowledge()); err != nil {
		t.Fatal(err)
	}
	ev := peer.WaitFor(t, "event", 20*time.Second)
	if got := jsonOf(t, ev["kwargs"]); got != `{"celsius":19.5,"sensor":"go"}` {
		t.Fatalf("peer got kwargs %s (event %v)", got, ev)
	}
}

func TestInteropTypedEventsFromAutobahnPython(t *testing.T) {
	r := routertest.Start(t)
	checkTypedEventsFrom(t, r, "py", func(topic string) *routertest.NodeResult {
		return routertest.RunPython(t, "typed_peer.py", r.URL(), interopRealm, "publisher", topic)
	})
}

func TestInteropTypedEventsFromAutobahnJS(t *testing.T) {
	r := routertest.Start(t)
	checkTypedEventsFrom(t, r, "js", func(topic string) *routertest.NodeResult {
		return routertest.RunNode(t, "typed_peer.js", r.URL(), interopRealm, "publisher", topic)
	})
}

func TestInteropTypedEventsToAutobahnPython(t *testing.T) {
	r := routertest.Start(t)
	const topic = "com.typed.go.readings"
	checkTypedEventsTo(t, r, topic, routertest.StartPython(t, "typed_peer.py", r.URL(), interopRealm, "subscriber", topic, "1"))
}

func TestInteropTypedEventsToAutobahnJS(t *testing.T) {
	r := routertest.Start(t)
	const topic = "com.typed.go.readings"
	checkTypedEventsTo(t, r, topic, routertest.StartNode(t, "typed_peer.js", r.URL(), interopRealm, "subscriber", topic, "1"))
}
