package bench

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
)

// BenchmarkFanOut/<transport>/n=N publishes events (the three-argument
// payload, MessagePack) from one session to N subscriber sessions, all in
// this process, through the test kit's router in a child process
// (StartKitRouter, the binary PeerExeEnv names), over loopback WebSocket
// (ws) and RawSocket (rs). b.N is the number of publications; each is
// delivered to every subscriber's handler. At most fanOutWindow
// publications are in flight: the publisher waits for the deliveries of
// older ones, so that no queue grows with b.N. It reports, per delivery:
//
//	cpu-µs/delivery    this process's CPU time (user and system)
//	B/delivery         bytes allocated
//	allocs/delivery    allocations
//	reads/delivery     read system calls (Linux only: /proc/self/io)
//
// and deliveries/s. The subscribers join before the clock starts, and
// leave after it stops. N is 1000 by default; WAMPGO_BENCH_FANOUT_N sets
// it (a comma-separated list runs each).
func BenchmarkFanOut(b *testing.B) {
	kit, err := StartKitRouter(peerExe())
	if err != nil {
		b.Fatal(err)
	}
	defer kit.Close()
	for _, tr := range []struct{ name, url string }{
		{"ws", kit.RouterURL}, // StartKitRouter: the WebSocket URL
		{"rs", kit.EchoURL},   // and the RawSocket one
	} {
		for _, n := range sessionCounts(b, "WAMPGO_BENCH_FANOUT_N") {
			f := newFanOut(b, tr.url, n)
			b.Run(tr.name+"/n="+strconv.Itoa(n), f.run)
			f.close(b)
		}
	}
}

// fanOutWindow is how many publications BenchmarkFanOut lets be in flight.
const fanOutWindow = 4

// fanOut is the publisher and the n subscribers of one BenchmarkFanOut
// run.
type fanOut struct {
	pub   *client.Client
	subs  []*client.Client
	topic string
	n     int64

	delivered atomic.Int64
	mu        sync.Mutex
	cond      *sync.Cond // signalled, under mu, by the delivery that completes a publication
}

// fanOutTopics makes each fanOut's topic its own.
var fanOutTopics atomic.Int64

// newFanOut joins the publisher and n subscribers to the router at url,
// on a few goroutines (joins are not what is measured).
func newFanOut(b *testing.B, url string, n int) *fanOut {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	f := &fanOut{
		topic: fmt.Sprintf("bench.fanout.%d", fanOutTopics.Add(1)),
		n:     int64(n),
		subs:  make([]*client.Client, n),
	}
	f.cond = sync.NewCond(&f.mu)
	dial := func() (*client.Client, error) {
		return client.Dial(ctx, url, realm, client.WithSerializers(codec.MsgPack()))
	}
	var err error
	if f.pub, err = dial(); err != nil {
		b.Fatalf("Dial %s: %v", url, err)
	}
	var next atomic.Int64
	_, err = runFixed(8, n, func() error {
		i := next.Add(1) - 1
		c, err := dial()
		if err != nil {
			return err
		}
		f.subs[i] = c
		_, err = c.Subscribe(ctx, f.topic, f.deliver, client.OnOverflow(client.Block))
		return err
	}, nil, func() {})
	if err != nil {
		f.close(b)
		b.Fatalf("joining %d subscribers: %v", n, err)
	}
	return f
}

// deliver is every subscriber's event handler.
func (f *fanOut) deliver(context.Context, *client.Event) {
	if f.delivered.Add(1)%f.n == 0 {
		f.mu.Lock()
		f.cond.Broadcast()
		f.mu.Unlock()
	}
}

// awaitDelivered waits until the handlers have seen pubs events each, on
// average: pubs publications' worth of deliveries.
func (f *fanOut) awaitDelivered(pubs int64) {
	want := pubs * f.n
	f.mu.Lock()
	for f.delivered.Load() < want {
		f.cond.Wait()
	}
	f.mu.Unlock()
}

func (f *fanOut) run(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	publish := func(count int) {
		base := f.delivered.Load() / f.n
		for i := range count {
			if i >= fanOutWindow {
				f.awaitDelivered(base + int64(i-fanOutWindow+1))
			}
			if _, err := f.pub.Publish(ctx, f.topic, benchArgs, nil); err != nil {
				b.Fatalf("Publish: %v", err)
			}
		}
		f.awaitDelivered(base + int64(count))
	}
	publish(fanOutWindow) // warm-up: every subscriber's first event

	var ms0, ms1 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	reads0, readsOK := readSyscalls()
	cpu0, _ := processCPU()
	b.ResetTimer()
	t0 := time.Now()
	publish(b.N)
	elapsed := time.Since(t0)
	b.StopTimer()
	cpu1, cpuOK := processCPU()
	reads1, _ := readSyscalls()
	runtime.ReadMemStats(&ms1)

	deliveries := float64(b.N) * float64(f.n)
	b.ReportMetric(deliveries/elapsed.Seconds(), "deliveries/s")
	b.ReportMetric(float64(ms1.TotalAlloc-ms0.TotalAlloc)/deliveries, "B/delivery")
	b.ReportMetric(float64(ms1.Mallocs-ms0.Mallocs)/deliveries, "allocs/delivery")
	if cpuOK {
		b.ReportMetric(float64(cpu1-cpu0)/float64(time.Microsecond)/deliveries, "cpu-µs/delivery")
	}
	if readsOK {
		b.ReportMetric(float64(reads1-reads0)/deliveries, "reads/delivery")
	}
}

// readSyscalls returns the number of read system calls this process has
// made, from /proc/self/io (Linux); false elsewhere.
func readSyscalls() (uint64, bool) {
	b, err := os.ReadFile("/proc/self/io")
	if err != nil {
		return 0, false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "syscr: "); ok {
			n, err := strconv.ParseUint(v, 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// close closes every session of f.
func (f *fanOut) close(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	sessions := make(chan *client.Client)
	for range 8 {
		wg.Go(func() {
			for c := range sessions {
				if err := c.Close(ctx); err != nil {
					b.Errorf("Close: %v", err)
				}
			}
		})
	}
	for _, c := range append(f.subs, f.pub) {
		if c != nil {
			sessions <- c
		}
	}
	close(sessions)
	wg.Wait()
}
