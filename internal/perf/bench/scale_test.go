package bench

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/transport/memconn"
	"github.com/wampgo/wampgo/protocol"
)

// The scale benchmarks measure what one subscription or registration
// costs as their number grows, in memory (memconn, messages by pointer)
// against scaleResponder, which answers at once, so that only the client's
// costs are measured:
//
//	BenchmarkSubscribe/held=N  one Subscribe (new topic) with N already held;
//	                           also reports B/idle-sub, the heap held per
//	                           idle subscription
//	BenchmarkRegister/held=N   one Register (new procedure) with N held
//	BenchmarkRestore/n=N       the restore after a reconnect of N
//	                           subscriptions and N registrations: ms/op for
//	                           the whole restore and ns/item
//
// The project's targets: per-op cost and restore time per item at 50k
// within 1.5× of their value at 1k; at most 2 KiB per idle subscription.
var scaleSizes = []int{1000, 10000, 50000}

// scaleResponder plays the router of one connection: WELCOME, SUBSCRIBED,
// REGISTERED, GOODBYE, each with fresh ids.
func scaleResponder(rt protocol.Transport, session protocol.ID) {
	ctx := context.Background()
	var next protocol.ID
	for m := range rt.Receive() {
		var reply protocol.Message
		switch m := m.(type) {
		case *protocol.Hello:
			reply = &protocol.Welcome{Session: session, Details: protocol.Dict{
				"roles": protocol.Dict{"dealer": protocol.Dict{}, "broker": protocol.Dict{}}}}
		case *protocol.Subscribe:
			next++
			reply = &protocol.Subscribed{Request: m.Request, Subscription: next}
		case *protocol.Register:
			next++
			reply = &protocol.Registered{Request: m.Request, Registration: next}
		case *protocol.Goodbye:
			reply = &protocol.Goodbye{Reason: "wamp.close.goodbye_and_out", Details: protocol.Dict{}}
		default:
			continue
		}
		if rt.Send(ctx, reply) != nil {
			return
		}
	}
}

// scaleDialer hands out connections to fresh responders; kill ends the
// latest one, as a lost connection.
type scaleDialer struct {
	session atomic.Uint64
	last    atomic.Pointer[memconn.Conn]
}

func (d *scaleDialer) dial(context.Context, string) (protocol.Transport, error) {
	ct, rt := memconn.Pipe("json")
	go scaleResponder(rt, d.session.Add(1))
	d.last.Store(rt.(*memconn.Conn))
	return ct, nil
}

func (d *scaleDialer) kill() { d.last.Load().Fail(fmt.Errorf("bench: connection killed")) }

func scaleClient(tb testing.TB, d *scaleDialer, opts ...client.Option) *client.Client {
	tb.Helper()
	t, _ := d.dial(context.Background(), "")
	c, err := client.Connect(context.Background(), t, realm, opts...)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func noEvent(context.Context, *client.Event) {}

func noCall(context.Context, *client.Invocation) (client.Result, error) {
	return client.Result{}, nil
}

func subscribeN(tb testing.TB, c *client.Client, prefix string, n int) {
	ctx := context.Background()
	for i := range n {
		if _, err := c.Subscribe(ctx, fmt.Sprintf("%s.%d", prefix, i), noEvent); err != nil {
			tb.Fatal(err)
		}
	}
}

func registerN(tb testing.TB, c *client.Client, prefix string, n int) {
	ctx := context.Background()
	for i := range n {
		if _, err := c.Register(ctx, fmt.Sprintf("%s.%d", prefix, i), noCall); err != nil {
			tb.Fatal(err)
		}
	}
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

func BenchmarkSubscribe(b *testing.B) {
	for _, held := range scaleSizes {
		b.Run(fmt.Sprintf("held=%d", held), func(b *testing.B) {
			d := &scaleDialer{}
			c := scaleClient(b, d)
			defer c.Close(context.Background())
			h0 := heapInUse()
			subscribeN(b, c, "held", held)
			perSub := float64(heapInUse()-h0) / float64(held)
			b.ReportAllocs()
			b.ResetTimer()
			subscribeN(b, c, "new", b.N)
			b.StopTimer()
			b.ReportMetric(perSub, "B/idle-sub")
		})
	}
}

func BenchmarkRegister(b *testing.B) {
	for _, held := range scaleSizes {
		b.Run(fmt.Sprintf("held=%d", held), func(b *testing.B) {
			d := &scaleDialer{}
			c := scaleClient(b, d)
			defer c.Close(context.Background())
			registerN(b, c, "held", held)
			b.ReportAllocs()
			b.ResetTimer()
			registerN(b, c, "new", b.N)
		})
	}
}

func BenchmarkRestore(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			d := &scaleDialer{}
			joined := make(chan struct{}, 1)
			c := scaleClient(b, d, client.WithReconnect(client.Reconnect{
				URLs: []string{"mem://"}, Dial: d.dial,
				MinDelay: time.Microsecond, MaxDelay: time.Microsecond,
				OnStateChange: func(sc client.StateChange) {
					if sc.State == client.StateJoined {
						joined <- struct{}{}
					}
				},
			}))
			defer c.Close(context.Background())
			<-joined // the first join
			subscribeN(b, c, "sub", n)
			registerN(b, c, "reg", n)
			b.ResetTimer()
			for range b.N {
				d.kill()
				<-joined // StateJoined comes once everything is restored
			}
			b.StopTimer()
			perOp := b.Elapsed() / time.Duration(b.N)
			b.ReportMetric(float64(perOp)/float64(time.Millisecond), "ms/restore")
			b.ReportMetric(float64(perOp)/float64(2*n), "ns/item")
		})
	}
}
