package client_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/routertest"
	"github.com/wampgo/wampgo/protocol"
)

// Through fox-wamp (JSON over WebSocket), the scenario: a 2 MiB
// CALL to a callee whose read limit is 1 MiB. Before, the callee's session
// ended (connection lost: wsconn: message too large … read limited at
// 1048577 bytes) and the caller got wamp.error.canceled ("callee gone");
// now the caller gets wamp.error.payload_size_exceeded at once (which
// fox-wamp wraps in wamp.error.callee_failure) and the
// callee serves the next call. A 2 MiB RESULT to a 1 MiB caller and a
// 2 MiB EVENT to a 1 MiB subscriber cost only that call and that event.
func TestRealRouterOversizeMessages(t *testing.T) {
	r := routertest.Start(t)
	big := strings.Repeat("x", 2<<20)
	reported := make(errorsTo, 4)
	limited := dialURLRealm(t, r.URL(), client.WithSerializers(codec.JSON()), client.WithReadLimit(1<<20),
		client.WithErrorHandler(reported.handle))
	roomy := dialURLRealm(t, r.URL(), client.WithSerializers(codec.JSON()))

	if _, err := limited.Register(ctxT(t), "com.wampgo.oversize.len", func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		s, _ := inv.Args[0].(string)
		return client.Result{Args: protocol.List{int64(len(s))}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := roomy.Register(ctxT(t), "com.wampgo.oversize.big", func(context.Context, *client.Invocation) (client.Result, error) {
		return client.Result{Args: protocol.List{big}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	events := make(chan *client.Event, 4)
	if _, err := limited.Subscribe(ctxT(t), "com.wampgo.oversize.news", func(_ context.Context, ev *client.Event) { events <- ev }); err != nil {
		t.Fatal(err)
	}

	_, err := await(t, roomy.Call(ctxT(t), "com.wampgo.oversize.len", protocol.List{big}, nil))
	// fox-wamp hands a callee's ERROR on as wamp.error.callee_failure with
	// the callee's URI as the only argument (QUIRKS.md).
	var we *client.Error
	if !errors.As(err, &we) || we.URI != "wamp.error.callee_failure" || len(we.Args) != 1 || we.Args[0] != client.URIPayloadSizeExceeded {
		t.Fatalf("2 MiB call to a 1 MiB callee: %v", err)
	}
	t.Logf("2 MiB call to a 1 MiB callee: %v", err)
	if res, err := await(t, roomy.Call(ctxT(t), "com.wampgo.oversize.len", protocol.List{"small"}, nil)); err != nil || res.Args[0] != int64(5) {
		t.Fatalf("the next call: %v %v", res.Args, err)
	}

	_, err = await(t, limited.Call(ctxT(t), "com.wampgo.oversize.big", nil, nil))
	var te *client.MessageTooLargeError
	if !errors.As(err, &te) || te.Type != protocol.TypeResult {
		t.Fatalf("2 MiB result to a 1 MiB caller: %v", err)
	}
	t.Logf("2 MiB result to a 1 MiB caller: %v", err)

	checkEventTooLargeAt(t, roomy, limited, "com.wampgo.oversize.news", big, events, reported)
	if err := limited.Err(); err != nil {
		t.Fatalf("the limited client ended: %v", err)
	}
}

// dialURLRealm dials url in the interop realm.
func dialURLRealm(t *testing.T, url string, opts ...client.Option) *client.Client {
	t.Helper()
	return dialRealm(t, url, interopRealm, opts...)
}
