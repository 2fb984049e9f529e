package client_test

// Hostile-input tests: the router is untrusted. Whatever it sends, the
// client must not panic, hang or leak; input that breaks the protocol ends
// the session with ABORT wamp.error.protocol_violation, and input that a
// correct router may send in a race (an EVENT after UNSUBSCRIBE, an
// INVOCATION after UNREGISTER) is tolerated.
//
// Tests named TestHostileRegression… pin bugs these tests once found.

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// wire is the harness setup of the hostile tests: a pipe that encodes every
// message with JSON, as a network would, so that the router can also inject
// raw frames (Join.Raw.SendRaw).
var wire = clienttest.Setup{Codec: codec.JSON()}

// expectViolationAbort checks how a session the router broke ends: the
// client sends ABORT wamp.error.protocol_violation with a message, sends
// nothing after it, closes the connection, and its end reason matches
// ErrProtocolViolation.
func expectViolationAbort(t *testing.T, c *client.Client, r *scripted.Router) {
	t.Helper()
	a := scripted.Expect[*protocol.Abort](r)
	text, _ := a.Details["message"].(string)
	scripted.Equal(t, "ABORT", a, &protocol.Abort{Reason: "wamp.error.protocol_violation", Details: protocol.Dict{"message": text}})
	if text == "" {
		t.Fatal("ABORT without a message")
	}
	if rest := r.WaitClosed(); len(rest) != 0 {
		t.Fatalf("sent after ABORT: %s", scripted.Describe(rest[0]))
	}
	if err := c.Wait(ctxT(t)); !errors.Is(err, client.ErrProtocolViolation) {
		t.Fatalf("Wait = %v, want a protocol violation", err)
	}
}

// expectClosedByViolation checks the error of an operation that was
// pending when the session ended for a protocol violation.
func expectClosedByViolation(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, client.ErrClosed) || !errors.Is(err, client.ErrProtocolViolation) {
		t.Fatalf("%s: %v, want ErrClosed wrapping a protocol violation", what, err)
	}
}

// quiet fails the test if the client sent anything. Call it inside a
// synctest bubble: synctest.Wait lets the client finish what it was doing.
func quiet(t *testing.T, r *scripted.Router) {
	t.Helper()
	synctest.Wait()
	select {
	case m, ok := <-r.Transport().Receive():
		if ok {
			t.Fatalf("client sent %s", scripted.Describe(m))
		}
		t.Fatalf("connection ended: %v", r.Transport().Err())
	default:
	}
}

// pendingCall starts a call and returns it with its request id.
func pendingCall(t *testing.T, c *client.Client, r *scripted.Router, opts ...client.CallOption) (*client.Call, protocol.ID) {
	t.Helper()
	call := c.Call(ctxT(t), "com.pending", nil, nil, opts...)
	return call, scripted.Expect[*protocol.Call](r).Request
}

func nopEvent(context.Context, *client.Event) {}

func nopHandler(context.Context, *client.Invocation) (client.Result, error) {
	return client.Result{}, nil
}

// Frames that do not decode: the client answers ABORT protocol_violation,
// ends the session, and fails what was pending; over every transport.
func TestHostileFramesAbort(t *testing.T) {
	deep := "[36,1,2,{},[" + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "]]"
	small := codec.NewJSON(codec.Limits{MaxMessageSize: 4 << 10})
	for _, tc := range []struct {
		name  string
		cd    codec.Codec // nil: codec.JSON()
		frame string
	}{
		// Over the codec's limit, a message whose head tells its type and
		// ids costs only its operation (oversize_test.go); one whose head
		// does not ends the session.
		{"oversized, head not WAMP", small, `{"x":"` + strings.Repeat("x", 5<<10) + `"}`},
		{"garbage", nil, "\x00\x01\xfe\xff garbage"},
		{"empty frame", nil, ""},
		{"truncated", nil, `[50,1,{}`},
		{"trailing data", nil, `[50,1,{}] [50,1,{}]`},
		{"not a list: object", nil, `{"type":50}`},
		{"not a list: number", nil, `42`},
		{"not a list: string", nil, `"RESULT"`},
		{"not a list: null", nil, `null`},
		{"empty list", nil, `[]`},
		{"unknown type", nil, `[999,1,{}]`},
		{"type zero", nil, `[0]`},
		{"type as string", nil, `["50",1,{}]`},
		{"too few elements", nil, `[36,1,2]`},
		{"too many elements", nil, `[50,1,{},[],{},"extra"]`},
		{"request id as string", nil, `[50,"1",{}]`},
		{"request id negative", nil, `[50,-1,{}]`},
		{"request id zero", nil, `[50,0,{}]`},
		{"request id above 2^53", nil, `[50,9007199254740993,{}]`},
		{"request id fractional", nil, `[50,1.5,{}]`},
		{"details as list", nil, `[50,1,[]]`},
		{"args as dict", nil, `[50,1,{},{}]`},
		{"kwargs as list", nil, `[50,1,{},[],[]]`},
		{"deeply nested", nil, deep},
		{"invalid UTF-8 in string", nil, "[36,1,2,{},[\"\xff\xfe\"]]"},
		{"invalid UTF-8 in key", nil, "[36,1,2,{\"\xc3\x28\":1}]"},
		// A lone surrogate alone reads as U+FFFD (codec's package comment).
		{"lone surrogate and invalid UTF-8", nil, "[36,1,2,{},[\"\\ud800\xff\"]]"},
		{"invalid escape", nil, `[36,1,2,{},["\u00zz"]]`},
		{"duplicate key", nil, `[36,1,2,{"a":1,"a":2}]`},
		// Python's bare NaN reads as NaN (codec's package comment); these
		// are not that word in a value's place.
		{"NaN glued to a number", nil, `[36,1,2,{},[1NaN]]`},
		{"nan in lower case", nil, `[36,1,2,{},[nan]]`},
		{"number out of range", nil, `[36,1,2,{},[1e400]]`},
		{"invalid error URI", nil, `[8,48,1,{},"not a uri!!"]`},
		{"WELCOME without roles", nil, `[2,1,{}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cd := tc.cd
			if cd == nil {
				cd = codec.JSON()
			}
			forEachHostileTransport(t, func(t *testing.T, join hostileJoin) {
				c, r, raw := join(t, cd)
				call, _ := pendingCall(t, c, r)
				if err := raw.SendRaw(ctxT(t), []byte(tc.frame)); err != nil {
					t.Fatal(err)
				}
				expectViolationAbort(t, c, r)
				_, err := await(t, call)
				expectClosedByViolation(t, "pending call", err)
				// The session stays ended: new operations fail at once.
				_, err = await(t, c.Call(ctxT(t), "after", nil, nil))
				expectClosedByViolation(t, "call after the end", err)
			})
		})
	}
}

// A router that sends garbage instead of WELCOME: Connect fails with a
// protocol violation and closes the connection.
func TestHostileGarbageInsteadOfWelcome(t *testing.T) {
	j := clienttest.StartWith(t, wire)
	scripted.Expect[*protocol.Hello](j.Router)
	if err := j.Raw.SendRaw(ctxT(t), []byte(`[2,"x",{}]`)); err != nil {
		t.Fatal(err)
	}
	if _, err := j.Wait(); !errors.Is(err, client.ErrProtocolViolation) {
		t.Fatalf("Connect = %v, want a protocol violation", err)
	}
	j.Router.WaitClosed()
}
