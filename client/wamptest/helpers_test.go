package wamptest_test

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/protocol"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const waitTimeout = 5 * time.Second

// newRouter returns a router closed at the end of the test.
func newRouter(t *testing.T, opts ...wamptest.Option) *wamptest.Router {
	t.Helper()
	r := wamptest.NewRouter(opts...)
	t.Cleanup(r.Close)
	return r
}

// rawRouter is a router whose pipes pass messages unserialized, so tests
// can send messages a codec would refuse to encode.
func rawRouter(t *testing.T, opts ...wamptest.Option) *wamptest.Router {
	return newRouter(t, append([]wamptest.Option{wamptest.WithPipeCodec(nil)}, opts...)...)
}

// peer is a client driven message by message by the test.
type peer struct {
	t       *testing.T
	tr      protocol.Transport
	id      protocol.ID // session id from WELCOME
	welcome *protocol.Welcome
	req     protocol.ID // last request id sent
}

func features(names ...string) protocol.Dict {
	f := protocol.Dict{}
	for _, n := range names {
		f[n] = true
	}
	return protocol.Dict{"features": f}
}

// allRoles announces the four client roles with every feature the router
// implements.
func allRoles() protocol.Dict {
	return protocol.Dict{
		"caller": features(protocol.FeatureProgressiveCallResults, protocol.FeatureProgressiveCallInvocations,
			protocol.FeatureCallCanceling, protocol.FeatureCallTimeout, protocol.FeatureCallerIdentification),
		"callee": features(protocol.FeatureProgressiveCallResults, protocol.FeatureProgressiveCallInvocations,
			protocol.FeatureCallCanceling, protocol.FeatureCallTimeout, protocol.FeatureCallerIdentification),
		"publisher": features(protocol.FeaturePublisherExclusion, protocol.FeaturePublisherIdentification,
			protocol.FeatureSubscriberBlackwhiteListing),
		"subscriber": features(protocol.FeaturePublisherIdentification),
	}
}

// connect opens a pipe to r without joining.
func connect(t *testing.T, r *wamptest.Router) *peer {
	t.Helper()
	p := &peer{t: t, tr: r.Pipe()}
	t.Cleanup(func() { p.tr.Close() })
	return p
}

// join opens a pipe to r and joins realm with HELLO details (roles default
// to allRoles).
func join(t *testing.T, r *wamptest.Router, realm string, details protocol.Dict) *peer {
	t.Helper()
	p := connect(t, r)
	d := protocol.Dict{"roles": allRoles()}
	for k, v := range details {
		d[k] = v
	}
	p.send(&protocol.Hello{Realm: realm, Details: d})
	p.welcome = expect[*protocol.Welcome](p)
	p.id = p.welcome.Session
	return p
}

func (p *peer) send(m protocol.Message) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	if err := p.tr.Send(ctx, m); err != nil {
		p.t.Fatalf("send %s: %v", m.Type(), err)
	}
}

// next returns the next request id in the session's sequence.
func (p *peer) next() protocol.ID {
	p.req++
	return p.req
}

func (p *peer) recv() protocol.Message {
	p.t.Helper()
	select {
	case m, ok := <-p.tr.Receive():
		if !ok {
			p.t.Fatalf("connection ended while waiting for a message: %v", p.tr.Err())
		}
		return m
	case <-time.After(waitTimeout):
		p.t.Fatalf("no message within %v", waitTimeout)
	}
	return nil
}

// expect returns the next message, failing unless it is an M.
func expect[M protocol.Message](p *peer) M {
	p.t.Helper()
	m := p.recv()
	got, ok := m.(M)
	if !ok {
		var want M
		p.t.Fatalf("got %s %+v, want %T", m.Type(), m, want)
	}
	return got
}

// expectError returns the next message, failing unless it is an ERROR for
// a request of type rt and id req with the given URI.
func (p *peer) expectError(rt protocol.MessageType, req protocol.ID, uri protocol.URI) *protocol.Error {
	p.t.Helper()
	e := expect[*protocol.Error](p)
	if e.RequestType != rt || e.Request != req || e.Error != uri {
		p.t.Fatalf("got ERROR %s %d %s %v, want %s %d %s", e.RequestType, e.Request, e.Error, e.Args, rt, req, uri)
	}
	return e
}

// expectAbort waits for ABORT with the given reason, then for the end of
// the connection.
func (p *peer) expectAbort(reason protocol.URI) {
	p.t.Helper()
	a := expect[*protocol.Abort](p)
	if a.Reason != reason {
		p.t.Fatalf("ABORT reason %q (%v), want %q", a.Reason, a.Details, reason)
	}
	p.expectEnd()
}

// expectEnd waits for the router to close the connection, failing on any
// message that arrives first.
func (p *peer) expectEnd() {
	p.t.Helper()
	select {
	case m, ok := <-p.tr.Receive():
		if ok {
			p.t.Fatalf("got %s %+v, want the connection to end", m.Type(), m)
		}
	case <-time.After(waitTimeout):
		p.t.Fatalf("connection still open after %v", waitTimeout)
	}
}

// barrier makes a round trip to the router (a wamp.session.count call) and
// fails if any other message arrives before its result: everything the
// router queued for p before handling the call has then been seen.
func (p *peer) barrier() {
	p.t.Helper()
	req := p.next()
	p.send(&protocol.Call{Request: req, Options: protocol.Dict{}, Procedure: "wamp.session.count"})
	res := expect[*protocol.Result](p)
	if res.Request != req {
		p.t.Fatalf("RESULT for %d, want the barrier's %d", res.Request, req)
	}
}

func (p *peer) register(proc string, opts protocol.Dict) protocol.ID {
	p.t.Helper()
	if opts == nil {
		opts = protocol.Dict{}
	}
	req := p.next()
	p.send(&protocol.Register{Request: req, Options: opts, Procedure: proc})
	m := expect[*protocol.Registered](p)
	if m.Request != req {
		p.t.Fatalf("REGISTERED for %d, want %d", m.Request, req)
	}
	return m.Registration
}

func (p *peer) subscribe(topic string) protocol.ID {
	p.t.Helper()
	req := p.next()
	p.send(&protocol.Subscribe{Request: req, Options: protocol.Dict{}, Topic: topic})
	m := expect[*protocol.Subscribed](p)
	if m.Request != req {
		p.t.Fatalf("SUBSCRIBED for %d, want %d", m.Request, req)
	}
	return m.Subscription
}

// call sends CALL and returns its request id.
func (p *peer) call(proc string, opts protocol.Dict, args protocol.List) protocol.ID {
	p.t.Helper()
	if opts == nil {
		opts = protocol.Dict{}
	}
	req := p.next()
	p.send(&protocol.Call{Request: req, Options: opts, Procedure: proc, Payload: protocol.Payload{Args: args}})
	return req
}

// count calls wamp.session.count and returns the count.
func (p *peer) count(args protocol.List) int64 {
	p.t.Helper()
	req := p.call("wamp.session.count", nil, args)
	res := expect[*protocol.Result](p)
	if res.Request != req || len(res.Args) != 1 {
		p.t.Fatalf("got RESULT %d %v, want the count for %d", res.Request, res.Args, req)
	}
	n, ok := res.Args[0].(int64)
	if !ok {
		p.t.Fatalf("count is %T %v, want int64", res.Args[0], res.Args[0])
	}
	return n
}
