package client_test

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/transport/memconn"
)

// wantOptionError checks that err is an *ArgumentError of op on option,
// matching ErrInvalidArgument.
func wantOptionError(t *testing.T, err error, op, option string) {
	t.Helper()
	var ae *client.ArgumentError
	if !errors.As(err, &ae) || !errors.Is(err, client.ErrInvalidArgument) || ae.Op != op || ae.Arg != option {
		t.Fatalf("err = %v, want an *ArgumentError of %s on %s", err, op, option)
	}
}

// Every client.Option that can be given a wrong value makes Dial and
// Connect fail with an *ArgumentError naming it, before connecting.
func TestWrongOptionsAreRefusedByDialAndConnect(t *testing.T) {
	cases := []struct {
		option string
		opt    client.Option
	}{
		{"WithLogger", client.WithLogger(nil)},
		{"WithErrorHandler", client.WithErrorHandler(nil)},
		{"WithWriteQueue", client.WithWriteQueue(0)},
		{"WithWriteQueue", client.WithWriteQueue(-1)},
		{"WithCloseTimeout", client.WithCloseTimeout(0)},
		{"WithCloseTimeout", client.WithCloseTimeout(-time.Second)},
		{"WithJoinTimeout", client.WithJoinTimeout(-time.Second)},
		{"WithSerializers", client.WithSerializers()},
		{"WithSerializers", client.WithSerializers(codec.JSON(), nil)},
		{"WithAuth", client.WithAuth("alice", nil)},
		{"WithReconnect", client.WithReconnect(client.Reconnect{MinDelay: -time.Second})},
		{"WithReconnect", client.WithReconnect(client.Reconnect{MaxDelay: -time.Second})},
		{"WithReconnect", client.WithReconnect(client.Reconnect{ResetAfter: -time.Second})},
		{"WithReconnect", client.WithReconnect(client.Reconnect{AttemptTimeout: -time.Second})},
		{"WithReconnect", client.WithReconnect(client.Reconnect{MinDelay: 2 * time.Second, MaxDelay: time.Second})},
		{"WithReconnect", client.WithReconnect(client.Reconnect{MaxAttempts: -1})},
		{"WithReconnect", client.WithReconnect(client.Reconnect{WhileDisconnected: 7})},
	}
	for _, tc := range cases {
		t.Run(tc.option, func(t *testing.T) {
			// Refused before any connection: the address is never dialled.
			c, err := client.Dial(context.Background(), "ws://127.0.0.1:1/", "realm1", tc.opt)
			if c != nil {
				c.Close(context.Background())
			}
			wantOptionError(t, err, "Dial", tc.option)

			ct, rt := memconn.Pipe("json")
			defer rt.Close()
			c, err = client.Connect(context.Background(), ct, "realm1", tc.opt)
			if c != nil {
				c.Close(context.Background())
			}
			wantOptionError(t, err, "Connect", tc.option)
		})
	}
}

// Dial-only options and dial-only wrong values: Dial refuses the wrong
// values, Connect refuses the options themselves rather than ignore them.
func TestDialOnlyOptions(t *testing.T) {
	for _, tc := range []struct {
		option string
		opt    client.Option
		wrong  bool // Dial refuses it too
	}{
		{"WithTLSConfig", client.WithTLSConfig(nil), true},
		{"WithKeepalive", client.WithKeepalive(-time.Second, time.Second), true},
		{"WithKeepalive", client.WithKeepalive(time.Second, 0), true},
		{"WithTLSConfig", client.WithTLSConfig(&tls.Config{}), false},
		{"WithHTTPHeader", client.WithHTTPHeader(http.Header{"X": {"y"}}), false},
		{"WithReadLimit", client.WithReadLimit(1 << 20), false},
		{"WithKeepalive", client.WithKeepalive(0, 0), false},
	} {
		t.Run(tc.option, func(t *testing.T) {
			if tc.wrong {
				c, err := client.Dial(context.Background(), "wss://127.0.0.1:1/", "realm1", tc.opt)
				if c != nil {
					c.Close(context.Background())
				}
				wantOptionError(t, err, "Dial", tc.option)
			}
			ct, rt := memconn.Pipe("json")
			defer rt.Close()
			c, err := client.Connect(context.Background(), ct, "realm1", tc.opt)
			if c != nil {
				c.Close(context.Background())
			}
			if tc.wrong {
				if !errors.Is(err, client.ErrInvalidArgument) {
					t.Fatalf("Connect: err = %v, want ErrInvalidArgument", err)
				}
				return
			}
			wantOptionError(t, err, "Connect", tc.option)
		})
	}
}

// WithHTTPHeader with only RawSocket URLs would drop the headers: Dial
// refuses it; with a WebSocket URL among them it is right.
func TestHTTPHeaderNeedsAWebSocketURL(t *testing.T) {
	h := client.WithHTTPHeader(http.Header{"Authorization": {"Bearer x"}})
	_, err := client.Dial(context.Background(), "rs://127.0.0.1:1", "realm1", h,
		client.WithReconnect(client.Reconnect{URLs: []string{"unix:///nonexistent.sock"}}))
	wantOptionError(t, err, "Dial", "WithHTTPHeader")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = client.Dial(ctx, "rs://127.0.0.1:1", "realm1", h,
		client.WithReconnect(client.Reconnect{URLs: []string{"ws://127.0.0.1:1/"}}))
	if err == nil || errors.Is(err, client.ErrInvalidArgument) {
		t.Fatalf("err = %v, want a connection failure", err)
	}
}

// Several wrong options are all reported; each is found with errors.As.
func TestSeveralWrongOptionsAreReportedTogether(t *testing.T) {
	_, err := client.Dial(context.Background(), "ws://127.0.0.1:1/", "realm1",
		client.WithWriteQueue(-1), client.WithJoinTimeout(0))
	if !errors.Is(err, client.ErrInvalidArgument) {
		t.Fatalf("err = %v", err)
	}
	var joined interface{ Unwrap() []error }
	if !errors.As(err, &joined) || len(joined.Unwrap()) != 2 {
		t.Fatalf("err = %v, want both options reported", err)
	}
}

// The boundary values that are right pass the check: Dial goes on to
// connect (to a closed loopback port) and fails for that.
func TestRightOptionsPassTheCheck(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := client.Dial(ctx, "ws://127.0.0.1:1/", "realm1",
		client.WithKeepalive(0, 0), client.WithReadLimit(-1), client.WithReconnect(client.Reconnect{MinDelay: time.Minute}),
		client.WithWriteQueue(1), client.WithSerializers(codec.JSON()), client.WithAuth(""))
	if err == nil || errors.Is(err, client.ErrInvalidArgument) {
		t.Fatalf("err = %v, want a connection failure", err)
	}
}

// Per-operation options are checked by the operation, before sending.
func TestWrongOperationOptionsFailTheOperation(t *testing.T) {
	c, _ := clienttest.Joined(t)
	// Refused at once; the timeout only keeps the old code's test, whose
	// call reaches a router that never answers, from hanging.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.Call(ctx, "p", nil, nil, client.ReceiveProgress(), client.ProgressBuffer(-1)).Await(ctx)
	wantOptionError(t, err, "Call", "option ProgressBuffer")
	_, err = c.Call(ctx, "p", nil, nil, client.OnProgressOverflow(7)).Await(ctx)
	wantOptionError(t, err, "Call", "option OnProgressOverflow")
	_, err = c.Subscribe(ctx, "t", func(context.Context, *client.Event) {}, client.OnOverflow(7))
	wantOptionError(t, err, "Subscribe", "option OnOverflow")
}
