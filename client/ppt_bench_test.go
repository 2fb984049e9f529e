//go:build unix

package client_test

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/e2ee"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// pptBenchModes are the ways a payload travels, plain first: the baseline
// of the same run.
var pptBenchModes = []struct {
	name string
	opt  func(keyID string) []client.PassthruOption
}{
	{"plain", func(string) []client.PassthruOption { return nil }},
	{"passthru-cbor", func(string) []client.PassthruOption {
		return []client.PassthruOption{client.WithPassthru(client.Passthru{Scheme: "x_bench", Serializer: "cbor"})}
	}},
	{"xsalsa20poly1305", func(id string) []client.PassthruOption {
		return []client.PassthruOption{client.Encrypted(e2ee.XSalsa20Poly1305, id)}
	}},
	{"aes256gcm", func(id string) []client.PassthruOption {
		return []client.PassthruOption{client.Encrypted(e2ee.AES256GCM, id)}
	}},
}

var pptBenchSizes = []int{100, 1 << 10, 16 << 10, 64 << 10}

// BenchmarkPassthru measures a call (caller → router → callee and back)
// and an event (publisher → router → subscriber) through the test kit's
// router over a CBOR pipe, plain and in payload passthru mode, encrypted
// or not, for payloads of 100 B to 64 KiB: one op is one message's round
// trip. Besides the wall time per op (a latency, which a busy machine
// stretches), cpu-ns/op is the process's CPU time per op (user + system,
// from getrusage): every goroutine of both clients and the router.
// Compare the modes of one run.
func BenchmarkPassthru(b *testing.B) {
	key := e2ee.GenerateKey()
	ring := e2ee.NewKeyRing(key)
	router := wamptest.NewRouter(wamptest.WithPipeCodec(codec.CBOR()), wamptest.WithoutMessageLog())
	defer router.Close()
	ctx := context.Background()
	connect := func() *client.Client {
		c, err := router.Connect(ctx, "realm1", client.WithKeyRing(ring))
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	callee, caller := connect(), connect()
	defer callee.Close(ctx)
	defer caller.Close(ctx)
	if _, err := callee.Register(ctx, "com.example.echo", func(_ context.Context, inv *client.Invocation) (client.Result, error) {
		return client.Result{Args: inv.Args}, nil
	}); err != nil {
		b.Fatal(err)
	}
	events := make(chan struct{}, 1)
	if _, err := callee.Subscribe(ctx, "com.example.t", func(context.Context, *client.Event) { events <- struct{}{} }); err != nil {
		b.Fatal(err)
	}
	for _, kind := range []string{"Call", "Event"} {
		for _, size := range pptBenchSizes {
			args := protocol.List{make([]byte, size)}
			for _, mode := range pptBenchModes {
				b.Run(fmt.Sprintf("%s/%dB/%s", kind, size, mode.name), func(b *testing.B) {
					var callOpts []client.CallOption
					var pubOpts []client.PublishOption
					for _, o := range mode.opt(key.ID()) {
						callOpts = append(callOpts, o)
						pubOpts = append(pubOpts, o)
					}
					b.SetBytes(int64(size))
					b.ReportAllocs()
					cpu0 := processCPU()
					for b.Loop() {
						if kind == "Call" {
							if _, err := caller.Call(ctx, "com.example.echo", args, nil, callOpts...).Await(ctx); err != nil {
								b.Fatal(err)
							}
							continue
						}
						if _, err := caller.Publish(ctx, "com.example.t", args, nil, pubOpts...); err != nil {
							b.Fatal(err)
						}
						<-events
					}
					b.ReportMetric(float64(processCPU()-cpu0)/float64(b.N), "cpu-ns/op")
				})
			}
		}
	}
}

// processCPU is the CPU time the process has used, user and system.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
