package codec_test

import (
	"fmt"
	"os"
	"runtime"
	"slices"
	"syscall"
	"testing"

	"github.com/fxamacker/cbor/v2"
	jsonv2 "github.com/go-json-experiment/json"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// benchPayloads returns the small payload (3 arguments) and one of about
// 4 KiB in JSON: a list of records, the shape of a typical RPC result.
func benchPayloads() map[string]protocol.Payload {
	records := make([]any, 0, 32)
	for i := range 32 {
		records = append(records, map[string]any{
			"id":     int64(1000000 + i),
			"name":   fmt.Sprintf("sensor-%03d", i),
			"value":  float64(i) * 1.25,
			"ok":     i%3 != 0,
			"tags":   []any{"alpha", "beta"},
			"serial": uint64(1<<63 + uint64(i)),
		})
	}
	return map[string]protocol.Payload{
		"small": {Args: []any{int64(42), "hello, world", 3.25}},
		"4k": {Args: []any{records, int64(32)},
			Kwargs: map[string]any{"page": int64(1), "more": false, "cursor": "c3VyZS4uLg"}},
	}
}

type benchCase struct {
	name string
	msg  protocol.Message
}

func benchCases() []benchCase {
	var cases []benchCase
	for _, size := range []string{"small", "4k"} {
		p := benchPayloads()[size]
		cases = append(cases,
			benchCase{"call-" + size, &protocol.Call{Request: 7814135, Options: protocol.Dict{"timeout": int64(1000)},
				Procedure: "com.example.sensors.read", Payload: p}},
			benchCase{"result-" + size, &protocol.Result{Request: 7814135, Details: protocol.Dict{}, Payload: p}},
			benchCase{"event-" + size, &protocol.Event{Subscription: 5512315355, Publication: 4429313566,
				Details: protocol.Dict{"topic": "com.example.sensors"}, Payload: p}},
		)
	}
	return cases
}

// uniqueCorpus returns 512 encodings of 4 KiB RESULT messages whose
// string values all differ from message to message (the keys repeat, as
// they do in real traffic), so that no decoder cache can serve them.
func uniqueCorpus(c codec.Codec) [][]byte {
	var out [][]byte
	for m := range 512 {
		records := make([]any, 0, 32)
		for i := range 32 {
			records = append(records, map[string]any{
				"id": int64(m*1000 + i), "name": fmt.Sprintf("sensor-%03d-%05d", i, m),
				"value": float64(i) * 1.25, "ok": i%3 != 0,
				"tags": []any{fmt.Sprintf("a%d", m), fmt.Sprintf("b%d", i)}, "serial": uint64(1<<63 + uint64(i)),
			})
		}
		msg := &protocol.Result{Request: protocol.ID(m + 1), Details: protocol.Dict{},
			Payload: protocol.Payload{Args: []any{records, int64(32)}}}
		data, err := c.Encode(msg)
		if err != nil {
			panic(err)
		}
		out = append(out, data)
	}
	return out
}

// BenchmarkDecodeUnique is BenchmarkDecode's result-4k row over messages
// whose strings never repeat.
func BenchmarkDecodeUnique(b *testing.B) {
	for _, c := range codecs {
		corpus := uniqueCorpus(c)
		for _, side := range []string{"ours", "generic"} {
			b.Run(c.Name()+"/result-4k-unique/"+side, func(b *testing.B) {
				gen := generic(c.Name())
				b.SetBytes(int64(len(corpus[0])))
				b.ReportAllocs()
				i := 0
				for b.Loop() {
					data := corpus[i%len(corpus)]
					i++
					var err error
					if side == "ours" {
						_, err = c.Decode(data)
					} else {
						err = gen(data)
					}
					if err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// generic decodes data with the library's generic decode into any: for
// JSON, that of the library jsontext belongs to (encoding/json/v2 to be).
func generic(name string) func(data []byte) error {
	switch name {
	case "json":
		return func(data []byte) error { var v any; return jsonv2.Unmarshal(data, &v) }
	case "msgpack":
		return func(data []byte) error { var v any; return msgpack.Unmarshal(data, &v) }
	case "cbor":
		return func(data []byte) error { var v any; return cbor.Unmarshal(data, &v) }
	}
	panic(name)
}

func BenchmarkEncode(b *testing.B) {
	for _, c := range codecs {
		for _, bc := range benchCases() {
			b.Run(c.Name()+"/"+bc.name, func(b *testing.B) {
				data, err := c.Encode(bc.msg)
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := c.Encode(bc.msg); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkDecode compares ours (bytes to a validated message) with the
// library's generic decode of the same bytes into any.
func BenchmarkDecode(b *testing.B) {
	for _, c := range codecs {
		for _, bc := range benchCases() {
			data, err := c.Encode(bc.msg)
			if err != nil {
				b.Fatal(err)
			}
			if err := generic(c.Name())(data); err != nil {
				b.Fatalf("%s: generic decode: %v", c.Name(), err)
			}
			b.Run(c.Name()+"/"+bc.name+"/ours", func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := c.Decode(data); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run(c.Name()+"/"+bc.name+"/generic", func(b *testing.B) {
				dec := generic(c.Name())
				b.SetBytes(int64(len(data)))
				b.ReportAllocs()
				for b.Loop() {
					if err := dec(data); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// TestDecodeCostRatio measures ours/generic decode cost in alternating
// rounds, counting the process's CPU time (user and system, GC included)
// rather than wall time: on a shared machine other processes' load then
// barely moves the ratio. It runs only with WAMPGO_BENCH_RATIO=1 and prints
// one line per row.
func TestDecodeCostRatio(t *testing.T) {
	if os.Getenv("WAMPGO_BENCH_RATIO") != "1" {
		t.Skip("set WAMPGO_BENCH_RATIO=1 to measure")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	const rounds = 21
	for _, c := range codecs {
		for _, bc := range benchCases() {
			data, err := c.Encode(bc.msg)
			if err != nil {
				t.Fatal(err)
			}
			gen := generic(c.Name())
			ours := func() error { _, err := c.Decode(data); return err }
			// Iterations for about 20 ms of CPU per side and round.
			n := max(1, int(20e6/cpuPerOp(t, ours, 200)))
			var ratios, oursNs, genNs []float64
			for range rounds {
				o, g := cpuPerOp(t, ours, n), cpuPerOp(t, func() error { return gen(data) }, n)
				ratios, oursNs, genNs = append(ratios, o/g), append(oursNs, o), append(genNs, g)
			}
			printRatio(c.Name(), bc.name, ratios, oursNs, genNs)
		}
		corpus := uniqueCorpus(c)
		gen := generic(c.Name())
		var i, j int
		ours := func() error { i++; _, err := c.Decode(corpus[i%len(corpus)]); return err }
		theirs := func() error { j++; return gen(corpus[j%len(corpus)]) }
		n := max(1, int(20e6/cpuPerOp(t, ours, 200)))
		var ratios, oursNs, genNs []float64
		for range rounds {
			o, g := cpuPerOp(t, ours, n), cpuPerOp(t, theirs, n)
			ratios, oursNs, genNs = append(ratios, o/g), append(oursNs, o), append(genNs, g)
		}
		printRatio(c.Name(), "result-4k-unique", ratios, oursNs, genNs)
	}
}

func printRatio(name, row string, ratios, oursNs, genNs []float64) {
	slices.Sort(ratios)
	slices.Sort(oursNs)
	slices.Sort(genNs)
	n := len(ratios)
	fmt.Printf("ratio %-8s %-17s ours %8.0f ns  generic %8.0f ns  ratio median %.2f (p25 %.2f, p75 %.2f)\n",
		name, row, oursNs[n/2], genNs[n/2], ratios[n/2], ratios[n/4], ratios[3*n/4])
}

// cpuPerOp runs f n times and returns the process CPU nanoseconds per run.
func cpuPerOp(t *testing.T, f func() error, n int) float64 {
	runtime.GC()
	start := cpuTime(t)
	for range n {
		if err := f(); err != nil {
			t.Fatal(err)
		}
	}
	return float64(cpuTime(t)-start) / float64(n)
}

func cpuTime(t *testing.T) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
