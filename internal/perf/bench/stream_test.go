package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// BenchmarkStream moves streamBytes through the test kit's router over
// loopback WebSocket and RawSocket, in every serializer, each way:
//
//   - up: the caller sends the bytes (progressive call inputs) and the
//     callee discards them;
//   - down: the callee sends the bytes (progressive results) and the
//     caller discards them.
//
// Variant stream uses CallStream, Call.Reader and RegisterStream; variant
// byhand moves the same 64 KiB chunks with SendInput/FinishInput or
// SendProgress and ranges over Inputs or Results: the baseline, in the
// same run (by hand upload sends to the same RegisterStream sink: a plain
// handler ranging over Inputs cannot keep up with a fast caller, and its
// invocation fails once 64 chunks wait unread). Both sessions live in this
// process; the router runs in a child process (StartKitRouter), since its
// per-session queues are unbounded and are not the client's memory. Each
// iteration moves streamBytes; it reports MB/s and peak-heap-MiB, the
// largest growth of the live heap over its level at the start (sampled
// every millisecond from runtime/metrics).
func BenchmarkStream(b *testing.B) {
	kit, err := StartKitRouter(os.Args[0])
	if err != nil {
		b.Fatal(err)
	}
	defer kit.Close()
	for _, url := range []string{kit.RouterURL, kit.EchoURL} {
		scheme, _, _ := strings.Cut(url, "://")
		for _, cc := range codecCases() {
			b.Run(scheme+"/"+cc.name, func(b *testing.B) {
				callee, caller := dialKit(b, url, cc.wamp), dialKit(b, url, cc.wamp)
				defer closeClient(b, caller)
				defer closeClient(b, callee)
				registerStreamProcs(b, callee)
				// Warm the connections up (buffers, TCP windows): the first
				// run is otherwise slower, whichever variant it is.
				for name, move := range streamMovers {
					if err := move(caller, warmBytes); err != nil {
						b.Fatalf("warm-up %s: %v", name, err)
					}
				}
				for _, dir := range []string{"up", "down"} {
					for _, variant := range []string{"stream", "byhand"} {
						b.Run(dir+"/"+variant, func(b *testing.B) {
							move := streamMovers[dir+"/"+variant]
							measureStream(b, func() error { return move(caller, streamBytes) })
						})
					}
				}
			})
		}
	}
}

// streamBytes is what one iteration moves; streamChunk the by-hand chunk.
const (
	streamBytes = 256 << 20
	warmBytes   = 16 << 20
	streamChunk = 64 << 10
	// streamWriteQueue is the sessions' write queue (WithWriteQueue): the
	// default, 8 MiB, alone would hold half the heap budget in encoded
	// chunks waiting for the writer (and as much again in its batch).
	streamWriteQueue = 1 << 20
	// streamSendQueue is the transports' send queue, in batches of up to
	// streamWriteQueue bytes (wsconn and rawsocket Options.SendQueue; by
	// default 16, which over WebSocket holds up to 16 MiB more).
	streamSendQueue = 1
)

// dialKit joins the kit router at url with the codec alone offered, its
// transport's send queue at streamSendQueue batches.
func dialKit(tb testing.TB, url string, cd codec.Codec) *client.Client {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var t protocol.Transport
	var err error
	if strings.HasPrefix(url, "ws") {
		t, err = wsconn.Dial(ctx, url, &wsconn.Options{Codecs: []codec.Codec{cd}, SendQueue: streamSendQueue})
	} else {
		t, err = rawsocket.Dial(ctx, url, &rawsocket.Options{Codecs: []codec.Codec{cd}, SendQueue: streamSendQueue})
	}
	if err != nil {
		tb.Fatalf("Dial %s: %v", url, err)
	}
	c, err := client.Connect(ctx, t, realm, client.WithSerializers(cd), client.WithWriteQueue(streamWriteQueue))
	if err != nil {
		tb.Fatalf("Connect %s: %v", url, err)
	}
	return c
}

// patternBlock is the bytes every stream repeats.
var patternBlock = func() []byte {
	b := make([]byte, streamChunk)
	for i := range b {
		b[i] = byte(i*31 + 7)
	}
	return b
}()

// patternReader yields left bytes of patternBlock, repeated, copying no
// more than a memmove per Read (the by-hand variants send patternBlock
// itself).
type patternReader struct{ left int }

func (r *patternReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.left)], patternBlock)
	r.left -= n
	return n, nil
}

func registerStreamProcs(tb testing.TB, c *client.Client) {
	tb.Helper()
	ctx := context.Background()
	chunk := patternBlock
	regs := []error{}
	_, err := c.RegisterStream(ctx, "bench.stream.sink", func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
		n, err := io.Copy(io.Discard, in)
		return client.Result{Args: protocol.List{n}}, err
	})
	regs = append(regs, err)
	_, err = c.RegisterStream(ctx, "bench.stream.source", func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
		var total int
		if err := inv.Decode(&total); err != nil {
			return client.Result{}, err
		}
		n, err := io.CopyBuffer(out, &patternReader{left: total}, make([]byte, streamChunk))
		return client.Result{Args: protocol.List{n}}, err
	})
	regs = append(regs, err)
	_, err = c.Register(ctx, "bench.hand.source", func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		var total int
		if err := inv.Decode(&total); err != nil {
			return client.Result{}, err
		}
		for n := 0; n < total; n += len(chunk) {
			if err := inv.SendProgress(ctx, protocol.List{chunk}, nil); err != nil {
				return client.Result{}, err
			}
		}
		return client.Result{Args: protocol.List{total}}, nil
	})
	regs = append(regs, err)
	for _, err := range regs {
		if err != nil {
			tb.Fatal(err)
		}
	}
}

// streamMovers move n bytes (a multiple of streamChunk) once with the
// caller c.
var streamMovers = map[string]func(c *client.Client, n int) error{
	"up/stream": func(c *client.Client, n int) error {
		call := c.CallStream(context.Background(), "bench.stream.sink", &patternReader{left: n})
		return checkMoved(call.Await(context.Background()))(n)
	},
	"up/byhand": func(c *client.Client, total int) error {
		ctx := context.Background()
		call := c.Call(ctx, "bench.stream.sink", nil, nil, client.ProgressiveInputs(), client.ReceiveProgress())
		chunk := patternBlock
		for n := 0; n < total; n += len(chunk) {
			if err := call.SendInput(ctx, protocol.List{chunk}, nil); err != nil {
				return err
			}
		}
		if err := call.FinishInput(ctx, nil, nil); err != nil {
			return err
		}
		return checkMoved(call.Await(ctx))(total)
	},
	"down/stream": func(c *client.Client, total int) error {
		call := c.Call(context.Background(), "bench.stream.source", protocol.List{total}, nil, client.ReceiveProgress(),
			client.ProgressBuffer(16))
		n, err := io.Copy(io.Discard, call.Reader())
		if err != nil {
			return err
		}
		if n != int64(total) {
			return fmt.Errorf("read %d bytes", n)
		}
		return checkMoved(call.Await(context.Background()))(total)
	},
	"down/byhand": func(c *client.Client, total int) error {
		call := c.Call(context.Background(), "bench.hand.source", protocol.List{total}, nil, client.ReceiveProgress(),
			client.ProgressBuffer(16))
		n := 0
		for res := range call.Results() {
			if res.Err != nil {
				return res.Err
			}
			if res.Progress {
				b, _ := res.Args[0].([]byte)
				n += len(b)
			}
		}
		if n != total {
			return fmt.Errorf("read %d bytes", n)
		}
		return nil
	},
}

// checkMoved checks that a final result reports n bytes moved.
func checkMoved(res client.Result, err error) func(n int) error {
	return func(n int) error {
		if err != nil {
			return err
		}
		if len(res.Args) != 1 || res.Args[0] != int64(n) {
			return fmt.Errorf("moved %v, want %d bytes", res.Args, n)
		}
		return nil
	}
}

// measureStream runs move b.N times and reports MB/s and the peak growth
// of the live heap.
func measureStream(b *testing.B, move func() error) {
	runtime.GC()
	base, baseLive := liveHeap()
	var peak, peakLive atomic.Uint64
	stop, sampled := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(sampled)
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				h, l := liveHeap()
				if h > peak.Load() {
					peak.Store(h)
				}
				if l > peakLive.Load() {
					peakLive.Store(l)
				}
			}
		}
	}()
	b.SetBytes(streamBytes)
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		if err := move(); err != nil {
			b.Fatal(err)
		}
	}
	elapsed := time.Since(start)
	b.StopTimer()
	close(stop)
	<-sampled
	growth := int64(peak.Load()) - int64(base)
	growthLive := int64(peakLive.Load()) - int64(baseLive)
	b.ReportMetric(float64(streamBytes)*float64(b.N)/elapsed.Seconds()/1e6, "MB/s")
	b.ReportMetric(float64(max(growth, 0))/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(max(growthLive, 0))/(1<<20), "peak-live-MiB")
}

// liveHeap returns the heap's object bytes, garbage not yet collected
// included, and the live heap as the last GC marked it (runtime/metrics:
// no stop of the world).
func liveHeap() (heap, live uint64) {
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}, {Name: "/gc/heap/live:bytes"}}
	metrics.Read(s)
	return s[0].Value.Uint64(), s[1].Value.Uint64()
}
