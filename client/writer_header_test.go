package client_test

// A request the connection cannot carry is refused in the caller's
// goroutine, before the session gives it a request id: the caller gets an
// *ArgumentError (ErrInvalidArgument) naming what is wrong, and the next
// request carries the next id, with no gap on the wire (session-scope ids
// must increase by one). One case per way a message's header could fail
// to encode, or be refused by the connection, after its id was given.

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/internal/transport/memconn"
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
)

// refusal is one request the session must refuse before giving it an id.
type refusal struct {
	name string
	op   func(ctx context.Context, c *client.Client) error
	arg  string // the ArgumentError's Arg
	is   error  // also matched by the error, when set
}

func subscribeWith(opts ...client.SubscribeOption) func(context.Context, *client.Client) error {
	return func(ctx context.Context, c *client.Client) error {
		_, err := c.Subscribe(ctx, "com.t", nopEvent, opts...)
		return err
	}
}

func registerWith(opts ...client.RegisterOption) func(context.Context, *client.Client) error {
	return func(ctx context.Context, c *client.Client) error {
		_, err := c.Register(ctx, "com.p", nopHandler, opts...)
		return err
	}
}

func callWith(args protocol.List, opts ...client.CallOption) func(context.Context, *client.Client) error {
	return func(ctx context.Context, c *client.Client) error {
		_, err := c.Call(ctx, "com.p", args, nil, opts...).Await(ctx)
		return err
	}
}

func publishWith(args protocol.List, opts ...client.PublishOption) func(context.Context, *client.Client) error {
	return func(ctx context.Context, c *client.Client) error {
		_, err := c.Publish(ctx, "com.t", args, nil, opts...)
		return err
	}
}

// nested is "x" inside n lists.
func nested(n int) any {
	var v any = "x"
	for range n {
		v = protocol.List{v}
	}
	return v
}

// checkRefused fails the test unless err is the *ArgumentError of a
// refusal.
func checkRefused(t *testing.T, rc refusal, err error) {
	t.Helper()
	var ae *client.ArgumentError
	if !errors.Is(err, client.ErrInvalidArgument) || !errors.As(err, &ae) {
		t.Fatalf("%v, want an *ArgumentError", err)
	}
	if ae.Arg != rc.arg {
		t.Errorf("Arg %q, want %q (%v)", ae.Arg, rc.arg, err)
	}
	if rc.is != nil && !errors.Is(err, rc.is) {
		t.Errorf("%v does not match %v", err, rc.is)
	}
	if errors.Is(err, client.ErrProtocolViolation) || errors.Is(err, client.ErrClosed) {
		t.Errorf("%v matches a session error", err)
	}
}

// publishExpect publishes to com.ok and checks that the router gets it,
// next, with request id want.
func publishExpect(t *testing.T, c *client.Client, r *scripted.Router, want protocol.ID) {
	t.Helper()
	if _, err := c.Publish(ctxT(t), "com.ok", nil, nil); err != nil {
		t.Fatalf("publish: %v", err)
	}
	if p := scripted.Expect[*protocol.Publish](r); p.Topic != "com.ok" || p.Request != want {
		t.Fatalf("next message %s, want PUBLISH com.ok with request id %d", scripted.Describe(p), want)
	}
}

// expectNoGap runs each refusal between two publications on a fresh
// session, and checks that the second publication has the id after the
// first's.
func expectNoGap(t *testing.T, join func(t *testing.T) (*client.Client, *scripted.Router), cases []refusal) {
	for _, rc := range cases {
		t.Run(rc.name, func(t *testing.T) {
			c, r := join(t)
			publishExpect(t, c, r, 1)
			checkRefused(t, rc, rc.op(ctxT(t), c))
			publishExpect(t, c, r, 2)
		})
	}
}

func TestUnencodableOptionLeavesNoIDGap(t *testing.T) {
	raw := func(k string, v any) client.AnyOption { return client.RawOptions(protocol.Dict{k: v}) }
	cases := []refusal{
		{"subscribe raw option of a Go type no codec carries", subscribeWith(raw("x", struct{ C chan int }{})), `option "x"`, codec.ErrUnsupportedValue},
		{"register raw option of a Go type no codec carries", registerWith(raw("x", make(chan int))), `option "x"`, codec.ErrUnsupportedValue},
		{"call raw option of a Go type no codec carries", callWith(nil, raw("x", func() {})), `option "x"`, codec.ErrUnsupportedValue},
		{"publish raw option of a Go type no codec carries", publishWith(nil, raw("x", complex(1, 2))), `option "x"`, codec.ErrUnsupportedValue},
		{"subscribe raw option NaN over JSON", subscribeWith(raw("x", math.NaN())), `option "x"`, codec.ErrUnsupportedValue},
		{"register raw option key not UTF-8", registerWith(raw("k\xff", 1)), `option "k\xff"`, codec.ErrUnsupportedValue},
		{"call raw option value not UTF-8", callWith(nil, raw("x", protocol.List{"ok", "\xff"})), `option "x"`, codec.ErrUnsupportedValue},
		{"subscribe raw option nested too deep", subscribeWith(raw("x", nested(70))), `option "x"`, codec.ErrTooDeep},
		{"register raw option one level too deep", registerWith(raw("x", nested(63))), `option "x"`, codec.ErrTooDeep},
		{"call raw option one level too deep", callWith(nil, raw("x", nested(63))), `option "x"`, codec.ErrTooDeep},
		{"call rkey not UTF-8", callWith(nil, client.ResourceKey("\xff")), `option "rkey"`, codec.ErrUnsupportedValue},
		{"publish rkey not UTF-8", publishWith(nil, client.ResourceKey("\xfe")), `option "rkey"`, codec.ErrUnsupportedValue},
		{"publish exclude_authid not UTF-8", publishWith(nil, client.ExcludeAuthID("alice", "\xff")), `option "exclude_authid"`, codec.ErrUnsupportedValue},
		{"publish exclude_authrole not UTF-8", publishWith(nil, client.ExcludeAuthRole("\xff")), `option "exclude_authrole"`, codec.ErrUnsupportedValue},
		{"publish eligible_authid not UTF-8", publishWith(nil, client.EligibleAuthID("\xff")), `option "eligible_authid"`, codec.ErrUnsupportedValue},
		{"publish eligible_authrole not UTF-8", publishWith(nil, client.EligibleAuthRole("\xff")), `option "eligible_authrole"`, codec.ErrUnsupportedValue},
		{"subscribe nodekey not UTF-8", subscribeWith(client.NodeKey("\xff")), `option "nodekey"`, codec.ErrUnsupportedValue},
	}
	expectNoGap(t, func(t *testing.T) (*client.Client, *scripted.Router) { return clienttest.Joined(t) }, cases)
}

// The depth limit is the codec's: a session whose codec allows less
// refuses less deep options (HELLO needs five levels).
func TestOptionDepthFollowsTheSessionsCodec(t *testing.T) {
	join := func(t *testing.T) (*client.Client, *scripted.Router) {
		cd := codec.NewJSON(codec.Limits{MaxDepth: 5})
		c, j := clienttest.JoinedWith(t, clienttest.Setup{Codec: cd}, client.WithSerializers(cd))
		return c, j.Router
	}
	expectNoGap(t, join, []refusal{
		{"subscribe", subscribeWith(client.RawOptions(protocol.Dict{"x": nested(4)})), `option "x"`, codec.ErrTooDeep},
	})
	// Right at the limit it goes out.
	c, r := join(t)
	go c.Call(ctxT(t), "com.p", nil, nil, client.RawOptions(protocol.Dict{"x": nested(3)}))
	if m := scripted.Expect[*protocol.Call](r); m.Request != 1 {
		t.Fatalf("CALL %s", scripted.Describe(m))
	}
	c2, r2 := clienttest.Joined(t)
	go c2.Call(ctxT(t), "com.p", nil, nil, client.RawOptions(protocol.Dict{"x": nested(62)}))
	if m := scripted.Expect[*protocol.Call](r2); m.Request != 1 {
		t.Fatalf("CALL %s", scripted.Describe(m))
	}
}

// rawSocketLimit is the message size limit the router announces in the
// RawSocket tests: room for HELLO, not much more.
const rawSocketLimit = 4096

// joinLimited joins a client over RawSocket (JSON) to a scripted router
// that announces rawSocketLimit; both end with the test.
func joinLimited(t *testing.T, opts ...client.Option) (*client.Client, *scripted.Router) {
	t.Helper()
	cn, sn := net.Pipe()
	type server struct {
		c   *rawsocket.Conn
		err error
	}
	sc := make(chan server, 1)
	cds := []codec.Codec{codec.JSON()}
	go func() {
		c, err := rawsocket.Server(context.Background(), sn, &rawsocket.ServerOptions{Codecs: cds, ReadLimit: rawSocketLimit})
		sc <- server{c, err}
	}()
	ct, err := rawsocket.Client(ctxT(t), cn, &rawsocket.Options{Codecs: cds})
	s := <-sc
	if err != nil || s.err != nil {
		if s.c != nil {
			s.c.Close()
		}
		t.Fatalf("handshake: client %v, server %v", err, s.err)
	}
	j := clienttest.StartOn(t, ct, s.c, nil, opts...)
	c, _ := j.Welcome()
	return c, j.Router
}

func TestMessageOverTheConnectionsLimitLeavesNoIDGap(t *testing.T) {
	big := strings.Repeat("a", rawSocketLimit)
	many := make([]protocol.ID, rawSocketLimit/16)
	for i := range many {
		many[i] = protocol.MaxID - protocol.ID(i)
	}
	longURI := "com." + strings.Repeat("x", rawSocketLimit)
	cases := []refusal{
		{"call with large options, no payload", callWith(nil, client.RawOptions(protocol.Dict{"x": big})), "message", codec.ErrMessageTooLarge},
		{"publish with a long exclude list", publishWith(nil, client.Exclude(many...)), "message", codec.ErrMessageTooLarge},
		{"subscribe with large options", subscribeWith(client.NodeKey(big)), "message", codec.ErrMessageTooLarge},
		{"register with a long procedure", func(ctx context.Context, c *client.Client) error {
			_, err := c.Register(ctx, longURI, nopHandler)
			return err
		}, "message", codec.ErrMessageTooLarge},
		{"call whose header tips a payload over", callWith(protocol.List{big[:rawSocketLimit-24]}), "message", codec.ErrMessageTooLarge},
		{"publish with a large payload", publishWith(protocol.List{big}), "message", codec.ErrMessageTooLarge},
	}
	expectNoGap(t, func(t *testing.T) (*client.Client, *scripted.Router) { return joinLimited(t) }, cases)
}

// A message as long as the limit allows goes out: the check measures it
// exactly once its bound exceeds the limit.
func TestMessageAtTheConnectionsLimitIsSent(t *testing.T) {
	c, r := joinLimited(t)
	// PUBLISH with the longest request id: [16,9007199254740992,{},"com.t",["…"]]
	fixed := len(`[16,9007199254740992,{},"com.t",[""]]`)
	arg := strings.Repeat("a", rawSocketLimit-fixed)
	if _, err := c.Publish(ctxT(t), "com.t", protocol.List{arg}, nil); err != nil {
		t.Fatalf("publish at the limit: %v", err)
	}
	if p := scripted.Expect[*protocol.Publish](r); p.Request != 1 || p.Args[0] != arg {
		t.Fatalf("PUBLISH %d with %d bytes", p.Request, len(p.Args[0].(string)))
	}
	_, err := c.Publish(ctxT(t), "com.t", protocol.List{arg + "a"}, nil)
	checkRefused(t, refusal{arg: "message", is: codec.ErrMessageTooLarge}, err)
	publishExpect(t, c, r, 2)
}

// RawOptions takes a snapshot: changing the dict, or a list in it, after
// the option was made does not reach the message, and cannot make the
// writer fail.
func TestRawOptionsSnapshot(t *testing.T) {
	c, r := clienttest.Joined(t)
	l := protocol.List{int64(1), "two"}
	d := protocol.Dict{"l": l, "n": []string{"a"}}
	opt := client.RawOptions(d)
	l[1] = make(chan int)
	d["added"] = struct{}{}
	go c.Call(ctxT(t), "com.p", nil, nil, opt)
	m := scripted.Expect[*protocol.Call](r)
	scripted.Equal(t, "CALL.Options", m.Options, protocol.Dict{"l": protocol.List{int64(1), "two"}, "n": protocol.List{"a"}})
}

// A handler's error whose URI is not a URI is answered as a runtime error
// naming it, instead of an ERROR the writer cannot encode (which would
// leave the caller without an answer).
func TestHandlerErrorWithInvalidURI(t *testing.T) {
	c, r := clienttest.Joined(t)
	clienttest.Register(t, c, r, "com.p", 7, func(context.Context, *client.Invocation) (client.Result, error) {
		return client.Result{}, client.NewError("not a uri", protocol.List{"detail"}, nil)
	})
	r.Send(&protocol.Invocation{Request: 1, Registration: 7, Details: protocol.Dict{}})
	e := scripted.Expect[*protocol.Error](r)
	if e.Error != client.URIRuntimeError || len(e.Args) != 1 || e.Args[0] != `invalid error URI "not a uri"` {
		t.Fatalf("ERROR %s", scripted.Describe(e))
	}
}

// Answers over the connection's limit: a final result is replaced by a
// runtime error the caller gets; a progressive result or input chunk is
// refused to its sender, and the call goes on.
func TestAnswersOverTheConnectionsLimit(t *testing.T) {
	big := strings.Repeat("b", rawSocketLimit)
	c, r := joinLimited(t)
	progress := make(chan error, 1)
	clienttest.Register(t, c, r, "com.p", 7, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		progress <- inv.SendProgress(ctx, protocol.List{big}, nil)
		return client.Result{Args: protocol.List{big}}, nil
	})
	r.Send(&protocol.Invocation{Request: 1, Registration: 7, Details: protocol.Dict{"receive_progress": true}})
	checkRefused(t, refusal{arg: "message", is: codec.ErrMessageTooLarge}, <-progress)
	e := scripted.Expect[*protocol.Error](r)
	if e.Request != 1 || e.Error != client.URIRuntimeError || !strings.Contains(fmt.Sprint(e.Args), "over the router's limit") {
		t.Fatalf("ERROR %s", scripted.Describe(e))
	}

	call := c.Call(ctxT(t), "com.q", nil, nil, client.ProgressiveInputs())
	m := scripted.Expect[*protocol.Call](r)
	checkRefused(t, refusal{arg: "message", is: codec.ErrMessageTooLarge}, call.SendInput(ctxT(t), protocol.List{big}, nil))
	if err := call.FinishInput(ctxT(t), protocol.List{"last"}, nil); err != nil {
		t.Fatalf("FinishInput: %v", err)
	}
	if in := scripted.Expect[*protocol.Call](r); in.Request != m.Request || in.Args[0] != "last" {
		t.Fatalf("input chunk %s", scripted.Describe(in))
	}
	r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
	if _, err := await(t, call); err != nil {
		t.Fatalf("call: %v", err)
	}
	publishExpect(t, c, r, m.Request+1)
}

// A request checked for one connection but sent on the next, after a
// reconnect to a router with another serializer, is checked again before
// it gets an id: held calls and restored subscriptions that the new
// serializer cannot carry fail alone, and the ids on the new connection
// run 1, 2, … with no gap.
func TestRequestsCheckedAgainAfterReconnect(t *testing.T) {
	routers := make(chan protocol.Transport, 1)
	dial := func(ctx context.Context, url string) (protocol.Transport, error) {
		ct, rt := memconn.Pipe("json")
		routers <- rt
		return ct, nil
	}
	errs := make(chan error, 8)
	states := make(chan client.StateChange, 16)
	ct, rt := memconn.Pipe("msgpack")
	j := clienttest.StartOn(t, ct, rt, nil,
		client.WithSerializers(codec.MsgPack(), codec.JSON()),
		client.WithErrorHandler(func(err error) { errs <- err }),
		client.WithReconnect(client.Reconnect{URLs: []string{"mem://json"}, Dial: dial,
			OnStateChange: func(sc client.StateChange) { states <- sc }}))
	c, _ := j.Welcome()
	r1 := j.Router
	inf := client.RawOptions(protocol.Dict{"x": math.Inf(1)}) // MessagePack carries it, JSON does not
	nanSub, _ := clienttest.Subscribe(t, c, r1, "com.inf", 10, nopEvent, inf)
	clienttest.Register(t, c, r1, "com.p", 20, nopHandler)

	r1.Transport().Close()
	for sc := range states {
		if sc.State == client.StateLeft {
			break
		}
	}
	// Checked for MessagePack, held until the JSON session.
	nanCall := c.Call(ctxT(t), "com.nan", protocol.List{math.NaN()}, nil)
	infCall := c.Call(ctxT(t), "com.ok", nil, nil, inf)
	okCall := c.Call(ctxT(t), "com.ok", nil, nil)

	r2 := scripted.New(t, <-routers)
	t.Cleanup(func() { r2.Transport().Close() })
	r2.Welcome(2, scripted.Roles())
	reg := scripted.Expect[*protocol.Register](r2)
	if reg.Request != 1 || reg.Procedure != "com.p" {
		t.Fatalf("first message of the new session: %s", scripted.Describe(reg))
	}
	r2.Send(&protocol.Registered{Request: reg.Request, Registration: 21})
	call := scripted.Expect[*protocol.Call](r2)
	if call.Request != 2 || call.Procedure != "com.ok" || len(call.Options) != 0 {
		t.Fatalf("second message of the new session: %s", scripted.Describe(call))
	}
	r2.Send(&protocol.Result{Request: call.Request, Details: protocol.Dict{}})
	if _, err := await(t, okCall); err != nil {
		t.Fatalf("held call: %v", err)
	}
	for name, call := range map[string]*client.Call{"NaN argument": nanCall, "Inf option": infCall} {
		_, err := await(t, call)
		arg := "payload"
		if name == "Inf option" {
			arg = `option "x"`
		}
		checkRefused(t, refusal{arg: arg, is: codec.ErrUnsupportedValue}, err)
	}
	select {
	case <-nanSub.Done():
	case <-ctxT(t).Done():
		t.Fatal("the subscription JSON cannot restore did not end")
	}
	if err := <-errs; !errors.Is(err, client.ErrInvalidArgument) || !strings.Contains(err.Error(), "com.inf") {
		t.Fatalf("reported: %v", err)
	}
	publishExpect(t, c, r2, 3)
}

// A call held while reconnecting, checked for a connection without a size
// limit, is checked again for the new connection's: over it, the call
// fails alone, and the next request takes id 1.
func TestHeldCallOverTheNewConnectionsLimit(t *testing.T) {
	routers := make(chan *rawsocket.Conn, 1)
	dial := func(ctx context.Context, url string) (protocol.Transport, error) {
		cn, sn := net.Pipe()
		cds := []codec.Codec{codec.JSON()}
		go func() {
			s, err := rawsocket.Server(context.Background(), sn, &rawsocket.ServerOptions{Codecs: cds, ReadLimit: rawSocketLimit})
			if err != nil {
				t.Errorf("server handshake: %v", err)
				return
			}
			routers <- s
		}()
		return rawsocket.Client(ctx, cn, &rawsocket.Options{Codecs: cds})
	}
	states := make(chan client.StateChange, 16)
	j := clienttest.Start(t, client.WithReconnect(client.Reconnect{URLs: []string{"rs://limited"}, Dial: dial,
		OnStateChange: func(sc client.StateChange) { states <- sc }}))
	c, _ := j.Welcome()
	j.Router.Transport().Close()
	for sc := range states {
		if sc.State == client.StateLeft {
			break
		}
	}
	big := c.Call(ctxT(t), "com.big", protocol.List{strings.Repeat("b", rawSocketLimit)}, nil)
	small := c.Call(ctxT(t), "com.small", nil, nil)

	rt := <-routers
	r2 := scripted.New(t, rt)
	t.Cleanup(func() { rt.Close() })
	r2.Welcome(2, scripted.Roles())
	m := scripted.Expect[*protocol.Call](r2)
	if m.Request != 1 || m.Procedure != "com.small" {
		t.Fatalf("first message of the new session: %s", scripted.Describe(m))
	}
	_, err := await(t, big)
	checkRefused(t, refusal{arg: "message", is: codec.ErrMessageTooLarge}, err)
	r2.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
	if _, err := await(t, small); err != nil {
		t.Fatalf("held call: %v", err)
	}
}
