package client_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/routertest"
	"github.com/wampgo/wampgo/protocol"
)

// fox-wamp, the installable router, neither announces nor forwards
// payload passthru mode: a passthru call to it is refused before anything
// is sent, as wampy refuses one (PPTNotSupportedError).
func TestInteropPassthruFoxWampDoesNotAnnounce(t *testing.T) {
	r := routertest.Start(t)
	c := dialReal(t, r)
	if c.Session().HasFeature("dealer", protocol.FeaturePayloadPassthruMode) ||
		c.Session().HasFeature("broker", protocol.FeaturePayloadPassthruMode) {
		t.Fatalf("fox-wamp announces %s now: add an interop test through it", protocol.FeaturePayloadPassthruMode)
	}
	_, err := c.Call(ctxT(t), "com.example.p", protocol.List{[]byte("m")}, nil,
		client.WithPassthru(client.Passthru{Scheme: client.PassthruSchemeMQTT})).Await(ctxT(t))
	if !errors.Is(err, client.ErrNotSupported) {
		t.Fatalf("err %v, want ErrNotSupported", err)
	}
	out := routertest.RunNode(t, "wampy_ppt_peer.js", r.URL(), interopRealm, "json", "caller", "com.example.p", "x_interop", "json")
	out.RequireExit(t, 1)
	if e := out.OfType(t, "error"); len(e) != 1 {
		t.Fatalf("wampy: %s", out)
	}
}

// wampy.js and wampgo exchange passthru payloads through the test kit's
// router over WebSocket, both ways (each side packs, the other unpacks),
// in the binary session serializers × the binary ppt_serializers, the
// spec's "wamp" scheme with CBOR among them (wampy does not encrypt). The
// json ppt_serializer is left out: wampy packs it into, and reads it only
// from, a text string, not the binary argument the spec asks for (wampgo
// reads wampy's text; wampy cannot read wampgo's binary).
func TestInteropPassthruWampyThroughKit(t *testing.T) {
	router := wamptest.NewRouter()
	t.Cleanup(router.Close)
	url := router.ListenWebSocket().URL()
	for _, tc := range []struct {
		session codec.Codec
		p       client.Passthru
	}{
		{codec.CBOR(), client.Passthru{Scheme: client.PassthruSchemeWAMP, Serializer: "cbor"}},
		{codec.MsgPack(), client.Passthru{Scheme: "x_interop", Serializer: "msgpack"}},
		{codec.MsgPack(), client.Passthru{Scheme: "x_interop", Serializer: "cbor"}},
	} {
		t.Run(tc.session.Name()+"/"+tc.p.Serializer, func(t *testing.T) {
			testPassthruWampy(t, url, tc.session, tc.p)
		})
	}
	t.Run("json/json/from-wampy", func(t *testing.T) {
		c, err := client.Dial(ctxT(t), url, interopRealm, client.WithSerializers(codec.JSON()))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { c.Close(context.Background()) })
		got := make(chan *client.Invocation, 1)
		if _, err := c.Register(ctxT(t), "com.example.ppt_text", func(_ context.Context, inv *client.Invocation) (client.Result, error) {
			got <- inv
			return client.Result{}, nil
		}); err != nil {
			t.Fatal(err)
		}
		// wampy cannot read the binary result (exit 1); its call arrives.
		routertest.RunNode(t, "wampy_ppt_peer.js", url, interopRealm, "json", "caller", "com.example.ppt_text", "x_interop", "json")
		select {
		case inv := <-got:
			pptEqual(t, "invocation from wampy", inv.Args, inv.Kwargs,
				protocol.List{"hello", int64(2), protocol.Dict{"deep": protocol.List{true}}}, protocol.Dict{"k": "v"})
		default:
			t.Fatal("wampy's text passthru call did not reach the handler")
		}
	})
}

func testPassthruWampy(t *testing.T, url string, session codec.Codec, p client.Passthru) {
	c, err := client.Dial(ctxT(t), url, interopRealm, client.WithSerializers(session))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	got := make(chan *client.Invocation, 1)
	reg, err := c.Register(ctxT(t), "com.example.ppt_echo", func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		got <- inv
		return client.Result{Args: inv.Args, Kwargs: inv.Kwargs}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { reg.Unregister(context.Background()) })
	out := routertest.RunNode(t, "wampy_ppt_peer.js", url, interopRealm, session.Name(), "caller", "com.example.ppt_echo", p.Scheme, p.Serializer)
	out.RequireExit(t, 0)
	inv := <-got
	if pp, _ := client.PassthruOf(inv.Details); pp != p {
		t.Errorf("invocation passthru %+v, want %+v", pp, p)
	}
	pptEqual(t, "invocation from wampy", inv.Args, inv.Kwargs,
		protocol.List{"hello", int64(2), protocol.Dict{"deep": protocol.List{true}}}, protocol.Dict{"k": "v"})
	res := out.OfType(t, "result")[0]
	jsonEqual(t, "wampy's result", []any{res["args"], res["kwargs"]}, `[["hello", 2, {"deep": [true]}], {"k": "v"}]`)

	peer := routertest.StartNode(t, "wampy_ppt_peer.js", url, interopRealm, session.Name(), "callee", p.Scheme, p.Serializer)
	peer.WaitReady(t)
	r, err := c.Call(ctxT(t), "com.peer.ppt_echo", protocol.List{"hi", int64(3)}, protocol.Dict{"z": true},
		client.WithPassthru(p)).Await(ctxT(t))
	if err != nil {
		t.Fatalf("call to wampy: %v", err)
	}
	pptEqual(t, "result from wampy", r.Args, r.Kwargs, protocol.List{"hi", int64(3)}, protocol.Dict{"z": true})
	if pp, _ := client.PassthruOf(r.Details); pp != p {
		t.Errorf("result passthru %+v, want %+v", pp, p)
	}
	ev := peer.WaitFor(t, "invocation", 10*time.Second)
	jsonEqual(t, "wampy's invocation", []any{ev["args"], ev["kwargs"]}, `[["hi", 3], {"z": true}]`)
	peer.Stop()
}

// jsonEqual compares values a peer printed (numbers as json.Number) with
// want, JSON text.
func jsonEqual(t *testing.T, what string, got any, want string) {
	t.Helper()
	g, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	json.Unmarshal(g, &a)
	json.Unmarshal([]byte(want), &b)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("%s: got %s, want %s", what, g, want)
	}
}
