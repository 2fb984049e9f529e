package client_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/e2ee"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

// pptKit is a kit router with an encrypting callee and caller sharing a
// ring; it checks, when the test ends, that the router saw no plaintext.
func pptKit(t *testing.T, opts ...client.Option) (router *wamptest.Router, callee, caller *client.Client, keyID string) {
	t.Helper()
	key := e2ee.GenerateKey()
	ring := e2ee.NewKeyRing(key)
	router = wamptest.NewRouter()
	t.Cleanup(router.Close)
	callee = pptConnect(t, router, append(opts, client.WithKeyRing(ring))...)
	caller = pptConnect(t, router, append(opts, client.WithKeyRing(ring))...)
	return router, callee, caller, key.ID()
}

// onlyCiphertext fails unless every passthru payload of the client's
// session is encrypted and free of marker, and there are want of them.
func onlyCiphertext(t *testing.T, router *wamptest.Router, c *client.Client, marker string, want int) {
	t.Helper()
	recs := router.Log(c.Session().ID).PassthruPayloads()
	for _, rec := range recs {
		if rec.Dict["ppt_cipher"] == nil || bytes.Contains(rec.Payload, []byte(marker)) {
			t.Errorf("%s %s: not ciphertext: %v %q", rec.Dir, rec.Type, rec.Dict, rec.Payload)
		}
	}
	if len(recs) != want {
		t.Errorf("%d passthru payloads, want %d", len(recs), want)
	}
	for _, m := range router.Log(c.Session().ID).Records() {
		if strings.Contains(fmt.Sprint(m), marker) {
			t.Errorf("the router saw the plaintext in %v", m)
		}
	}
}

// A typed call is encrypted with one option.
func TestPassthruTypedCall(t *testing.T) {
	type req struct {
		Name string `wamp:"name"`
	}
	type resp struct {
		Greeting string `wamp:"greeting"`
	}
	ctx := ctxT(t)
	router, callee, caller, id := pptKit(t)
	_, err := client.RegisterTyped(ctx, callee, "com.example.greet", func(_ context.Context, r req) (resp, error) {
		return resp{Greeting: "hello " + r.Name}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := client.CallTyped[resp](ctx, caller, "com.example.greet", req{Name: pptSecret}, client.Encrypted(e2ee.XSalsa20Poly1305, id))
	if err != nil || got.Greeting != "hello "+pptSecret {
		t.Fatalf("CallTyped = %+v, %v", got, err)
	}
	onlyCiphertext(t, router, caller, pptSecret, 2)
}

// Progressive results and progressive inputs of an encrypted call travel
// encrypted, chunk by chunk.
func TestPassthruProgressive(t *testing.T) {
	ctx := ctxT(t)
	router, callee, caller, id := pptKit(t)
	_, err := callee.Register(ctx, "com.example.stream", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		parts := []any{inv.Args[0]}
		for in := range inv.Inputs() {
			parts = append(parts, in.Args[0])
		}
		for _, p := range parts {
			if err := inv.SendProgress(ctx, protocol.List{p}, nil); err != nil {
				return client.Result{}, err
			}
		}
		return client.Result{Args: protocol.List{int64(len(parts))}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	call := caller.Call(ctx, "com.example.stream", protocol.List{pptSecret + "0"}, nil,
		client.ProgressiveInputs(), client.ReceiveProgress(), client.Encrypted(e2ee.AES256GCM, id))
	if err := call.SendInput(ctx, protocol.List{pptSecret + "1"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := call.FinishInput(ctx, protocol.List{pptSecret + "2"}, nil); err != nil {
		t.Fatal(err)
	}
	var got []any
	for res := range call.Results() {
		if res.Err != nil {
			t.Fatal(res.Err)
		}
		got = append(got, res.Args[0])
	}
	want := []any{pptSecret + "0", pptSecret + "1", pptSecret + "2", int64(3)}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("results %v, want %v", got, want)
	}
	// 3 CALL chunks, 3 progressive RESULTs and the final one.
	onlyCiphertext(t, router, caller, pptSecret, 7)
}

// Keys never appear in what the client prints, logs or reports, even
// when debug logging is on and decryption fails.
func TestPassthruKeysNeverLeak(t *testing.T) {
	keyBytes := []byte("CLIENT-E2EE-KEY-0123456789abcdef")
	key, _ := e2ee.NewKey(keyBytes)
	other, _ := e2ee.NewKey(bytes.Repeat([]byte("z"), 32))
	var mu sync.Mutex
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return logs.Write(p)
	}), &slog.HandlerOptions{Level: slog.LevelDebug}))
	errs, sink := errSink()
	ctx := ctxT(t)
	router := wamptest.NewRouter()
	t.Cleanup(router.Close)
	ring := ringWith(t, "k", key)
	callee := pptConnect(t, router, client.WithKeyRing(ringWith(t, "k", other)), client.WithLogger(logger), sink)
	caller := pptConnect(t, router, client.WithKeyRing(ring), client.WithLogger(logger))
	callee.Register(ctx, "com.example.p", func(context.Context, *client.Invocation) (client.Result, error) { return client.Result{}, nil })
	callee.Subscribe(ctx, "com.example.t", func(context.Context, *client.Event) {})
	_, callErr := caller.Call(ctx, "com.example.p", protocol.List{"x"}, nil, client.Encrypted(e2ee.AES256GCM, "k")).Await(ctx)
	caller.Publish(ctx, "com.example.t", protocol.List{"x"}, nil, client.Encrypted(e2ee.XSalsa20Poly1305, "k"), client.Acknowledge())
	reported := []error{nextErr(t, errs), nextErr(t, errs), callErr}
	var seen []string
	for _, err := range reported {
		seen = append(seen, err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
		var pe *client.PassthruError
		if errors.As(err, &pe) {
			seen = append(seen, fmt.Sprintf("%#v", *pe))
		}
	}
	for _, v := range []any{ring, key, caller, caller.Session()} {
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%x"} {
			seen = append(seen, fmt.Sprintf(verb, v))
		}
	}
	mu.Lock()
	seen = append(seen, logs.String())
	mu.Unlock()
	forms := []string{string(keyBytes), hex.EncodeToString(keyBytes), base64.StdEncoding.EncodeToString(keyBytes),
		strings.Trim(fmt.Sprint(keyBytes[:8]), "[]")}
	for _, s := range seen {
		for _, f := range forms {
			if strings.Contains(s, f) {
				t.Fatalf("the key leaks (%q) in:\n%s", f, s)
			}
		}
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
