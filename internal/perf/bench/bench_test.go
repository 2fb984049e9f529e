package bench

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
)

// concurrencies are the numbers of goroutines sharing one session (or one
// raw connection) in BenchmarkCall.
var concurrencies = []int{1, 16, 128}

// servers starts, on first use, the servers a benchmark needs, and closes
// them at the end.
type servers struct {
	router *Router
	echo   *EchoServer
	ext    *External
}

func (s *servers) routerURL(b *testing.B, external bool) string {
	if external {
		return s.external(b).RouterURL
	}
	if s.router == nil {
		s.router = StartRouter()
	}
	return s.router.URL()
}

func (s *servers) echoURL(b *testing.B, external bool) string {
	if external {
		return s.external(b).EchoURL
	}
	if s.echo == nil {
		s.echo = StartEcho()
	}
	return s.echo.URL()
}

func (s *servers) external(b *testing.B) *External {
	if s.ext == nil {
		x, err := StartExternal(os.Args[0])
		if err != nil {
			b.Fatal(err)
		}
		s.ext = x
	}
	return s.ext
}

func (s *servers) close(b *testing.B) {
	if s.router != nil {
		s.router.Close()
	}
	if s.echo != nil {
		s.echo.Close()
	}
	if s.ext != nil {
		if err := s.ext.Close(); err != nil {
			b.Errorf("external server: %v", err)
		}
	}
}

// BenchmarkCall measures calls with the three-argument payload, per codec
// and per number of goroutines sharing one connection:
//
//	wampgo         client.Call(...).Await against the in-process bench router
//	raw            RawClient.Call against the in-process echo server
//	wampgo-extsrv  as wampgo, the router in a child process
//	raw-extsrv     as raw, the echo server in a child process
//
// The -extsrv variants' allocs/op (and a -cpuprofile) cover the client alone.
func BenchmarkCall(b *testing.B) {
	srv := &servers{}
	defer srv.close(b)
	for _, cc := range codecCases() {
		b.Run(cc.name, func(b *testing.B) {
			for _, n := range concurrencies {
				b.Run(fmt.Sprintf("c=%d", n), func(b *testing.B) {
					for _, external := range []bool{false, true} {
						suffix := ""
						if external {
							suffix = "-extsrv"
						}
						b.Run("wampgo"+suffix, func(b *testing.B) {
							benchWampgoCalls(b, srv.routerURL(b, external), cc, n)
						})
						b.Run("raw"+suffix, func(b *testing.B) {
							benchRawCalls(b, srv.echoURL(b, external), cc, n)
						})
					}
				})
			}
		})
	}
}

// errBadReply is the error of a call whose reply is not the echo expected.
var errBadReply = errors.New("bench: reply is not the echo of the request")

func benchWampgoCalls(b *testing.B, url string, cc codecCase, n int) {
	c, conn := dialConn(b, url, cc.wamp)
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
	var frames0, writes0 uint64
	measureCalls(b, n, call, func() { frames0, writes0 = conn.WriteStats() })
	frames1, writes1 := conn.WriteStats()
	if frames := frames1 - frames0; frames > 0 {
		b.ReportMetric(float64(writes1-writes0)/float64(frames), "writes/msg")
	}
}

func benchRawCalls(b *testing.B, url string, cc codecCase, n int) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	rc, err := DialRaw(ctx, url, cc.raw)
	if err != nil {
		b.Fatal(err)
	}
	defer rc.Close()
	call := func() error {
		reply, err := rc.Call(ctx, benchArgs...)
		if err != nil {
			return err
		}
		if len(reply) != len(benchArgs) {
			return errBadReply
		}
		return nil
	}
	measureCalls(b, n, call, func() {})
}

// measureCalls warms up, then runs b.N calls on exactly n goroutines and
// reports throughput and latency percentiles.
func measureCalls(b *testing.B, n int, call func() error, atStart func()) {
	if _, err := runFixed(n, 4*n, call, nil, func() {}); err != nil {
		b.Fatalf("warm-up: %v", err)
	}
	lat := make([]time.Duration, b.N)
	b.ReportAllocs()
	var cpu0 time.Duration
	elapsed, err := runFixed(n, b.N, call, lat, func() {
		b.ResetTimer()
		cpu0, _ = processCPU()
		atStart()
	})
	cpu1, cpuOK := processCPU()
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	slices.Sort(lat)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "calls/s")
	b.ReportMetric(percentile(lat, 50), "p50-µs")
	b.ReportMetric(percentile(lat, 99), "p99-µs")
	if cpuOK {
		reportCPU(b, cpu1-cpu0)
	}
}

// reportCPU reports the process's CPU time per operation, in µs: user and
// system time of every thread, so the in-process server's share is
// included unless the server runs in a child process (-extsrv). Unlike
// calls/s it hardly depends on other load on the machine.
func reportCPU(b *testing.B, cpu time.Duration) {
	b.ReportMetric(float64(cpu)/float64(time.Microsecond)/float64(b.N), "cpu-µs/op")
}

// runFixed runs op total times on exactly n goroutines, which take the
// next operation from a shared counter, and returns the wall time from the
// release of the goroutines to the end of the last operation. When lat is
// not nil, operation i's latency is stored in lat[i]. atStart runs just
// before the goroutines are released (with every goroutine started). The
// first error stops every goroutine and is returned.
func runFixed(n, total int, op func() error, lat []time.Duration, atStart func()) (time.Duration, error) {
	var (
		next     atomic.Int64
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	start := make(chan struct{})
	for range n {
		wg.Go(func() {
			<-start
			for {
				i := next.Add(1) - 1
				if i >= int64(total) {
					return
				}
				t0 := time.Now()
				if err := op(); err != nil {
					errOnce.Do(func() { firstErr = err })
					next.Store(int64(total))
					return
				}
				if lat != nil {
					lat[i] = time.Since(t0)
				}
			}
		})
	}
	atStart()
	t0 := time.Now()
	close(start)
	wg.Wait()
	return time.Since(t0), firstErr
}

// percentile returns the p-th percentile of sorted, in microseconds
// (nearest rank).
func percentile(sorted []time.Duration, p int) float64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := (len(sorted)*p + 99) / 100 // ceil(len*p/100), at least 1
	if rank < 1 {
		rank = 1
	}
	return float64(sorted[rank-1]) / float64(time.Microsecond)
}

// ackEvery is how often BenchmarkEvents asks for PUBLISHED: one publication
// in ackEvery, and the last one, are acknowledged, the rest are not.
const ackEvery = 1024

// BenchmarkEvents measures events delivered per second from one publisher
// session, through the bench router, to the handler of one subscriber
// session (overflow policy Block, so that none is dropped): b.N
// publications, timed until the handler has seen the last one.
func BenchmarkEvents(b *testing.B) {
	srv := &servers{}
	defer srv.close(b)
	var seq atomic.Int64
	for _, cc := range codecCases() {
		b.Run(cc.name, func(b *testing.B) {
			url := srv.routerURL(b, false)
			pub := dial(b, url, cc.wamp)
			defer closeClient(b, pub)
			sub := dial(b, url, cc.wamp)
			defer closeClient(b, sub)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
			defer cancel()

			topic := fmt.Sprintf("bench.events.%d", seq.Add(1))
			target := int64(b.N)
			var got atomic.Int64
			all := make(chan struct{})
			s, err := sub.Subscribe(ctx, topic, func(context.Context, *client.Event) {
				if got.Add(1) == target {
					close(all)
				}
			}, client.OnOverflow(client.Block))
			if err != nil {
				b.Fatalf("Subscribe: %v", err)
			}
			ack := []client.PublishOption{client.Acknowledge()}

			b.ReportAllocs()
			b.ResetTimer()
			cpu0, _ := processCPU()
			t0 := time.Now()
			for i := range b.N {
				var opts []client.PublishOption
				if (i+1)%ackEvery == 0 || i == b.N-1 {
					opts = ack
				}
				if _, err := pub.Publish(ctx, topic, benchArgs, nil, opts...); err != nil {
					b.Fatalf("Publish %d: %v", i, err)
				}
			}
			select {
			case <-all:
			case <-time.After(time.Minute):
				b.Fatalf("%d of %d events delivered after a minute (%d dropped)", got.Load(), b.N, s.Dropped())
			}
			elapsed := time.Since(t0)
			cpu1, cpuOK := processCPU()
			b.StopTimer()
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "events/s")
			if cpuOK {
				reportCPU(b, cpu1-cpu0)
			}
		})
	}
}
