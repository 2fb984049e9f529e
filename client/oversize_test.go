package client_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// oversizeLimit is the read limit of the clients that get messages over
// it; oversizePayload is larger.
const oversizeLimit = 64 << 10

var oversizePayload = strings.Repeat("x", 256<<10)

var oversizeCodecs = []codec.Codec{codec.JSON(), codec.MsgPack(), codec.CBOR()}

// errorsTo collects the *client.MessageTooLargeError that reach a client's
// error handler.
type errorsTo chan *client.MessageTooLargeError

func (e errorsTo) handle(err error) {
	var te *client.MessageTooLargeError
	if errors.As(err, &te) {
		select {
		case e <- te:
		default:
		}
	}
}

// next waits for the next error reported.
func (e errorsTo) next(t *testing.T) *client.MessageTooLargeError {
	t.Helper()
	select {
	case te := <-e:
		return te
	case <-time.After(5 * time.Second):
		t.Fatal("no MessageTooLargeError reported")
	}
	return nil
}

// Through the test kit's router over WebSocket, in every serializer, with
// clients whose read limit is 64 KiB: a 256 KiB CALL to such a callee is
// answered wamp.error.payload_size_exceeded and the callee serves the
// next call; a 256 KiB RESULT fails that call only; a 256 KiB EVENT is
// dropped, counted and reported, and the next event arrives. Before, each
// ended the receiving session (wsconn: message too large … read limited
// at 65537 bytes) and the caller of the big call got "callee gone".
func TestOversizeMessagesOverWebSocket(t *testing.T) {
	router := wamptest.NewRouter()
	t.Cleanup(router.Close)
	url := router.ListenWebSocket().URL()
	for _, cd := range oversizeCodecs {
		t.Run(cd.Name(), func(t *testing.T) {
			reported := make(errorsTo, 4)
			limited := dialURL(t, url, client.WithSerializers(cd), client.WithReadLimit(oversizeLimit), client.WithErrorHandler(reported.handle))
			roomy := dialURL(t, url, client.WithSerializers(cd))
			proc, bigProc, topic := "com.big."+cd.Name(), "com.bigresult."+cd.Name(), "com.topic."+cd.Name()

			echoLen := func(_ context.Context, inv *client.Invocation) (client.Result, error) {
				s, _ := inv.Args[0].(string)
				return client.Result{Args: protocol.List{int64(len(s))}}, nil
			}
			if _, err := limited.Register(ctxT(t), proc, echoLen); err != nil {
				t.Fatal(err)
			}
			if _, err := roomy.Register(ctxT(t), bigProc, func(context.Context, *client.Invocation) (client.Result, error) {
				return client.Result{Args: protocol.List{oversizePayload}}, nil
			}); err != nil {
				t.Fatal(err)
			}
			events := make(chan *client.Event, 4)
			if _, err := limited.Subscribe(ctxT(t), topic, func(_ context.Context, ev *client.Event) { events <- ev }); err != nil {
				t.Fatal(err)
			}

			checkCallTooLargeForCallee(t, roomy, proc)
			checkResultTooLarge(t, limited, bigProc)
			checkEventTooLarge(t, roomy, limited, topic, events, reported)
			if err := limited.Err(); err != nil {
				t.Fatalf("the limited client ended: %v", err)
			}
		})
	}
}

func checkCallTooLargeForCallee(t *testing.T, caller *client.Client, proc string) {
	t.Helper()
	_, err := await(t, caller.Call(ctxT(t), proc, protocol.List{oversizePayload}, nil))
	var we *client.Error
	if !errors.As(err, &we) || we.URI != client.URIPayloadSizeExceeded || !errors.Is(err, client.ErrMessageTooLarge) {
		t.Fatalf("big call: %v, want ERROR %s", err, client.URIPayloadSizeExceeded)
	}
	t.Logf("big call: %v", err)
	res, err := await(t, caller.Call(ctxT(t), proc, protocol.List{"small"}, nil))
	if err != nil || res.Args[0] != int64(5) {
		t.Fatalf("the next call: %v %v", res.Args, err)
	}
}

func checkResultTooLarge(t *testing.T, caller *client.Client, proc string) {
	t.Helper()
	_, err := await(t, caller.Call(ctxT(t), proc, nil, nil))
	var te *client.MessageTooLargeError
	if !errors.As(err, &te) || !errors.Is(err, client.ErrMessageTooLarge) || te.Type != protocol.TypeResult ||
		te.Procedure != proc || te.Limit != oversizeLimit || te.Size <= oversizeLimit {
		t.Fatalf("big result: %v", err)
	}
	t.Logf("big result: %v", err)
	if err := caller.Err(); err != nil {
		t.Fatalf("caller ended: %v", err)
	}
}

// checkEventTooLarge publishes a big event then a small one: the small
// one arrives, after the big one was counted as dropped and reported.
func checkEventTooLarge(t *testing.T, pub, sub *client.Client, topic string, events <-chan *client.Event, errs errorsTo) {
	t.Helper()
	checkEventTooLargeAt(t, pub, sub, topic, oversizePayload, events, errs)
}

// checkEventTooLargeAt is checkEventTooLarge with big the payload.
func checkEventTooLargeAt(t *testing.T, pub, sub *client.Client, topic, big string, events <-chan *client.Event, errs errorsTo) {
	t.Helper()
	before := sub.Stats()
	if _, err := pub.Publish(ctxT(t), topic, protocol.List{big}, nil, client.Acknowledge()); err != nil {
		t.Fatal(err)
	}
	if _, err := pub.Publish(ctxT(t), topic, protocol.List{"small"}, nil, client.Acknowledge()); err != nil {
		t.Fatal(err)
	}
	select {
	case ev := <-events:
		if ev.Args[0] != "small" {
			t.Fatalf("event %v", ev.Args)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the small event after the big one did not arrive")
	}
	// The loop counted the big event before it queued the small one.
	after := sub.Stats()
	if after.EventsDropped != before.EventsDropped+1 || after.EventsReceived < before.EventsReceived+1 {
		t.Fatalf("Stats: dropped %d -> %d, received %d -> %d", before.EventsDropped, after.EventsDropped,
			before.EventsReceived, after.EventsReceived)
	}
	if te := errs.next(t); te.Type != protocol.TypeEvent || te.Topic != topic || te.Size <= te.Limit {
		t.Fatalf("reported %v", te)
	} else {
		t.Logf("big event: %v", te)
	}
}

// The same over RawSocket, whose router must not send over our announced
// limit: a hostile router (scripted) sends raw frames anyway, in every
// serializer. Before, each ended the session as a protocol violation
// (rawsocket: message too large: the peer sent a message of … bytes, over
// the announced limit of 65536 bytes).
func TestOversizeMessagesOverRawSocket(t *testing.T) {
	for _, cd := range oversizeCodecs {
		t.Run(cd.Name(), func(t *testing.T) {
			errs := make(errorsTo, 4)
			c, r, raw := joinRawSocket(t, cd, oversizeLimit, client.WithErrorHandler(errs.handle))
			sendRaw := func(m protocol.Message) {
				t.Helper()
				b, err := cd.Encode(m)
				if err != nil {
					t.Fatal(err)
				}
				if err := raw.SendRaw(ctxT(t), b); err != nil {
					t.Fatal(err)
				}
			}
			big := protocol.Payload{Args: protocol.List{oversizePayload}}

			// INVOCATION: refused with payload_size_exceeded; the next runs.
			clienttest.Register(t, c, r, "com.p", 7, func(context.Context, *client.Invocation) (client.Result, error) {
				return client.Result{Args: protocol.List{"done"}}, nil
			})
			sendRaw(&protocol.Invocation{Request: 11, Registration: 7, Details: protocol.Dict{}, Payload: big})
			e := scripted.Expect[*protocol.Error](r)
			if e.Request != 11 || e.RequestType != protocol.TypeInvocation || e.Error != client.URIPayloadSizeExceeded {
				t.Fatalf("answer to the big invocation: %s", scripted.Describe(e))
			}
			r.Send(&protocol.Invocation{Request: 12, Registration: 7, Details: protocol.Dict{}})
			if y := scripted.Expect[*protocol.Yield](r); y.Request != 12 {
				t.Fatalf("answer to the next invocation: %s", scripted.Describe(y))
			}

			// RESULT and ERROR: the call fails; the next call completes.
			for _, answer := range []func(req protocol.ID) protocol.Message{
				func(req protocol.ID) protocol.Message {
					return &protocol.Result{Request: req, Details: protocol.Dict{}, Payload: big}
				},
				func(req protocol.ID) protocol.Message {
					return &protocol.Error{RequestType: protocol.TypeCall, Request: req, Details: protocol.Dict{}, Error: "com.err", Payload: big}
				},
			} {
				call := c.Call(ctxT(t), "com.q", nil, nil)
				m := scripted.Expect[*protocol.Call](r)
				sendRaw(answer(m.Request))
				_, err := await(t, call)
				var te *client.MessageTooLargeError
				if !errors.As(err, &te) || !errors.Is(err, client.ErrMessageTooLarge) || te.Request != m.Request || te.Procedure != "com.q" {
					t.Fatalf("call answered over the limit: %v", err)
				}
				t.Logf("call answered over the limit: %v", err)
				call = c.Call(ctxT(t), "com.q", nil, nil)
				m = scripted.Expect[*protocol.Call](r)
				r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
				if _, err := await(t, call); err != nil {
					t.Fatalf("the next call: %v", err)
				}
			}

			// EVENT: dropped, counted and reported; the next arrives.
			events := make(chan *client.Event, 2)
			clienttest.Subscribe(t, c, r, "com.t", 5, func(_ context.Context, ev *client.Event) { events <- ev })
			sendRaw(&protocol.Event{Subscription: 5, Publication: 100, Details: protocol.Dict{}, Payload: big})
			r.Send(&protocol.Event{Subscription: 5, Publication: 101, Details: protocol.Dict{}})
			select {
			case ev := <-events:
				if ev.Publication != 101 {
					t.Fatalf("event %d, want 101", ev.Publication)
				}
			case <-time.After(5 * time.Second):
				t.Fatal("the event after the big one did not arrive")
			}
			if s := c.Stats(); s.EventsDropped != 1 || s.EventsReceived != 2 {
				t.Fatalf("Stats: %d dropped, %d received; want 1, 2", s.EventsDropped, s.EventsReceived)
			}
			if te := errs.next(t); te.Publication != 100 || te.Topic != "com.t" {
				t.Fatalf("reported %v", te)
			}

			// A session-level message over the limit ends the session.
			sendRaw(&protocol.Goodbye{Details: protocol.Dict{"message": oversizePayload}, Reason: "wamp.close.system_shutdown"})
			expectViolationAbort(t, c, r)
			if err := c.Err(); !errors.Is(err, client.ErrMessageTooLarge) || !errors.Is(err, client.ErrProtocolViolation) {
				t.Fatalf("session end: %v", err)
			}
		})
	}
}

// A WELCOME over the read limit ends the join, over both transports and
// in every serializer, with an error matching ErrMessageTooLarge. Before,
// it did too (wsconn: message too large; rawsocket: over the announced
// limit): the rule keeps it so.
func TestOversizeWelcomeEndsJoin(t *testing.T) {
	welcome := &protocol.Welcome{Session: 1, Details: protocol.Dict{
		"roles": protocol.Dict{"broker": protocol.Dict{}}, "x": oversizePayload}}
	for _, cd := range oversizeCodecs {
		t.Run("rawsocket/"+cd.Name(), func(t *testing.T) {
			cn, sn := net.Pipe()
			served := make(chan struct{})
			go func() {
				defer close(served)
				s, err := rawsocket.Server(ctxT(t), sn, &rawsocket.ServerOptions{Codecs: []codec.Codec{cd}})
				if err != nil {
					return
				}
				defer s.Close()
				<-s.Receive() // HELLO
				b, _ := cd.Encode(welcome)
				s.SendRaw(ctxT(t), b)
				for range s.Receive() {
				}
			}()
			ct, err := rawsocket.Client(ctxT(t), cn, &rawsocket.Options{Codecs: []codec.Codec{cd}, ReadLimit: oversizeLimit})
			if err != nil {
				t.Fatal(err)
			}
			checkJoinTooLarge(t, ct)
			<-served
		})
		t.Run("websocket/"+cd.Name(), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s, err := wsconn.Accept(w, r, &wsconn.AcceptOptions{Codecs: []codec.Codec{cd}})
				if err != nil {
					return
				}
				defer s.Close()
				<-s.Receive() // HELLO
				s.Send(ctxT(t), welcome)
				for range s.Receive() {
				}
			}))
			t.Cleanup(srv.Close)
			ct, err := wsconn.Dial(ctxT(t), "ws"+strings.TrimPrefix(srv.URL, "http"),
				&wsconn.Options{Codecs: []codec.Codec{cd}, ReadLimit: oversizeLimit})
			if err != nil {
				t.Fatal(err)
			}
			checkJoinTooLarge(t, ct)
		})
	}
}

func checkJoinTooLarge(t *testing.T, ct protocol.Transport) {
	t.Helper()
	c, err := client.Connect(ctxT(t), ct, "realm1")
	if err == nil {
		c.Close(ctxT(t))
		t.Fatal("joined on a WELCOME over the read limit")
	}
	ct.Close()
	if !errors.Is(err, client.ErrMessageTooLarge) || !errors.Is(err, client.ErrProtocolViolation) {
		t.Fatalf("join: %v", err)
	}
	t.Logf("join: %v", err)
}

// A RESULT over the limit to a call that takes progressive results fails
// the call, sends CANCEL (killnowait) and discards the rest of the call's
// results; an input chunk over the limit to a running progressive
// invocation ends it with ERROR payload_size_exceeded. The session stays.
func TestOversizeProgressive(t *testing.T) {
	cd := codec.JSON()
	c, r, raw := joinRawSocket(t, cd, oversizeLimit)
	sendRaw := func(m protocol.Message) {
		t.Helper()
		b, err := cd.Encode(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := raw.SendRaw(ctxT(t), b); err != nil {
			t.Fatal(err)
		}
	}
	big := protocol.Payload{Args: protocol.List{oversizePayload}}

	call := c.Call(ctxT(t), "com.q", nil, nil, client.ReceiveProgress())
	m := scripted.Expect[*protocol.Call](r)
	sendRaw(&protocol.Result{Request: m.Request, Details: protocol.Dict{"progress": true}, Payload: big})
	if _, err := await(t, call); !errors.Is(err, client.ErrMessageTooLarge) {
		t.Fatalf("progressive call: %v", err)
	}
	if cancel := scripted.Expect[*protocol.Cancel](r); cancel.Request != m.Request || cancel.Options["mode"] != "killnowait" {
		t.Fatalf("CANCEL %s", scripted.Describe(cancel))
	}
	r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{"progress": true}})
	r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})

	ended := make(chan error, 1)
	clienttest.Register(t, c, r, "com.in", 7, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		for range inv.Inputs() {
		}
		<-ctx.Done()
		ended <- context.Cause(ctx)
		return client.Result{}, ctx.Err()
	})
	r.Send(&protocol.Invocation{Request: 21, Registration: 7, Details: protocol.Dict{"progress": true}})
	sendRaw(&protocol.Invocation{Request: 21, Registration: 7, Details: protocol.Dict{"progress": true}, Payload: big})
	if e := scripted.Expect[*protocol.Error](r); e.Request != 21 || e.Error != client.URIPayloadSizeExceeded {
		t.Fatalf("answer to the big input chunk: %s", scripted.Describe(e))
	}
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("the invocation's context did not end")
	}

	next := c.Call(ctxT(t), "com.q", nil, nil)
	m = scripted.Expect[*protocol.Call](r)
	r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
	if _, err := await(t, next); err != nil {
		t.Fatalf("the next call: %v", err)
	}
}

// A codec whose own size limit is below the transport's (WithSerializers
// with codec.Limits.MaxMessageSize, no WithReadLimit) follows the same
// rule: an EVENT over it is dropped and counted, and the session goes on.
// Before, the codec's refusal ended the session as a protocol violation.
func TestOversizeOverCodecLimit(t *testing.T) {
	small := codec.NewJSON(codec.Limits{MaxMessageSize: 4 << 10})
	c, r, raw := joinRawSocket(t, small, 0)
	events := make(chan *client.Event, 2)
	clienttest.Subscribe(t, c, r, "com.t", 5, func(_ context.Context, ev *client.Event) { events <- ev })
	if err := raw.SendRaw(ctxT(t), []byte(`[36,5,100,{},["`+strings.Repeat("x", 5<<10)+`"]]`)); err != nil {
		t.Fatal(err)
	}
	r.Send(&protocol.Event{Subscription: 5, Publication: 101, Details: protocol.Dict{}})
	select {
	case ev := <-events:
		if ev.Publication != 101 {
			t.Fatalf("event %d, want 101", ev.Publication)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the event after the big one did not arrive")
	}
	if s := c.Stats(); s.EventsDropped != 1 {
		t.Fatalf("EventsDropped %d, want 1", s.EventsDropped)
	}
}

// A message within the read limit that would decode to more memory than
// the codec allows (codec.Limits.MaxDecodedSize: a hostile router's list
// of empty dicts) costs its operation only, as one over the read limit
// does: the EVENT is dropped and counted, a RESULT fails its call, and the
// session goes on. Over RawSocket and in every serializer.
func TestOversizeDecodedSize(t *testing.T) {
	for _, mk := range []func(codec.Limits) codec.Codec{codec.NewJSON, codec.NewMsgPack, codec.NewCBOR} {
		cd := mk(codec.Limits{MaxDecodedSize: 64 << 10})
		t.Run(cd.Name(), func(t *testing.T) {
			c, r, raw := joinRawSocket(t, cd, 0)
			events := make(chan *client.Event, 2)
			clienttest.Subscribe(t, c, r, "com.t", 5, func(_ context.Context, ev *client.Event) { events <- ev })
			dicts := make(protocol.List, 4000) // ~450 bytes each decoded, 2-3 encoded
			for i := range dicts {
				dicts[i] = protocol.Dict{}
			}
			big, err := cd.Encode(&protocol.Event{Subscription: 5, Publication: 100, Details: protocol.Dict{},
				Payload: protocol.Payload{Args: dicts}})
			if err != nil {
				t.Fatal(err)
			}
			if err := raw.SendRaw(ctxT(t), big); err != nil {
				t.Fatal(err)
			}
			r.Send(&protocol.Event{Subscription: 5, Publication: 101, Details: protocol.Dict{}})
			select {
			case ev := <-events:
				if ev.Publication != 101 {
					t.Fatalf("event %d, want 101", ev.Publication)
				}
			case <-time.After(5 * time.Second):
				t.Fatalf("the event after the big one did not arrive (session: %v)", c.Err())
			}
			if s := c.Stats(); s.EventsDropped != 1 {
				t.Fatalf("EventsDropped %d, want 1", s.EventsDropped)
			}
			call := c.Call(ctxT(t), "com.p", nil, nil)
			m := scripted.Expect[*protocol.Call](r)
			big, err = cd.Encode(&protocol.Result{Request: m.Request, Details: protocol.Dict{}, Payload: protocol.Payload{Args: dicts}})
			if err != nil {
				t.Fatal(err)
			}
			if err := raw.SendRaw(ctxT(t), big); err != nil {
				t.Fatal(err)
			}
			_, err = await(t, call)
			var te *client.MessageTooLargeError
			if !errors.Is(err, client.ErrMessageTooLarge) || !errors.As(err, &te) || !te.Decoded ||
				!strings.Contains(err.Error(), "MaxDecodedSize") {
				t.Fatalf("call = %v, want its RESULT refused for its decoded size", err)
			}
			next := c.Call(ctxT(t), "com.q", nil, nil)
			m = scripted.Expect[*protocol.Call](r)
			r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
			if _, err := await(t, next); err != nil {
				t.Fatalf("the session did not go on: %v", err)
			}
		})
	}
}
