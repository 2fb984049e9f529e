package bench

import (
	"context"
	"fmt"
	"net"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// BenchmarkTransport compares wampgo's calls over the two transports to the
// same in-process bench router, per codec and number of goroutines sharing
// the session:
//
//	websocket  ws:// (package wsconn)
//	rawsocket  rs:// (internal/transport/rawsocket)
//
// Besides calls/s, p50-µs, p99-µs and cpu-µs/op (as BenchmarkCall), it
// reports writes/msg: the write calls on the client's network connection
// per message the client sent (one CALL per call), counted by a net.Conn
// wrapper. Below 1, the writer batched several messages into one write.
func BenchmarkTransport(b *testing.B) {
	r := StartRouter()
	defer r.Close()
	for _, cc := range codecCases() {
		for _, n := range []int{1, 16, 128} {
			for _, tr := range []string{"websocket", "rawsocket"} {
				b.Run(fmt.Sprintf("%s/c=%d/%s", cc.name, n, tr), func(b *testing.B) {
					c, counted, cleanup := dialCounted(b, r, tr, cc.wamp)
					defer cleanup()
					defer closeClient(b, c)
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
					defer cancel()
					call := func() error {
						res, err := c.Call(context.Background(), echoProc, benchArgs, nil).Await(ctx)
						if err != nil {
							return err
						}
						if len(res.Args) != len(benchArgs) {
							return errBadReply
						}
						return nil
					}
					var before int64
					measureCalls(b, n, call, func() { before = counted.writes.Load() })
					b.ReportMetric(float64(counted.writes.Load()-before)/float64(b.N), "writes/msg")
				})
			}
		}
	}
}

// countingConn counts the Write calls on a network connection.
type countingConn struct {
	net.Conn
	writes *atomic.Int64
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(p)
}

// writeCounter is shared by the connections a dial makes.
type writeCounter struct{ writes atomic.Int64 }

// dialCounted joins the bench router over transport tr ("websocket" or
// "rawsocket") with cd, through a connection whose writes are counted.
// cleanup releases what the dial holds besides the client.
func dialCounted(tb testing.TB, r *Router, tr string, cd codec.Codec) (*client.Client, *writeCounter, func()) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	wc := &writeCounter{}
	dialer := func(ctx context.Context, network, addr string) (net.Conn, error) {
		var d net.Dialer
		nc, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return countingConn{Conn: nc, writes: &wc.writes}, nil
	}
	var t protocol.Transport
	cleanup := func() {}
	switch tr {
	case "websocket":
		// The lean client (no HTTPClient), dialing through the counter.
		conn, err := wsconn.Dial(ctx, r.URL(), &wsconn.Options{Codecs: []codec.Codec{cd}, NetDial: dialer})
		if err != nil {
			tb.Fatal(err)
		}
		t = conn
	case "rawsocket":
		ep, err := rawsocket.ParseURL(r.RawURL())
		if err != nil {
			tb.Fatal(err)
		}
		nc, err := dialer(ctx, ep.Network, ep.Address)
		if err != nil {
			tb.Fatal(err)
		}
		conn, err := rawsocket.Client(ctx, nc, &rawsocket.Options{Codecs: []codec.Codec{cd}})
		if err != nil {
			tb.Fatal(err)
		}
		t = conn
	default:
		tb.Fatalf("unknown transport %q", tr)
	}
	c, err := client.Connect(ctx, t, realm)
	if err != nil {
		t.Close()
		tb.Fatal(err)
	}
	return c, wc, cleanup
}

// Both transports reach the bench router, and a lone call costs one write.
func TestTransportsWork(t *testing.T) {
	r := StartRouter()
	defer r.Close()
	for _, tr := range []string{"websocket", "rawsocket"} {
		c, wc, cleanup := dialCounted(t, r, tr, codec.JSON())
		before := wc.writes.Load()
		res, err := c.Call(testCtx(t), echoProc, benchArgs, nil).Await(testCtx(t))
		if err != nil || len(res.Args) != 3 {
			t.Fatalf("%s: %+v %v", tr, res, err)
		}
		if n := wc.writes.Load() - before; n != 1 {
			t.Fatalf("%s: %d writes for one CALL", tr, n)
		}
		closeClient(t, c)
		cleanup()
	}
}
