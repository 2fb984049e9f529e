package client_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

func TestStatsCountsTraffic(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		clienttest.Register(t, c, r, "com.p", 10, func(_ context.Context, inv *client.Invocation) (client.Result, error) {
			if len(inv.Args) > 0 {
				return client.Result{}, errors.New("no args, please")
			}
			return client.Result{}, nil
		})
		clienttest.Subscribe(t, c, r, "com.t", 20, func(context.Context, *client.Event) {})

		// Two invocations: one succeeds, one fails.
		r.Send(&protocol.Invocation{Request: 1, Registration: 10, Details: protocol.Dict{}})
		scripted.Expect[*protocol.Yield](r)
		r.Send(&protocol.Invocation{Request: 2, Registration: 10, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"x"}}})
		scripted.Expect[*protocol.Error](r)
		// Three events.
		for i := range 3 {
			r.Send(&protocol.Event{Subscription: 20, Publication: protocol.ID(i + 1), Details: protocol.Dict{}})
		}
		// A call with one progressive and one final result, a call that
		// fails, and one refused before sending.
		ok := c.Call(ctxT(t), "com.remote", nil, nil, client.ReceiveProgress())
		m := scripted.Expect[*protocol.Call](r)
		r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{"progress": true}})
		r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
		if _, err := ok.Await(ctxT(t)); err != nil {
			t.Fatal(err)
		}
		bad := c.Call(ctxT(t), "com.remote", nil, nil)
		m = scripted.Expect[*protocol.Call](r)
		r.Send(&protocol.Error{RequestType: protocol.TypeCall, Request: m.Request, Details: protocol.Dict{}, Error: "com.err"})
		if _, err := bad.Await(ctxT(t)); err == nil {
			t.Fatal("the ERROR did not fail the call")
		}
		if _, err := c.Call(ctxT(t), "com.remote", nil, nil, client.Timeout(-1)).Await(ctxT(t)); err == nil {
			t.Fatal("a negative timeout was accepted")
		}
		// One publication.
		if _, err := c.Publish(ctxT(t), "com.t", nil, nil); err != nil {
			t.Fatal(err)
		}
		scripted.Expect[*protocol.Publish](r)
		synctest.Wait()

		got := c.Stats()
		want := client.Stats{
			CallsStarted: 3, CallsSucceeded: 1, CallsFailed: 2, Results: 2,
			Invocations: 2, InvocationsFailed: 1,
			EventsReceived: 3, EventsDelivered: 3,
			Publications: 1,
			// In: REGISTERED, SUBSCRIBED, 2 INVOCATION, 3 EVENT, 2 RESULT, ERROR.
			MessagesIn: 10,
			// Out: REGISTER, SUBSCRIBE, YIELD, ERROR, 2 CALL, PUBLISH.
			MessagesOut: 7,
			PeakPending: got.PeakPending,
		}
		if got != want {
			t.Fatalf("Stats:\n got  %+v\n want %+v", got, want)
		}
		if got.PeakPending < 1 || got.PeakPending > 3 {
			t.Fatalf("PeakPending = %d, want 1..3", got.PeakPending)
		}
	})
}

func TestStatsPendingAndDropped(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		release := make(chan struct{})
		clienttest.Subscribe(t, c, r, "com.t", 20, func(ctx context.Context, ev *client.Event) {
			select {
			case <-release:
			case <-ctx.Done():
			}
		}, client.MailboxLimits(client.Limits{MaxMessages: 1}))
		r.Send(&protocol.Event{Subscription: 20, Publication: 1, Details: protocol.Dict{}})
		synctest.Wait() // the handler holds the first event
		r.Send(&protocol.Event{Subscription: 20, Publication: 2, Details: protocol.Dict{}})
		r.Send(&protocol.Event{Subscription: 20, Publication: 3, Details: protocol.Dict{}})
		synctest.Wait()
		s := c.Stats()
		if s.Pending != 2 || s.PeakPending != 2 || s.EventsDropped != 1 || s.EventsReceived != 3 || s.EventsDelivered != 0 {
			t.Fatalf("with a stuck handler: %+v", s)
		}
		close(release)
		synctest.Wait()
		s = c.Stats()
		if s.Pending != 0 || s.PeakPending != 2 || s.EventsDelivered != 2 {
			t.Fatalf("after release: %+v", s)
		}
	})
}

func TestStatsPendingForgetsDiscardedWork(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		clienttest.Subscribe(t, c, r, "com.t", 20, func(ctx context.Context, ev *client.Event) { <-ctx.Done() })
		for i := range 4 {
			r.Send(&protocol.Event{Subscription: 20, Publication: protocol.ID(i + 1), Details: protocol.Dict{}})
		}
		synctest.Wait()
		if p := c.Stats().Pending; p != 4 {
			t.Fatalf("Pending = %d, want 4", p)
		}
		// The session ends: the queued events are thrown away.
		r.Transport().Close()
		<-c.Done()
		if p := c.Stats().Pending; p != 0 {
			t.Fatalf("Pending after the end = %d, want 0", p)
		}
	})
}

// statsTransports are the transports Dial counts bytes on, each with the
// URL of a router listening on it.
var statsTransports = []struct {
	name   string
	listen func(t *testing.T, r *wamptest.Router) (url string, stop func())
}{
	{"websocket", func(t *testing.T, r *wamptest.Router) (string, func()) {
		l := r.ListenWebSocket()
		return l.URL(), l.Close
	}},
	{"rawsocket", func(t *testing.T, r *wamptest.Router) (string, func()) {
		l, err := r.ListenRawSocket()
		if err != nil {
			t.Fatal(err)
		}
		return l.URL(), l.Close
	}},
}

// loggedBytes sums the lengths, encoded with cd, of the messages of the
// router's logs: those it sent the client (in) and those it received (out).
func loggedBytes(t *testing.T, cd codec.Codec, logs ...*wamptest.Log) (in, out uint64) {
	t.Helper()
	for _, l := range logs {
		for _, rec := range l.Records() {
			b, err := cd.Encode(rec.Msg)
			if err != nil {
				t.Fatalf("encoding %v: %v", rec, err)
			}
			if rec.Dir == wamptest.ToClient {
				in += uint64(len(b))
			} else {
				out += uint64(len(b))
			}
		}
	}
	return in, out
}

// checkBytes fails unless the client's BytesIn and BytesOut are the sums
// of the encoded messages in the router's logs.
func checkBytes(t *testing.T, when string, c *client.Client, cd codec.Codec, logs ...*wamptest.Log) {
	t.Helper()
	in, out := loggedBytes(t, cd, logs...)
	if s := c.Stats(); s.BytesIn != in || s.BytesOut != out {
		t.Fatalf("%s: BytesIn, BytesOut = %d, %d; want %d, %d (the encoded messages)", when, s.BytesIn, s.BytesOut, in, out)
	}
}

// callAndPublish registers an echo procedure, calls it, and publishes
// with acknowledgement.
func callAndPublish(t *testing.T, c *client.Client, procedure protocol.URI) {
	t.Helper()
	if _, err := c.Register(ctxT(t), procedure, func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		return client.Result{Args: inv.Args, Kwargs: inv.Kwargs}, nil
	}); err != nil {
		t.Fatal(err)
	}
	res, err := await(t, c.Call(ctxT(t), procedure, protocol.List{"some bytes", 42}, protocol.Dict{"k": "v"}))
	if err != nil || len(res.Args) != 2 {
		t.Fatalf("call: %+v, %v", res, err)
	}
	if _, err := c.Publish(ctxT(t), "com.t", protocol.List{"more bytes"}, nil, client.Acknowledge()); err != nil {
		t.Fatal(err)
	}
}

// BytesIn and BytesOut are exactly the encoded sizes of the messages
// exchanged, from HELLO on, over every transport Dial opens and with every
// serializer.
func TestStatsCountsBytesOfDialledConnections(t *testing.T) {
	for _, tr := range statsTransports {
		for _, cd := range codec.Default() {
			t.Run(tr.name+"/"+cd.Name(), func(t *testing.T) {
				r := wamptest.NewRouter()
				defer r.Close()
				url, _ := tr.listen(t, r)
				c, err := client.Dial(ctxT(t), url, "realm1", client.WithSerializers(cd))
				if err != nil {
					t.Fatal(err)
				}
				defer clienttest.Close(t, c)
				log := r.Log(c.Session().ID)
				checkBytes(t, "after the join", c, cd, log)
				if s := c.Stats(); s.BytesIn == 0 || s.BytesOut == 0 {
					t.Fatalf("the opening handshake was not counted: %+v", s)
				}
				callAndPublish(t, c, "com.echo")
				checkBytes(t, "after a call and a publication", c, cd, log)
			})
		}
	}
}

// A reconnecting client keeps adding up the bytes of every connection
// Dial opens, also when the next one is of another transport: joined over
// one, moved to the other when its connection is cut.
func TestStatsBytesAccumulateAcrossReconnects(t *testing.T) {
	for i, first := range statsTransports {
		second := statsTransports[1-i]
		t.Run(first.name+"-then-"+second.name, func(t *testing.T) {
			cd := codec.JSON()
			r := wamptest.NewRouter()
			defer r.Close()
			firstURL, stopFirst := first.listen(t, r)
			secondURL, _ := second.listen(t, r)
			rc, states := watchedReconnect()
			rc.URLs = []string{secondURL}
			c, err := client.Dial(ctxT(t), firstURL, "realm1", client.WithSerializers(cd), client.WithReconnect(rc))
			if err != nil {
				t.Fatal(err)
			}
			defer clienttest.Close(t, c)
			waitState(t, states, client.StateJoined)
			firstLog := r.Log(c.Session().ID)
			callAndPublish(t, c, "com.echo.first")
			checkBytes(t, "over "+first.name, c, cd, firstLog)
			before := c.Stats()

			stopFirst() // no new connections there
			if err := r.Drop(c.Session().ID); err != nil {
				t.Fatal(err)
			}
			waitJoinedAt(t, states, secondURL)
			secondLog := r.Log(c.Session().ID)
			if secondLog == firstLog {
				t.Fatal("no new session after the drop")
			}
			callAndPublish(t, c, "com.echo.second")
			checkBytes(t, "after moving to "+second.name, c, cd, firstLog, secondLog)
			if after := c.Stats(); after.BytesIn <= before.BytesIn || after.BytesOut <= before.BytesOut {
				t.Fatalf("the counts did not grow: before %+v, after %+v", before, after)
			}
		})
	}
}
