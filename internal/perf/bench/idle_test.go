package bench

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
)

// BenchmarkIdleSessions/<transport>/n=N joins N sessions (MessagePack) to
// the test kit's router, served by a child process (StartKitRouter), over
// loopback WebSocket (ws) and RawSocket (rs); holds them idle; then closes
// them one by one. Each iteration reports, per session:
//
//	goroutines/sess  goroutines the process gained
//	heap+stack-B/sess  HeapInuse+StackInuse gained (after a GC)
//	stack-B/sess     the StackInuse part of it
//	rss-B/sess       resident set gained (Linux only)
//	join-µs/sess, join-cpu-µs/sess   wall and CPU time of one Dial (joins run one at a time)
//	close-µs/sess, close-cpu-µs/sess wall and CPU time of one Close
//
// N is 1000 by default; WAMPGO_BENCH_IDLE_N sets it (a comma-separated
// list runs each). With WAMPGO_BENCH_IDLE_PROFILES set to a directory, the
// goroutine and heap profiles taken while the sessions are idle are
// written there (<transport>-n<N>-goroutine.pprof, -heap.pprof), the heap
// profile recording every allocation (runtime.MemProfileRate 1: slower
// joins, so the times of such a run are not comparable).
func BenchmarkIdleSessions(b *testing.B) {
	if os.Getenv("WAMPGO_BENCH_IDLE_PROFILES") != "" {
		defer func(rate int) { runtime.MemProfileRate = rate }(runtime.MemProfileRate)
		runtime.MemProfileRate = 1
	}
	kit, err := StartKitRouter(os.Args[0])
	if err != nil {
		b.Fatal(err)
	}
	defer kit.Close()
	for _, tr := range []struct{ name, url string }{
		{"ws", kit.RouterURL}, // StartKitRouter: the WebSocket URL
		{"rs", kit.EchoURL},   // and the RawSocket one
	} {
		for _, n := range sessionCounts(b, "WAMPGO_BENCH_IDLE_N") {
			b.Run(tr.name+"/n="+strconv.Itoa(n), func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					idleRound(b, tr.url, n, tr.name)
				}
			})
		}
	}
}

// idleFootprint is what the process holds at one moment.
type idleFootprint struct {
	goroutines int
	heapStack  uint64
	stack      uint64
	rss        uint64 // 0 when unknown
}

func takeFootprint() idleFootprint {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return idleFootprint{
		goroutines: runtime.NumGoroutine(),
		heapStack:  ms.HeapInuse + ms.StackInuse,
		stack:      ms.StackInuse,
		rss:        residentBytes(),
	}
}

// residentBytes reads the process's resident set size from /proc (Linux);
// 0 elsewhere.
func residentBytes() uint64 {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, err := strconv.ParseUint(f[1], 10, 64)
	if err != nil {
		return 0
	}
	return pages * uint64(os.Getpagesize())
}

func idleRound(b *testing.B, url string, n int, name string) {
	b.StopTimer()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	clients := make([]*client.Client, 0, n)
	defer func() {
		for _, c := range clients {
			c.Close(ctx)
		}
	}()
	before := takeFootprint()
	cpu0, _ := processCPU()
	start := time.Now()
	b.StartTimer()
	for range n {
		c, err := client.Dial(ctx, url, realm, client.WithSerializers(codec.MsgPack()))
		if err != nil {
			b.Fatalf("Dial %s: %v", url, err)
		}
		clients = append(clients, c)
	}
	b.StopTimer()
	joinWall := time.Since(start)
	cpu1, cpuOK := processCPU()

	// Let every session settle (the router's replies, the transports'
	// first timers) before measuring.
	time.Sleep(200 * time.Millisecond)
	idle := takeFootprint()
	if dir := os.Getenv("WAMPGO_BENCH_IDLE_PROFILES"); dir != "" {
		writeIdleProfiles(b, dir, name+"-n"+strconv.Itoa(n))
	}

	start = time.Now()
	b.StartTimer()
	for _, c := range clients {
		if err := c.Close(ctx); err != nil {
			b.Errorf("Close: %v", err)
		}
	}
	b.StopTimer()
	closeWall := time.Since(start)
	cpu2, _ := processCPU()
	clients = nil

	per := func(v float64) float64 { return v / float64(n) }
	b.ReportMetric(per(float64(idle.goroutines-before.goroutines)), "goroutines/sess")
	b.ReportMetric(per(float64(int64(idle.heapStack)-int64(before.heapStack))), "heap+stack-B/sess")
	b.ReportMetric(per(float64(int64(idle.stack)-int64(before.stack))), "stack-B/sess")
	if idle.rss != 0 {
		b.ReportMetric(per(float64(int64(idle.rss)-int64(before.rss))), "rss-B/sess")
	}
	b.ReportMetric(per(float64(joinWall.Microseconds())), "join-µs/sess")
	b.ReportMetric(per(float64(closeWall.Microseconds())), "close-µs/sess")
	if cpuOK {
		b.ReportMetric(per(float64((cpu1 - cpu0).Microseconds())), "join-cpu-µs/sess")
		b.ReportMetric(per(float64((cpu2 - cpu1).Microseconds())), "close-cpu-µs/sess")
	}
	b.StartTimer()
}

// writeIdleProfiles writes the goroutine and heap profiles to dir.
func writeIdleProfiles(tb testing.TB, dir, prefix string) {
	for _, p := range []string{"goroutine", "heap"} {
		f, err := os.Create(filepath.Join(dir, prefix+"-"+p+".pprof"))
		if err != nil {
			tb.Fatal(err)
		}
		err = pprof.Lookup(p).WriteTo(f, 0)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			tb.Fatal(err)
		}
	}
}
