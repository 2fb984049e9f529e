// Package bench measures wampgo's client over a loopback WebSocket against
// a raw-WebSocket baseline built on the same library (coder/websocket).
//
// Run it with
//
//	go test -run='^$' -bench=. -benchmem -benchtime=2s ./internal/perf/bench/
//
// (make bench runs every package's benchmarks with the default benchtime).
//
// # What is measured
//
// BenchmarkCall/<codec>/c=<N>/<variant> runs b.N calls with a payload of
// three small arguments (42, "hello, world", 3.25) on exactly N goroutines
// sharing ONE connection: each goroutine takes the next call from a shared
// counter and records the call's latency. The variants are:
//
//   - wampgo: client.Call(...).Await on one client session, against the
//     bench Router (server.go), an in-process WAMP peer that answers CALL
//     with RESULT echoing the arguments (dealer and callee in one: it
//     measures the client, not a router's routing).
//   - raw: the same exchange without WAMP: RawClient (raw.go) encodes the
//     list [id, args...] with the format's usual Go library (encoding/json,
//     vmihailenco/msgpack, fxamacker/cbor) in the calling goroutine, writes
//     it under a mutex, and one reader goroutine decodes each reply and
//     hands it by id (mutex and map) to the waiting call's channel; the
//     EchoServer writes every message back unchanged.
//   - wampgo-extsrv and raw-extsrv: the same, with the server in a child
//     process (the test binary re-executed with ExternalEnv set).
//
// Each reports calls/s (b.N over the wall time of the run), p50-µs and
// p99-µs (nearest-rank percentiles of the per-call latencies, queueing
// included: at c=128 a call waits behind up to 127 others), cpu-µs/op (the
// process's user and system CPU time per call, from getrusage; not on
// non-Unix systems) and, from -benchmem, B/op and allocs/op. ns/op is
// 1e9 / (calls/s). The wampgo variants also report writes/msg: the write
// system calls the client's connection made per WAMP message it wrote
// (wsconn.Conn.WriteStats), which shows how well its writer batches.
//
// Allocation counts are process-wide (runtime.MemStats): in the wampgo and
// raw variants they include the in-process server's work for the call (the
// bench router decodes CALL and encodes RESULT, the echo server only copies
// bytes), so they overstate the client's share; so does cpu-µs/op. The
// -extsrv variants are the client-only measure: their process holds nothing
// but the client and the benchmark loop, which allocates nothing per call.
// Profiles taken with -cpuprofile likewise show only the client in the
// -extsrv variants (the child process is not profiled).
//
// BenchmarkEvents/<codec> publishes b.N events (the same payload) from one
// client session to a topic that one other session subscribes to, through
// the in-process bench router; one publication in 1024, and the last, ask
// for acknowledgement, the others do not. The subscription's overflow
// policy is Block, so no event is dropped; the clock stops when the handler
// has seen the b.N-th event. It reports events/s, cpu-µs/op, B/op and
// allocs/op (all three sessions' work: publisher, router, subscriber).
//
// BenchmarkTransport/<codec>/c=<N>/<transport> runs the wampgo variant's
// calls over WebSocket (ws://, package wsconn) and over RawSocket (rs://,
// internal/transport/rawsocket) to the same in-process bench router, and adds
// writes/msg: the write calls on the client's network connection per
// message it sent, counted by a net.Conn wrapper (below 1 when the writer
// batched messages into one write). Compare the two rows of a codec and
// concurrency: the ratios of calls/s and cpu-µs/op are the cost of the
// transport.
//
// BenchmarkSubscribe, BenchmarkRegister and BenchmarkRestore (scale_test.go)
// measure how the cost of one subscription or registration, the memory of
// an idle subscription and the restore after a reconnect grow with their
// number (1k, 10k, 50k), in memory against a responder that answers at
// once.
//
// BenchmarkIdleSessions/<ws|rs>/n=N (idle_test.go) joins N idle sessions
// to the test kit's router in a child process (StartKitRouter) and reports the
// goroutines, heap+stack and RSS each costs, and the wall and CPU time of
// one join and one close; make bench-idle runs it alone.
//
// BenchmarkCallSide/<caller|callee|both>/<codec>/<ws|rs>/c=N
// (callside_test.go) measures each side of a call round trip alone: this
// process holds the caller's session (caller), the callee's (callee) or
// both (both); the test kit's router, and the other side's session, run in
// a child process (StartCallPeer). Its allocs/op, B/op and cpu-µs/op are
// those of one side; both is the process to profile for the client's whole
// share of a round trip through a real router.
//
// BenchmarkFanOut/<ws|rs>/n=N (fanout_test.go) publishes from one session
// to N subscriber sessions (MessagePack) through the test kit's router in a
// child process, and reports cpu-µs/delivery, B/delivery, allocs/delivery,
// reads/delivery and deliveries/s. N is 1000 by default;
// WAMPGO_BENCH_FANOUT_N sets it (4000 is the figure).
//
// The child processes of BenchmarkCallSide and BenchmarkFanOut run the
// binary WAMPGO_BENCH_PEER_EXE names (default: the test binary itself). To
// compare two builds, build both test binaries (the baseline with these
// benchmark files copied in), point WAMPGO_BENCH_PEER_EXE of both at one
// of them, and run them alternately: the router's work is then the same in
// every run.
//
// # Reading the ratio
//
// The figure of merit is
//
//	ratio = calls/s of BenchmarkCall/<codec>/c=128/wampgo
//	      ÷ calls/s of BenchmarkCall/<codec>/c=128/raw
//
// the share of a hand-written WebSocket client's throughput that wampgo
// keeps under load on one session. The project's target is a ratio of at
// least 0.7 for every codec. Below that, the client's own costs dominate:
// profile the -extsrv variant, for example
//
//	go test -run='^$' -bench='Call/json/c=128/wampgo-extsrv' -benchtime=3s \
//	    -cpuprofile=cpu.out ./internal/perf/bench/ && go tool pprof -top bench.test cpu.out
//
// Keep in mind when comparing:
//
//   - The baseline's server does less: the echo server copies bytes, while
//     the bench router decodes, validates, and encodes a new message, on one
//     extra goroutine. In the in-process variants that work shares the CPUs
//     with the client and lowers wampgo's figure somewhat; the -extsrv
//     ratio shows the same effect across processes on the same machine.
//   - The baseline's codecs are the generic libraries; wampgo's codecs are
//     its own. A faster or slower codec moves the ratio for that format.
//   - WAMP messages carry more than [id, args]: a CALL also has its type,
//     an options dict and the procedure URI; a RESULT a details dict.
//   - Results are sensitive to the machine: with few cores, client and
//     server goroutines compete for them, and other load on the machine
//     moves calls/s a lot (cpu-µs/op less so). On a shared machine, run
//     with -count, or alternate short runs of the two variants, and compare
//     medians. When the CPUs are the bottleneck, the ratio of the -extsrv
//     variants' cpu-µs/op (raw ÷ wampgo) is a steadier proxy for the
//     throughput ratio.
//
// # Streams
//
// BenchmarkStream/<ws|rs>/<codec>/<up|down>/<stream|byhand> moves 256 MiB
// through the test kit's router (wamptest, in a child process) with
// CallStream, Call.Reader and RegisterStream, and the same 64 KiB chunks
// with SendInput or SendProgress by hand as the baseline, in the same run;
// it reports MB/s, peak-heap-MiB (the largest growth of the heap's object
// bytes, garbage not yet collected included) and peak-live-MiB (the largest
// growth of the live heap the GC marked). Its sessions use a 1 MiB write
// queue (WithWriteQueue) and a transport send queue of one batch (the
// transports' default, 16 batches, would let a WebSocket session hold up
// to 16 write queues more). make bench runs it once (-benchtime=1x); with
// MB/s this noisy on a shared machine, use -count and compare medians.
package bench
