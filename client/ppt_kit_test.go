package client_test

import (
	"bytes"
	"context"
	"reflect"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/e2ee"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// pptSecret marks the plaintext: the router must never see it.
const pptSecret = "PPT-PLAINTEXT-3b9e"

// pptPassthru returns the attributes of one round trip: the spec's "wamp"
// scheme for CBOR (the one serializer it allows), an application scheme
// for the others.
func pptPassthru(ser, cipher, keyID string) client.Passthru {
	p := client.Passthru{Scheme: "x_test", Serializer: ser, Cipher: cipher}
	if ser == "cbor" {
		p.Scheme = client.PassthruSchemeWAMP
	}
	if cipher != "" {
		p.KeyID = keyID
	}
	return p
}

// pptPayload returns a payload that ser can carry: native takes one
// []byte and nothing else.
func pptPayload(ser string) (protocol.List, protocol.Dict) {
	if ser == client.PassthruNative {
		return protocol.List{[]byte(pptSecret + " raw bytes")}, nil
	}
	return protocol.List{pptSecret, int64(42), true, []byte{0, 1, 2}, protocol.List{"nested"}},
		protocol.Dict{"k": pptSecret, "n": int64(-7)}
}

// TestPassthruRoundTripThroughKit calls a procedure and publishes an event
// in payload passthru mode through the test kit's router, in every session
// serializer × every ppt_serializer × no cipher and both ciphers: the
// handlers see the payload as sent, the callee's answer comes back with
// the call's attributes, and the router's log holds only the passthru
// payloads, never the plaintext when encrypted.
func TestPassthruRoundTripThroughKit(t *testing.T) {
	key := e2ee.GenerateKey()
	ring := e2ee.NewKeyRing(key)
	for _, cd := range []codec.Codec{codec.JSON(), codec.MsgPack(), codec.CBOR()} {
		for _, ser := range []string{"json", "msgpack", "cbor", client.PassthruNative} {
			for _, cipher := range []string{"", e2ee.XSalsa20Poly1305, e2ee.AES256GCM} {
				name := cd.Name() + "/" + ser + "/" + cipher
				if cipher == "" {
					name += "plain"
				}
				t.Run(name, func(t *testing.T) {
					testPassthruRoundTrip(t, cd, pptPassthru(ser, cipher, key.ID()), ring)
				})
			}
		}
	}
}

func testPassthruRoundTrip(t *testing.T, cd codec.Codec, p client.Passthru, ring *e2ee.KeyRing) {
	ctx := ctxT(t)
	router := wamptest.NewRouter(wamptest.WithPipeCodec(cd))
	t.Cleanup(router.Close)
	callee := pptConnect(t, router, client.WithKeyRing(ring))
	caller := pptConnect(t, router, client.WithKeyRing(ring))
	args, kwargs := pptPayload(p.Serializer)

	_, err := callee.Register(ctx, "com.example.echo", func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		if got, _ := client.PassthruOf(inv.Details); got != p {
			return client.Result{}, client.NewError("com.example.wrong_ppt", protocol.List{got.Scheme}, nil)
		}
		return client.Result{Args: inv.Args, Kwargs: inv.Kwargs}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan *client.Event, 1)
	_, err = callee.Subscribe(ctx, "com.example.topic", func(_ context.Context, ev *client.Event) { events <- ev })
	if err != nil {
		t.Fatal(err)
	}

	res, err := caller.Call(ctx, "com.example.echo", args, kwargs, client.WithPassthru(p)).Await(ctx)
	if err != nil {
		t.Fatalf("call: %v", err)
	}
	pptEqual(t, "result", res.Args, res.Kwargs, args, kwargs)
	if got, _ := client.PassthruOf(res.Details); got != p {
		t.Errorf("RESULT passthru %+v, want the call's %+v", got, p)
	}

	if _, err := caller.Publish(ctx, "com.example.topic", args, kwargs, client.WithPassthru(p), client.Acknowledge()); err != nil {
		t.Fatalf("publish: %v", err)
	}
	select {
	case ev := <-events:
		pptEqual(t, "event", ev.Args, ev.Kwargs, args, kwargs)
		if got, _ := client.PassthruOf(ev.Details); got != p {
			t.Errorf("EVENT passthru %+v, want %+v", got, p)
		}
	case <-ctx.Done():
		t.Fatal("no event")
	}

	// The router saw, and forwarded, one binary payload per message, with
	// the attributes; encrypted, never the plaintext.
	want := map[*client.Client][]protocol.MessageType{
		caller: {protocol.TypeCall, protocol.TypeResult, protocol.TypePublish},
		callee: {protocol.TypeInvocation, protocol.TypeYield, protocol.TypeEvent},
	}
	for c, types := range want {
		recs := router.Log(c.Session().ID).PassthruPayloads()
		var got []protocol.MessageType
		for _, rec := range recs {
			got = append(got, rec.Type)
			if rec.Dict["ppt_scheme"] != p.Scheme || p.Cipher != "" && (rec.Dict["ppt_cipher"] != p.Cipher || rec.Dict["ppt_keyid"] != p.KeyID) {
				t.Errorf("%s: attributes %v, want %+v", rec.Type, rec.Dict, p)
			}
			if p.Cipher != "" && bytes.Contains(rec.Payload, []byte(pptSecret)) {
				t.Errorf("%s: the router saw the plaintext", rec.Type)
			}
			if p.Cipher == "" && !bytes.Contains(rec.Payload, []byte(pptSecret)) {
				t.Errorf("%s: plain passthru payload %q lacks the payload", rec.Type, rec.Payload)
			}
		}
		if !reflect.DeepEqual(got, types) {
			t.Errorf("passthru messages %v, want %v", got, types)
		}
	}
}

func pptConnect(t *testing.T, router *wamptest.Router, opts ...client.Option) *client.Client {
	t.Helper()
	c, err := router.Connect(ctxT(t), "realm1", opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

func pptEqual(t *testing.T, what string, args protocol.List, kwargs protocol.Dict, wantArgs protocol.List, wantKwargs protocol.Dict) {
	t.Helper()
	if !reflect.DeepEqual(args, wantArgs) || !reflect.DeepEqual(kwargs, wantKwargs) {
		t.Errorf("%s: got %#v %#v, want %#v %#v", what, args, kwargs, wantArgs, wantKwargs)
	}
}
