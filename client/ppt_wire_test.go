package client_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/e2ee"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// The key ids of the spec's examples (advanced/payload_passthru_mode.md):
// the ids a peer names are the application's choice; the ring maps them.
const (
	specKeyID1 = "GTtQ37XGJO2O4R8Dvx4AUo8pe61D9evIWpKGQAPdOh0="
	specKeyID2 = "GTtQ37XGJO2O4R8Dvx4AUo8pe61D9evNSpGMDQWdOh1="
)

// specRing holds a key under each of the spec's key ids.
func specRing(t *testing.T) *e2ee.KeyRing {
	t.Helper()
	ring := e2ee.NewKeyRing()
	for _, id := range []string{specKeyID1, specKeyID2} {
		if err := ring.Add(id, e2ee.GenerateKey()); err != nil {
			t.Fatal(err)
		}
	}
	return ring
}

// pptRoles are the scripted router's roles with payload_passthru_mode.
func pptRoles() protocol.Dict {
	roles := scripted.Roles()
	for _, r := range []string{"dealer", "broker"} {
		roles[r].(protocol.Dict)["features"].(protocol.Dict)[protocol.FeaturePayloadPassthruMode] = true
	}
	return roles
}

// pptJoined is a client joined to a scripted router that announces
// payload passthru mode, over a pipe that serializes with JSON.
func pptJoined(t *testing.T, opts ...client.Option) (*client.Client, *scripted.Router) {
	t.Helper()
	c, j := clienttest.JoinedWith(t, clienttest.Setup{Codec: codec.JSON(), Roles: pptRoles()}, opts...)
	return c, j.Router
}

// specMsg decodes one of the spec's examples, its [Payload|binary] given
// as payload, with the JSON codec: a wire vector.
func specMsg(t *testing.T, text string, payload []byte) protocol.Message {
	t.Helper()
	bin := `["\u0000` + base64.StdEncoding.EncodeToString(payload) + `"]`
	m, err := codec.JSON().Decode([]byte(strings.Replace(text, "[Payload|binary]", bin, 1)))
	if err != nil {
		t.Fatalf("spec example: %v", err)
	}
	return m
}

// cborMap is the {"args", "kwargs"} map of a passthru payload, encoded by
// a CBOR library of its own (not the client's codec).
func cborMap(t *testing.T, args []any, kwargs map[string]any) []byte {
	t.Helper()
	b, err := cbor.Marshal(map[string]any{"args": args, "kwargs": kwargs})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// openCBOR opens a sealed payload and decodes its map with that library.
func openCBOR(t *testing.T, ring *e2ee.KeyRing, cipher, keyID string, sealed []byte) map[string]any {
	t.Helper()
	plain, err := ring.Open(cipher, keyID, sealed)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	var m map[string]any
	dm, _ := cbor.DecOptions{DefaultMapType: reflect.TypeOf(map[string]any{})}.DecMode()
	if err := dm.Unmarshal(plain, &m); err != nil {
		t.Fatalf("payload is not CBOR: %v", err)
	}
	return m
}

func TestPassthruSpecCallMQTTNative(t *testing.T) {
	c, r := pptJoined(t)
	mqtt := []byte{0x30, 0x0a, 0x00, 0x04, 't', 'e', 's', 't', 'h', 'i'}
	call := c.Call(ctxT(t), "com.myapp.mqtt_processing", protocol.List{mqtt}, nil,
		client.WithPassthru(client.Passthru{Scheme: client.PassthruSchemeMQTT, Serializer: client.PassthruNative}))
	m := scripted.Expect[*protocol.Call](r)
	want := specMsg(t, `[48, 25471, {"ppt_scheme": "mqtt", "ppt_serializer": "native"},
		"com.myapp.mqtt_processing", [Payload|binary]]`, mqtt).(*protocol.Call)
	want.Request = m.Request
	scripted.Equal(t, "CALL", m, want)
	res := specMsg(t, `[50, 1, {"ppt_scheme": "mqtt", "ppt_serializer": "native"}, [Payload|binary]]`, []byte("ack")).(*protocol.Result)
	res.Request = m.Request
	r.Send(res)
	got, err := await(t, call)
	if err != nil {
		t.Fatal(err)
	}
	scripted.Equal(t, "result", got.Args, protocol.List{[]byte("ack")})
}

func TestPassthruSpecCallMQTTJSON(t *testing.T) {
	c, r := pptJoined(t)
	c.Call(ctxT(t), "com.myapp.mqtt_processing", protocol.List{"temp", int64(21)}, protocol.Dict{"unit": "C"},
		client.WithPassthru(client.Passthru{Scheme: client.PassthruSchemeMQTT, Serializer: "json"}))
	m := scripted.Expect[*protocol.Call](r)
	want := specMsg(t, `[48, 25471, {"ppt_scheme": "mqtt", "ppt_serializer": "json"},
		"com.myapp.mqtt_processing", [Payload|binary]]`, m.Payload.Payload).(*protocol.Call)
	want.Request = m.Request
	scripted.Equal(t, "CALL", m, want)
	var got map[string]any
	if err := json.Unmarshal(m.Payload.Payload, &got); err != nil {
		t.Fatalf("payload %q is not JSON: %v", m.Payload.Payload, err)
	}
	scripted.Equal(t, "payload", got, map[string]any{"args": []any{"temp", 21.0}, "kwargs": map[string]any{"unit": "C"}})
}

// An encrypted call goes out as the spec's example; the encrypted RESULT
// and ERROR that answer it are opened for the caller.
func TestPassthruSpecEncryptedCall(t *testing.T) {
	ring := specRing(t)
	c, r := pptJoined(t, client.WithKeyRing(ring))
	ctx := ctxT(t)
	spec := `[48, 25471, {"ppt_scheme": "wamp", "ppt_serializer": "cbor", "ppt_cipher": "xsalsa20poly1305",
		"ppt_keyid": "GTtQ37XGJO2O4R8Dvx4AUo8pe61D9evIWpKGQAPdOh0="},
		"com.myapp.secret_rpc_for_sensitive_data", [Payload|binary]]`
	opt := client.Encrypted(e2ee.XSalsa20Poly1305, specKeyID1)

	call := c.Call(ctx, "com.myapp.secret_rpc_for_sensitive_data", protocol.List{"card", int64(4242)}, protocol.Dict{"pin": "0000"}, opt)
	m := scripted.Expect[*protocol.Call](r)
	want := specMsg(t, spec, m.Payload.Payload).(*protocol.Call)
	want.Request = m.Request
	scripted.Equal(t, "CALL", m, want)
	scripted.Equal(t, "payload", openCBOR(t, ring, e2ee.XSalsa20Poly1305, specKeyID1, m.Payload.Payload),
		map[string]any{"args": []any{"card", uint64(4242)}, "kwargs": map[string]any{"pin": "0000"}})

	sealed, err := ring.Seal(e2ee.XSalsa20Poly1305, specKeyID2, cborMap(t, []any{"ok"}, map[string]any{"balance": 7}))
	if err != nil {
		t.Fatal(err)
	}
	res := specMsg(t, `[50, 77133, {"ppt_scheme": "wamp", "ppt_serializer": "cbor", "ppt_cipher": "xsalsa20poly1305",
		"ppt_keyid": "GTtQ37XGJO2O4R8Dvx4AUo8pe61D9evNSpGMDQWdOh1="}, [Payload|binary]]`, sealed).(*protocol.Result)
	res.Request = m.Request
	r.Send(res)
	got, err := await(t, call)
	if err != nil {
		t.Fatal(err)
	}
	scripted.Equal(t, "result", []any{got.Args, got.Kwargs}, []any{protocol.List{"ok"}, protocol.Dict{"balance": int64(7)}})
	if p, ok := client.PassthruOf(got.Details); !ok || p.KeyID != specKeyID2 {
		t.Errorf("Result passthru %+v %v", p, ok)
	}

	call = c.Call(ctx, "com.myapp.secret_rpc_for_sensitive_data", nil, nil, opt)
	m = scripted.Expect[*protocol.Call](r)
	sealed, _ = ring.Seal(e2ee.XSalsa20Poly1305, specKeyID2, cborMap(t, []any{"year 1900 is out of range"}, nil))
	e := specMsg(t, `[8, 48, 87683, {"ppt_scheme": "wamp", "ppt_serializer": "cbor", "ppt_cipher": "xsalsa20poly1305",
		"ppt_keyid": "GTtQ37XGJO2O4R8Dvx4AUo8pe61D9evNSpGMDQWdOh1="}, "com.myapp.invalid_revenue_year", [Payload|binary]]`, sealed).(*protocol.Error)
	e.Request = m.Request
	r.Send(e)
	_, err = await(t, call)
	var we *client.Error
	if !errors.As(err, &we) || we.URI != "com.myapp.invalid_revenue_year" {
		t.Fatalf("err %v, want *Error com.myapp.invalid_revenue_year", err)
	}
	scripted.Equal(t, "error args", we.Args, protocol.List{"year 1900 is out of range"})
}

// The spec's encrypted INVOCATION reaches the handler opened; the YIELD
// and the ERROR answering it carry the invocation's attributes, as the
// spec's YIELD and ERROR examples do.
func TestPassthruSpecEncryptedInvocation(t *testing.T) {
	ring := specRing(t)
	c, r := pptJoined(t, client.WithKeyRing(ring))
	seen := make(chan *client.Invocation, 2)
	clienttest.Register(t, c, r, "com.myapp.secret_rpc_for_sensitive_data", 1147, func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		seen <- inv
		if inv.Kwargs["fail"] == true {
			return client.Result{}, client.NewError("com.myapp.invalid_revenue_year", protocol.List{"bad year"}, nil)
		}
		return client.Result{Args: protocol.List{"done"}}, nil
	})
	details := `{"ppt_scheme": "wamp", "ppt_serializer": "cbor", "ppt_cipher": "xsalsa20poly1305",
		"ppt_keyid": "GTtQ37XGJO2O4R8Dvx4AUo8pe61D9evIWpKGQAPdOh0="}`
	sealed, _ := ring.Seal(e2ee.XSalsa20Poly1305, specKeyID1, cborMap(t, []any{"card"}, map[string]any{"n": 1}))
	r.Send(specMsg(t, `[68, 35477, 1147, `+details+`, [Payload|binary]]`, sealed))
	inv := <-seen
	scripted.Equal(t, "invocation", []any{inv.Args, inv.Kwargs}, []any{protocol.List{"card"}, protocol.Dict{"n": int64(1)}})
	y := scripted.Expect[*protocol.Yield](r)
	want := specMsg(t, `[70, 35477, `+details+`, [Payload|binary]]`, y.Payload.Payload)
	scripted.Equal(t, "YIELD", y, want)
	scripted.Equal(t, "yield payload", openCBOR(t, ring, e2ee.XSalsa20Poly1305, specKeyID1, y.Payload.Payload),
		map[string]any{"args": []any{"done"}, "kwargs": map[string]any{}})

	sealed, _ = ring.Seal(e2ee.XSalsa20Poly1305, specKeyID1, cborMap(t, nil, map[string]any{"fail": true}))
	r.Send(specMsg(t, `[68, 87683, 1147, `+details+`, [Payload|binary]]`, sealed))
	<-seen
	em := scripted.Expect[*protocol.Error](r)
	want = specMsg(t, `[8, 68, 87683, `+details+`, "com.myapp.invalid_revenue_year", [Payload|binary]]`, em.Payload.Payload)
	scripted.Equal(t, "ERROR", em, want)
	scripted.Equal(t, "error payload", openCBOR(t, ring, e2ee.XSalsa20Poly1305, specKeyID1, em.Payload.Payload)["args"], []any{"bad year"})
}

func TestPassthruSpecMQTTInvocation(t *testing.T) {
	c, r := pptJoined(t)
	clienttest.Register(t, c, r, "com.myapp.mqtt_processing", 3344, func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		b, _ := inv.Args[0].([]byte)
		return client.Result{Args: protocol.List{append([]byte("re:"), b...)}}, nil
	})
	r.Send(specMsg(t, `[68, 35479, 3344, {"ppt_scheme": "mqtt", "ppt_serializer": "native"}, [Payload|binary]]`, []byte("hi")))
	y := scripted.Expect[*protocol.Yield](r)
	scripted.Equal(t, "YIELD", y, specMsg(t, `[70, 35479, {"ppt_scheme": "mqtt", "ppt_serializer": "native"}, [Payload|binary]]`, []byte("re:hi")))
}

func TestPassthruSpecPublish(t *testing.T) {
	ring := specRing(t)
	c, r := pptJoined(t, client.WithKeyRing(ring))
	if _, err := c.Publish(ctxT(t), "com.myapp.mytopic1", protocol.List{"tick"}, nil, client.Encrypted(e2ee.XSalsa20Poly1305, specKeyID2)); err != nil {
		t.Fatal(err)
	}
	m := scripted.Expect[*protocol.Publish](r)
	want := specMsg(t, `[16, 45677, {"ppt_scheme": "wamp", "ppt_serializer": "cbor", "ppt_cipher": "xsalsa20poly1305",
		"ppt_keyid": "GTtQ37XGJO2O4R8Dvx4AUo8pe61D9evNSpGMDQWdOh1="}, "com.myapp.mytopic1", [Payload|binary]]`, m.Payload.Payload).(*protocol.Publish)
	want.Request = m.Request
	scripted.Equal(t, "PUBLISH", m, want)
	scripted.Equal(t, "payload", openCBOR(t, ring, e2ee.XSalsa20Poly1305, specKeyID2, m.Payload.Payload)["args"], []any{"tick"})
}

// The spec's EVENT example names flatbuffers, which this client does not
// implement: the event is dropped and reported, and the session goes on.
func TestPassthruSpecEventFlatbuffersReported(t *testing.T) {
	errs := make(chan error, 4)
	ring := specRing(t)
	c, r := pptJoined(t, client.WithKeyRing(ring), client.WithErrorHandler(func(err error) { errs <- err }))
	events := make(chan *client.Event, 4)
	clienttest.Subscribe(t, c, r, "com.myapp.mytopic1", 5512315355, func(_ context.Context, ev *client.Event) { events <- ev })
	sealed, _ := ring.Seal(e2ee.XSalsa20Poly1305, specKeyID2, []byte("a flatbuffers table"))
	r.Send(specMsg(t, `[36, 5512315355, 4429313566, {"ppt_scheme": "wamp", "ppt_serializer": "flatbuffers",
		"ppt_cipher": "xsalsa20poly1305", "ppt_keyid": "GTtQ37XGJO2O4R8Dvx4AUo8pe61D9evNSpGMDQWdOh1="}, [Payload|binary]]`,
		sealed))
	r.Send(&protocol.Event{Subscription: 5512315355, Publication: 2, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"plain"}}})
	ev := <-events
	scripted.Equal(t, "next event", ev.Args, protocol.List{"plain"})
	err := <-errs
	var pe *client.PassthruError
	if !errors.As(err, &pe) || pe.Op != "Event" || !errors.Is(err, client.ErrPassthruPayload) || errors.Is(err, client.ErrDecrypt) {
		t.Fatalf("reported %v, want a *PassthruError for the event", err)
	}
}

// Autobahn's older form (enc_algo, the payload bare in the Arguments
// position) is not unpacked: the payload reaches the handler as its one
// []byte argument instead of being lost.
func TestPassthruEncAlgoReachesHandlerRaw(t *testing.T) {
	c, r := pptJoined(t)
	events := make(chan *client.Event, 1)
	clienttest.Subscribe(t, c, r, "com.example.t", 7, func(_ context.Context, ev *client.Event) { events <- ev })
	r.Send(&protocol.Event{Subscription: 7, Publication: 1, Details: protocol.Dict{"enc_algo": "cryptobox"},
		Payload: protocol.Payload{Payload: []byte("sealed by autobahn")}})
	ev := <-events
	scripted.Equal(t, "args", ev.Args, protocol.List{[]byte("sealed by autobahn")})
}
