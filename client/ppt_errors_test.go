package client_test

import (
	"context"
	"errors"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/e2ee"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// errSink collects what a client reports to its error handler.
func errSink() (chan error, client.Option) {
	errs := make(chan error, 16)
	return errs, client.WithErrorHandler(func(err error) {
		select {
		case errs <- err:
		default:
		}
	})
}

func nextErr(t *testing.T, errs chan error) error {
	t.Helper()
	select {
	case err := <-errs:
		return err
	case <-ctxT(t).Done():
		t.Fatal("nothing reported")
	}
	return nil
}

func ringWith(t *testing.T, id string, k e2ee.Key) *e2ee.KeyRing {
	t.Helper()
	r := e2ee.NewKeyRing()
	if err := r.Add(id, k); err != nil {
		t.Fatal(err)
	}
	return r
}

// Peers whose rings hold different keys under one id: the callee cannot
// open the call (the caller gets an ERROR, the callee reports ErrDecrypt),
// a subscriber cannot open the event (dropped and reported), and both
// sessions go on.
func TestPassthruWrongKey(t *testing.T) {
	ctx := ctxT(t)
	router := wamptest.NewRouter()
	t.Cleanup(router.Close)
	calleeErrs, sink := errSink()
	callee := pptConnect(t, router, client.WithKeyRing(ringWith(t, "k", e2ee.GenerateKey())), sink)
	caller := pptConnect(t, router, client.WithKeyRing(ringWith(t, "k", e2ee.GenerateKey())))
	ran := make(chan struct{}, 1)
	if _, err := callee.Register(ctx, "com.example.p", func(context.Context, *client.Invocation) (client.Result, error) {
		ran <- struct{}{}
		return client.Result{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	events := make(chan *client.Event, 2)
	if _, err := callee.Subscribe(ctx, "com.example.t", func(_ context.Context, ev *client.Event) { events <- ev }); err != nil {
		t.Fatal(err)
	}
	for _, cipher := range []string{e2ee.XSalsa20Poly1305, e2ee.AES256GCM} {
		_, err := caller.Call(ctx, "com.example.p", protocol.List{pptSecret}, nil, client.Encrypted(cipher, "k")).Await(ctx)
		var we *client.Error
		if !errors.As(err, &we) || we.URI != protocol.URIErrInvalidArgument {
			t.Fatalf("%s: call err %v, want ERROR %s", cipher, err, protocol.URIErrInvalidArgument)
		}
		if err := nextErr(t, calleeErrs); !errors.Is(err, client.ErrDecrypt) || errors.Is(err, client.ErrUnknownKey) {
			t.Fatalf("%s: callee reported %v, want ErrDecrypt", cipher, err)
		}
		if _, err := caller.Publish(ctx, "com.example.t", protocol.List{pptSecret}, nil, client.Encrypted(cipher, "k"), client.Acknowledge()); err != nil {
			t.Fatal(err)
		}
		if err := nextErr(t, calleeErrs); !errors.Is(err, client.ErrDecrypt) {
			t.Fatalf("%s: subscriber reported %v, want ErrDecrypt", cipher, err)
		}
	}
	select {
	case <-ran:
		t.Fatal("the handler ran on a payload it could not open")
	default:
	}
	if _, err := caller.Publish(ctx, "com.example.t", protocol.List{"plain"}, nil, client.Acknowledge()); err != nil {
		t.Fatal(err)
	}
	if ev := <-events; ev.Args[0] != "plain" {
		t.Fatalf("event %v: an undecryptable event was delivered", ev.Args)
	}
}

// A callee that answers with a key the caller does not hold: the final
// result fails with ErrDecrypt and ErrUnknownKey; AnswerWith(nil) answers
// plain.
func TestPassthruAnswerWith(t *testing.T) {
	ctx := ctxT(t)
	router := wamptest.NewRouter()
	t.Cleanup(router.Close)
	shared := e2ee.GenerateKey()
	calleeRing := ringWith(t, "shared", shared)
	calleeRing.Add("callee-only", e2ee.GenerateKey())
	callee := pptConnect(t, router, client.WithKeyRing(calleeRing))
	caller := pptConnect(t, router, client.WithKeyRing(ringWith(t, "shared", shared)))
	_, err := callee.Register(ctx, "com.example.p", func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		switch inv.Args[0] {
		case "other key":
			inv.AnswerWith(&client.Passthru{Scheme: "wamp", Serializer: "cbor", Cipher: e2ee.AES256GCM, KeyID: "callee-only"})
		case "plain":
			inv.AnswerWith(nil)
		}
		return client.Result{Args: protocol.List{"answer"}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	opt := client.Encrypted(e2ee.XSalsa20Poly1305, "shared")
	res, err := caller.Call(ctx, "com.example.p", protocol.List{"other key"}, nil, opt).Await(ctx)
	var pe *client.PassthruError
	if !errors.Is(err, client.ErrDecrypt) || !errors.Is(err, client.ErrUnknownKey) || !errors.As(err, &pe) || pe.Op != "Result" {
		t.Fatalf("err %v, want a Result *PassthruError matching ErrDecrypt and ErrUnknownKey", err)
	}
	if res.Args != nil {
		t.Fatalf("args %v of an unreadable result", res.Args)
	}
	res, err = caller.Call(ctx, "com.example.p", protocol.List{"plain"}, nil, opt).Await(ctx)
	if err != nil || res.Args[0] != "answer" {
		t.Fatalf("plain answer: %v %v", res.Args, err)
	}
	if _, ok := client.PassthruOf(res.Details); ok {
		t.Fatalf("plain answer came with %v", res.Details)
	}
}

// Tampered ciphertext from the router: the invocation is answered with a
// plain ERROR and reported; the result fails with ErrDecrypt. The session
// survives both.
func TestPassthruTampered(t *testing.T) {
	ring := specRing(t)
	errs, sink := errSink()
	c, r := pptJoined(t, client.WithKeyRing(ring), sink)
	clienttest.Register(t, c, r, "com.example.p", 9, func(context.Context, *client.Invocation) (client.Result, error) {
		t.Error("handler ran on a tampered payload")
		return client.Result{}, nil
	})
	for i, cipher := range []string{e2ee.XSalsa20Poly1305, e2ee.AES256GCM} {
		d := protocol.Dict{"ppt_scheme": "wamp", "ppt_serializer": "cbor", "ppt_cipher": cipher, "ppt_keyid": specKeyID1}
		sealed, _ := ring.Seal(cipher, specKeyID1, cborMap(t, []any{pptSecret}, nil))
		sealed[len(sealed)-1] ^= 1
		r.Send(&protocol.Invocation{Request: protocol.ID(i + 1), Registration: 9, Details: d, Payload: protocol.Payload{Payload: sealed}})
		em := scripted.Expect[*protocol.Error](r)
		if em.Error != protocol.URIErrInvalidArgument || len(em.Details) != 0 {
			t.Fatalf("%s: answer %s %v, want a plain %s", cipher, em.Error, em.Details, protocol.URIErrInvalidArgument)
		}
		if err := nextErr(t, errs); !errors.Is(err, client.ErrDecrypt) {
			t.Fatalf("%s: reported %v", cipher, err)
		}

		call := c.Call(ctxT(t), "com.example.q", nil, nil)
		m := scripted.Expect[*protocol.Call](r)
		r.Send(&protocol.Result{Request: m.Request, Details: d, Payload: protocol.Payload{Payload: sealed}})
		if _, err := await(t, call); !errors.Is(err, client.ErrDecrypt) {
			t.Fatalf("%s: result err %v, want ErrDecrypt", cipher, err)
		}
		// Truncated below the nonce: the same, no panic.
		call = c.Call(ctxT(t), "com.example.q", nil, nil)
		m = scripted.Expect[*protocol.Call](r)
		r.Send(&protocol.Result{Request: m.Request, Details: d, Payload: protocol.Payload{Payload: sealed[:5]}})
		if _, err := await(t, call); !errors.Is(err, client.ErrDecrypt) {
			t.Fatalf("%s: truncated result err %v, want ErrDecrypt", cipher, err)
		}
	}
}

// A cipher this client does not implement fails the call before anything
// is sent, and an incoming event naming it is dropped and reported.
func TestPassthruUnknownCipher(t *testing.T) {
	errs, sink := errSink()
	c, r := pptJoined(t, client.WithKeyRing(specRing(t)), sink)
	_, err := c.Call(ctxT(t), "com.example.p", protocol.List{1}, nil, client.Encrypted("rot13", specKeyID1)).Await(ctxT(t))
	var pe *client.PassthruError
	if !errors.Is(err, client.ErrUnknownCipher) || !errors.As(err, &pe) || pe.Op != "Call" {
		t.Fatalf("call err %v, want a Call *PassthruError matching ErrUnknownCipher", err)
	}
	_, err = c.Publish(ctxT(t), "com.example.t", nil, nil, client.Encrypted(e2ee.AES256GCM, "no-such-key"))
	if !errors.Is(err, client.ErrUnknownKey) {
		t.Fatalf("publish err %v, want ErrUnknownKey", err)
	}
	events := make(chan *client.Event, 1)
	clienttest.Subscribe(t, c, r, "com.example.t", 5, func(_ context.Context, ev *client.Event) { events <- ev })
	r.Send(&protocol.Event{Subscription: 5, Publication: 1,
		Details: protocol.Dict{"ppt_scheme": "wamp", "ppt_serializer": "cbor", "ppt_cipher": "rot13", "ppt_keyid": specKeyID1},
		Payload: protocol.Payload{Payload: []byte("xyz")}})
	if err := nextErr(t, errs); !errors.Is(err, client.ErrUnknownCipher) {
		t.Fatalf("reported %v, want ErrUnknownCipher", err)
	}
	r.Send(&protocol.Event{Subscription: 5, Publication: 2, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"next"}}})
	if ev := <-events; ev.Args[0] != "next" {
		t.Fatalf("event %v", ev.Args)
	}
}

// Passthru to a router that did not announce payload_passthru_mode is
// refused with ErrNotSupported (the spec makes it a protocol violation),
// and nothing is sent.
func TestPassthruNotAnnounced(t *testing.T) {
	c, r := clienttest.Joined(t, client.WithKeyRing(specRing(t)))
	for _, opt := range []client.PassthruOption{
		client.Encrypted(e2ee.XSalsa20Poly1305, specKeyID1),
		client.WithPassthru(client.Passthru{Scheme: "mqtt"}),
	} {
		_, err := c.Call(ctxT(t), "com.example.p", protocol.List{[]byte("x")}, nil, opt).Await(ctxT(t))
		if !errors.Is(err, client.ErrNotSupported) {
			t.Fatalf("call err %v, want ErrNotSupported", err)
		}
		_, err = c.Publish(ctxT(t), "com.example.t", protocol.List{[]byte("x")}, nil, opt)
		if !errors.Is(err, client.ErrNotSupported) {
			t.Fatalf("publish err %v, want ErrNotSupported", err)
		}
	}
	// The next message the router sees is the plain call after them.
	c.Call(ctxT(t), "com.example.plain", nil, nil)
	if m := scripted.Expect[*protocol.Call](r); m.Procedure != "com.example.plain" {
		t.Fatalf("router got %v", m)
	}
}

// The client announces payload_passthru_mode in every role it plays.
func TestPassthruAnnounced(t *testing.T) {
	j := clienttest.Start(t)
	_, hello := j.Welcome()
	for _, role := range []string{"caller", "callee", "publisher", "subscriber"} {
		f, _ := hello.Details["roles"].(protocol.Dict)[role].(protocol.Dict)["features"].(protocol.Dict)
		if f[protocol.FeaturePayloadPassthruMode] != true {
			t.Errorf("HELLO %s features %v lack %s", role, f, protocol.FeaturePayloadPassthruMode)
		}
	}
}
