package bench

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
)

// BenchmarkCallSide/<side>/<codec>/<transport>/c=<N> measures one side of
// a call round trip alone: this process holds one session, and the test
// kit's router and the session of the other side run in a child process
// (StartCallPeer, the binary PeerExeEnv names). The sides:
//
//	caller  this process calls echoProc (Call(...).Await) on N goroutines;
//	        the child's session is the callee, an echo
//	callee  this process's session is the callee, an echo; the child makes
//	        the calls, on N goroutines
//	both    this process holds both sessions, the caller's and the
//	        callee's; the child holds the router alone (the process to
//	        profile for the client's whole share of a round trip)
//
// Each reports calls/s and, for this process alone, cpu-µs/op, B/op and
// allocs/op: the cost of one call on that side (the benchmark's own loop
// allocates nothing per call).
func BenchmarkCallSide(b *testing.B) {
	peer, err := StartCallPeer(peerExe())
	if err != nil {
		b.Fatal(err)
	}
	defer func() {
		if err := peer.Close(); err != nil {
			b.Errorf("call peer: %v", err)
		}
	}()
	for _, side := range []string{"caller", "callee", "both"} {
		for _, cd := range []string{"msgpack", "json"} {
			for _, tr := range []struct{ name, url string }{
				{"ws", peer.RouterURL}, // StartCallPeer: the WebSocket URL
				{"rs", peer.EchoURL},   // and the RawSocket one
			} {
				for _, n := range []int{1, 16, 128} {
					b.Run(fmt.Sprintf("%s/%s/%s/c=%d", side, cd, tr.name, n), func(b *testing.B) {
						switch side {
						case "caller":
							benchCallerSide(b, peer, tr.url, cd, n)
						case "callee":
							benchCalleeSide(b, peer, tr.url, cd, n)
						default:
							benchBothSides(b, tr.url, cd, n)
						}
					})
				}
			}
		}
	}
}

// sideDial joins the session of the measured side at url with codec cd.
func sideDial(b *testing.B, url, cd string) *client.Client {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, ok := codec.ByName(cd)
	if !ok {
		b.Fatalf("unknown codec %q", cd)
	}
	cl, err := client.Dial(ctx, url, realm, client.WithSerializers(c))
	if err != nil {
		b.Fatalf("Dial %s: %v", url, err)
	}
	return cl
}

func benchCallerSide(b *testing.B, peer *CallPeer, url, cd string, n int) {
	if err := peer.Do("callee", url, cd); err != nil {
		b.Fatal(err)
	}
	defer func() {
		if err := peer.Do("close"); err != nil {
			b.Error(err)
		}
	}()
	c := sideDial(b, url, cd)
	defer closeClient(b, c)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	measureCalls(b, n, func() error { return echoCall(ctx, c) }, func() {})
}

func benchCalleeSide(b *testing.B, peer *CallPeer, url, cd string, n int) {
	c := sideDial(b, url, cd)
	defer closeClient(b, c)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := c.Register(ctx, echoProc, echoHandler); err != nil {
		b.Fatalf("Register: %v", err)
	}
	if err := peer.Do("caller", url, cd); err != nil {
		b.Fatal(err)
	}
	defer func() {
		if err := peer.Do("close"); err != nil {
			b.Error(err)
		}
	}()
	conc := strconv.Itoa(n)
	if err := peer.Do("run", strconv.Itoa(4*n), conc); err != nil {
		b.Fatalf("warm-up: %v", err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0, _ := processCPU()
	t0 := time.Now()
	err := peer.Do("run", strconv.Itoa(b.N), conc)
	elapsed := time.Since(t0)
	cpu1, cpuOK := processCPU()
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "calls/s")
	if cpuOK {
		reportCPU(b, cpu1-cpu0)
	}
}

func benchBothSides(b *testing.B, url, cd string, n int) {
	callee := sideDial(b, url, cd)
	defer closeClient(b, callee)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	if _, err := callee.Register(ctx, echoProc, echoHandler); err != nil {
		b.Fatalf("Register: %v", err)
	}
	caller := sideDial(b, url, cd)
	defer closeClient(b, caller)
	measureCalls(b, n, func() error { return echoCall(ctx, caller) }, func() {})
}
