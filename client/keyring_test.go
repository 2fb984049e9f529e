package client_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/protocol"
)

// Without WithKeyRing, an encrypted call fails before anything is sent
// with ErrUnknownKey, and an encrypted event is dropped and reported with
// ErrDecrypt and ErrUnknownKey; the session goes on.
func TestKeyRingNone(t *testing.T) {
	errs, sink := errSink()
	c, r := pptJoined(t, sink)
	_, err := c.Call(ctxT(t), "com.example.p", protocol.List{1}, nil, client.Encrypted("aes256gcm", "k1")).Await(ctxT(t))
	var pe *client.PassthruError
	if !errors.Is(err, client.ErrUnknownKey) || !errors.As(err, &pe) || pe.Op != "Call" {
		t.Fatalf("call err %v, want a Call *PassthruError matching ErrUnknownKey", err)
	}
	events := make(chan *client.Event, 1)
	clienttest.Subscribe(t, c, r, "com.example.t", 5, func(_ context.Context, ev *client.Event) { events <- ev })
	r.Send(&protocol.Event{Subscription: 5, Publication: 1,
		Details: protocol.Dict{"ppt_scheme": "wamp", "ppt_serializer": "cbor", "ppt_cipher": "aes256gcm", "ppt_keyid": "k1"},
		Payload: protocol.Payload{Payload: []byte("0123456789012345678901234567890123456789")}})
	if err := nextErr(t, errs); !errors.Is(err, client.ErrDecrypt) || !errors.Is(err, client.ErrUnknownKey) {
		t.Fatalf("reported %v, want ErrDecrypt and ErrUnknownKey", err)
	}
	select {
	case ev := <-events:
		t.Fatalf("event %v delivered without a key ring", ev.Args)
	default:
	}
	if c.Session().ID == 0 {
		t.Fatal("the session ended")
	}
}

// xorRing is a KeyRing of the application's own (not package e2ee): it
// "seals" with the cipher "x_xor" by XOR with a one-byte key per id. It
// counts its calls, from any goroutine.
type xorRing struct {
	keys         map[string]byte
	seals, opens atomic.Int32
}

func (r *xorRing) xor(cipher, keyID string, in []byte) ([]byte, error) {
	if cipher != "x_xor" {
		return nil, fmt.Errorf("%w %q", client.ErrUnknownCipher, cipher)
	}
	k, ok := r.keys[keyID]
	if !ok {
		return nil, fmt.Errorf("%w %q", client.ErrUnknownKey, keyID)
	}
	out := slices.Clone(in)
	for i := range out {
		out[i] ^= k
	}
	return out, nil
}

func (r *xorRing) Seal(cipher, keyID string, plaintext []byte) ([]byte, error) {
	r.seals.Add(1)
	return r.xor(cipher, keyID, plaintext)
}

func (r *xorRing) Open(cipher, keyID string, sealed []byte) ([]byte, error) {
	r.opens.Add(1)
	b, err := r.xor(cipher, keyID, sealed)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", client.ErrDecrypt, err)
	}
	return b, nil
}

// WithKeyRing takes any KeyRing: a call and its result go through the
// application's own ring on both sides, and a key id it does not hold
// fails the call with the ring's error.
func TestKeyRingOwn(t *testing.T) {
	ctx := ctxT(t)
	router := wamptest.NewRouter()
	t.Cleanup(router.Close)
	calleeRing := &xorRing{keys: map[string]byte{"k": 0x5a}}
	callerRing := &xorRing{keys: map[string]byte{"k": 0x5a}}
	callee := pptConnect(t, router, client.WithKeyRing(calleeRing))
	caller := pptConnect(t, router, client.WithKeyRing(callerRing))
	_, err := callee.Register(ctx, "com.example.p", func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		return client.Result{Args: protocol.List{fmt.Sprint(inv.Args[0]) + "!"}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	res, err := caller.Call(ctx, "com.example.p", protocol.List{"hi"}, nil, client.Encrypted("x_xor", "k")).Await(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pptEqual(t, "result", res.Args, res.Kwargs, protocol.List{"hi!"}, nil)
	if s, o := callerRing.seals.Load(), callerRing.opens.Load(); s != 1 || o != 1 {
		t.Errorf("caller's ring: %d seals, %d opens; want 1 and 1", s, o)
	}
	if s, o := calleeRing.seals.Load(), calleeRing.opens.Load(); s != 1 || o != 1 {
		t.Errorf("callee's ring: %d seals, %d opens; want 1 and 1", s, o)
	}
	_, err = caller.Call(ctx, "com.example.p", protocol.List{"hi"}, nil, client.Encrypted("x_xor", "other")).Await(ctx)
	if !errors.Is(err, client.ErrUnknownKey) {
		t.Fatalf("err %v, want ErrUnknownKey", err)
	}
}
