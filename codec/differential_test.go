package codec

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/fxamacker/cbor/v2"

	"github.com/wampgo/wampgo/protocol"
)

// FuzzDifferential decodes the same bytes with the library-based decoders
// and with the hand-written ones they replaced (legacy_test.go) and fails
// on any difference that explainDifference does not account for.
func FuzzDifferential(f *testing.F) {
	for _, s := range []string{
		`[48,1,{},"a.b",["\u0000AA==","\u0000!",1.5,-0,18446744073709551616]]`,
		"\x95\x30\x01\x80\xa3a.b\x91\xd6\xff\x00\x00\x00\x00",
		"\x85\x18\x30\x01\xa0\x63a.b\x81\xd8\x40\x42\x01\x02",
		"\x85\x18\x30\x01\xa0\x63a.b\x81\xc2\x49\x01\x00\x00\x00\x00\x00\x00\x00\x00",
		"\x85\x18\x30\x01\xa0\x63a.b\x81\xc1\x1a\x51\x4b\x67\xb0",
	} {
		for codec := range 3 {
			f.Add(byte(codec), []byte(s))
		}
	}
	// The conformance vectors of the codecs' own fuzz targets.
	for which, target := range []string{"FuzzDecodeJSON", "FuzzDecodeMsgpack", "FuzzDecodeCBOR"} {
		for _, data := range readCorpus(f, filepath.Join("testdata", "fuzz", target)) {
			f.Add(byte(which), data)
		}
	}
	f.Fuzz(func(t *testing.T, which byte, data []byte) {
		name, c, old := differentialPair(which)
		msg, err := c.Decode(data)
		lim := Limits{}.withDefaults()
		want, werr := old(data, &lim)
		if class, ok := explainDifference(name, data, msg, err, want, werr); !ok {
			t.Fatalf("%s %q: new %#v, %v; hand-written %#v, %v", name, data, msg, err, want, werr)
		} else if class != "" {
			t.Logf("%s: %s", name, class)
		}
	})
}

// readCorpus reads the []byte inputs of a fuzz corpus directory.
func readCorpus(t testing.TB, dir string) [][]byte {
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(raw), "\n") {
			if s, ok := strings.CutPrefix(line, "[]byte("); ok {
				if q, err := strconv.Unquote(strings.TrimSuffix(s, ")")); err == nil {
					out = append(out, []byte(q))
				}
			}
		}
	}
	return out
}

// TestDifferentialCorpus replays a corpus that `go test -fuzz
// FuzzDifferential` has grown (in $GOCACHE/fuzz) and prints how many
// inputs agree and each class of difference. It runs only with
// WAMPGO_DIFF_CORPUS set to the corpus directory.
func TestDifferentialCorpus(t *testing.T) {
	dir := os.Getenv("WAMPGO_DIFF_CORPUS")
	if dir == "" {
		t.Skip("set WAMPGO_DIFF_CORPUS to a FuzzDifferential corpus directory")
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*"))
	classes := map[string]int{}
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(string(raw), "\n")
		if len(lines) < 3 {
			continue
		}
		which, err1 := strconv.ParseUint(strings.TrimSuffix(strings.TrimPrefix(lines[1], "byte("), ")"), 0, 8)
		q, err2 := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[2], "[]byte("), ")"))
		if err1 != nil || err2 != nil {
			q2, err3 := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "byte("), ")"))
			if err3 != nil || err2 != nil || q2 == "" {
				t.Fatalf("%s: %v %v %v", file, err1, err2, err3)
			}
			which = uint64([]rune(q2)[0])
		}
		name, c, old := differentialPair(byte(which))
		data := []byte(q)
		msg, err := c.Decode(data)
		lim := Limits{}.withDefaults()
		want, werr := old(data, &lim)
		class, ok := explainDifference(name, data, msg, err, want, werr)
		switch {
		case !ok:
			t.Errorf("%s %q: unexplained: new %v; hand-written %v", name, data, err, werr)
		case class == "" && err == nil:
			class = "same message"
		case class == "":
			class = "both refuse, same cause"
		}
		if classes[name+": "+class] == 0 && os.Getenv("WAMPGO_DIFF_EXAMPLES") != "" {
			fmt.Printf("example %s: %s: %q\n\tnew: %v\n\thand-written: %v\n", name, class, data, err, werr)
		}
		classes[name+": "+class]++
	}
	keys := slices.Sorted(maps.Keys(classes))
	for _, k := range keys {
		fmt.Printf("differential %-70s %6d\n", k, classes[k])
	}
}

func differentialPair(which byte) (string, Codec, func([]byte, *Limits) (protocol.Message, error)) {
	switch which % 3 {
	case 0:
		return "json", JSON(), legacyDecodeJSON
	case 1:
		return "msgpack", MsgPack(), legacyDecodeMsgpack
	}
	return "cbor", CBOR(), legacyDecodeCBOR
}

// explainDifference returns ok when the two decodings agree, or differ in
// a way the change of decoder intends; class names the difference.
func explainDifference(name string, data []byte, msg protocol.Message, err error, want protocol.Message, werr error) (class string, ok bool) {
	switch {
	case err == nil && werr == nil:
		return "", sameMessage(msg, want)
	case err != nil && werr != nil:
		// Both refuse. Input malformed in several ways may be refused for
		// different causes: the libraries report the first fault in
		// reading order, the hand-written decoders checked some (a
		// declared length against the input, the type of the first byte)
		// before reading on.
		c, wc := causeOf(err), causeOf(werr)
		if c == "validation" && wc != "validation" {
			// The new decoder read bytes that the hand-written one refused.
			class, ok := explainAccepted(name, data, werr)
			return class + " (then invalid)", ok
		}
		if c != wc {
			return "cause " + wc + " -> " + c, true
		}
		return "", true
	case err == nil:
		return explainAccepted(name, data, werr)
	}
	return "", false
}

// causeOf names the sentinel an error wraps.
func causeOf(err error) string {
	if ve := (*protocol.ValidationError)(nil); errors.As(err, &ve) {
		return "validation"
	}
	for _, c := range []struct {
		name string
		err  error
	}{
		{"truncated", ErrTruncated}, {"too-deep", ErrTooDeep}, {"trailing", ErrTrailingData},
		{"utf8", ErrInvalidUTF8}, {"duplicate", errDuplicateKey},
	} {
		if errors.Is(err, c.err) {
			return c.name
		}
	}
	return "other"
}

// explainAccepted accounts for input that only the new decoder accepts.
func explainAccepted(name string, data []byte, werr error) (string, bool) {
	switch {
	case name == "cbor" && refusedWithoutTags(data):
		return "accepted: CBOR tag", true
	case name == "json" && bytes.Contains(data, []byte(`\u0000`)) && errors.Is(werr, legacyErrJSONBase64):
		return "accepted: JSON NUL-led text that is not base64", true
	}
	return "", false
}

// refusedWithoutTags reports whether the library refuses data for a tag
// when tags are forbidden: the tag is then what made it acceptable.
func refusedWithoutTags(data []byte) bool {
	lim := Limits{}.withDefaults()
	f := newCBORFormat(lim)
	simple, _ := cbor.NewSimpleValueRegistryFromDefaults(rejectedSimple)
	opts := cborDecOptions(lim, simple)
	opts.TagsMd = cbor.TagsForbidden
	f.dm, _ = opts.DecMode()
	_, err := f.decode(data)
	return err != nil && strings.Contains(err.Error(), "tag")
}

// sameMessage compares decoded messages, a NaN being equal to a NaN.
func sameMessage(a, b protocol.Message) bool {
	if reflect.DeepEqual(a, b) {
		return true
	}
	return hasNaN(reflect.ValueOf(a)) && bytesOf(a) != nil && bytes.Equal(bytesOf(a), bytesOf(b))
}

func bytesOf(m protocol.Message) []byte {
	b, _ := MsgPack().Encode(m)
	return b
}

func hasNaN(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Float64:
		return math.IsNaN(v.Float())
	case reflect.Interface, reflect.Pointer:
		return !v.IsNil() && hasNaN(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if hasNaN(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			if hasNaN(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		for it := v.MapRange(); it.Next(); {
			if hasNaN(it.Value()) {
				return true
			}
		}
	}
	return false
}

// TestDifferentialValues encodes random messages of every value kind with
// the new encoders and the hand-written ones: the bytes must be equal,
// and both decoders must read them back as the same message, but for the
// differences that explainEncoding accounts for.
func TestDifferentialValues(t *testing.T) {
	n := 3000
	if s := os.Getenv("WAMPGO_DIFF_VALUES"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	classes := map[string]int{}
	for i := range n {
		msg := &protocol.Call{Request: protocol.ID(rng.Uint64N(uint64(protocol.MaxID)) + 1), Options: protocol.Dict{},
			Procedure: "com.example.proc", Payload: protocol.Payload{
				Args: randomList(rng, 3), Kwargs: randomDict(rng, 3)}}
		for which := range 3 {
			name, c, oldDecode := differentialPair(byte(which))
			data, err := c.Encode(msg)
			old, oerr := legacyEncode(name, msg)
			if class, ok := explainEncoding(name, data, err, old, oerr); !ok {
				t.Fatalf("message %d: %s: new %q, %v; hand-written %q, %v", i, name, data, err, old, oerr)
			} else if class != "" {
				classes[name+": "+class]++
			}
			if err != nil {
				continue
			}
			got, err := c.Decode(data)
			lim := Limits{}.withDefaults()
			want, werr := oldDecode(data, &lim)
			class, ok := explainDifference(name, data, got, err, want, werr)
			if !ok {
				t.Fatalf("message %d: %s %q: new %#v, %v; hand-written %#v, %v", i, name, data, got, err, want, werr)
			}
			if class == "" {
				class = "same message"
			}
			classes[name+": decode: "+class]++
		}
	}
	for _, k := range slices.Sorted(maps.Keys(classes)) {
		t.Logf("%-60s %6d", k, classes[k])
	}
}

// legacyEncode encodes msg with the hand-written encoder of the codec name.
func legacyEncode(name string, msg protocol.Message) ([]byte, error) {
	l, err := protocol.ToList(msg)
	if err != nil {
		return nil, err
	}
	// As the hand-written Encode did: into the pooled buffer, then copied.
	e := legacyGetEncoder(DefaultMaxDepth)
	defer legacyPutEncoder(e)
	var b []byte
	switch name {
	case "json":
		b, err = legacyAppendJSON(e, e.buf[:0], l)
	case "msgpack":
		b, err = legacyAppendMsgpack(e, e.buf[:0], l)
	default:
		b, err = legacyAppendCBOR(e, e.buf[:0], l)
	}
	e.buf = b[:0]
	if err != nil {
		return nil, err
	}
	return slices.Clone(b), nil
}

// explainEncoding returns ok when the two encodings are equal, or differ
// in a way the change of encoder intends; class names the difference.
func explainEncoding(name string, data []byte, err error, old []byte, oerr error) (string, bool) {
	switch {
	case err != nil && oerr != nil:
		return "encode: both refuse", true
	case err == nil && oerr == nil && bytes.Equal(data, old):
		return "encode: same bytes", true
	case err == nil && oerr == nil && name == "json" &&
		string(data) == strings.NewReplacer(`\u0008`, `\b`, `\u000c`, `\f`).Replace(string(old)):
		return `encode: \b and \f written short (jsontext)`, true
	case err == nil && name == "json" && errors.Is(oerr, ErrUnsupportedValue) && bytes.Contains(data, []byte(`"\u0000`)):
		return "encode: NUL-led text that is not base64 now encodes", true
	}
	return "", false
}

// randomValue returns a value of the closed set, biased to edge cases.
func randomValue(rng *rand.Rand, depth int) any {
	switch k := rng.IntN(12); {
	case k == 0 && depth > 0:
		return randomList(rng, depth-1)
	case k == 1 && depth > 0:
		return randomDict(rng, depth-1)
	case k == 2:
		return []any{nil, true, false}[rng.IntN(3)]
	case k == 3:
		return []int64{0, -1, 23, 24, -24, -25, 127, 128, 255, 256, -33, 65535, 65536, math.MaxInt32, math.MinInt32,
			math.MaxUint32, math.MaxInt64, math.MinInt64, 1 << 53, rng.Int64(), -rng.Int64()}[rng.IntN(21)]
	case k == 4:
		return []uint64{1 << 63, math.MaxUint64, 1<<63 + rng.Uint64N(1<<63)}[rng.IntN(3)]
	case k == 5:
		return []float64{0, math.Copysign(0, -1), 1, -1.5, 1e21, 1e-7, 1e20, math.MaxFloat64, 5e-324, 0.1,
			rng.NormFloat64() * 1e10, math.Float64frombits(rng.Uint64())}[rng.IntN(12)]
	case k == 6:
		b := make([]byte, rng.IntN(6))
		for i := range b {
			b[i] = byte(rng.IntN(256))
		}
		return b
	}
	return randomString(rng)
}

func randomString(rng *rand.Rand) string {
	parts := []string{"a", "é", "😀", "\x00", "\n", "\t", "\b", "\f", "\x01", "\x1f", "\x7f", "\"", "\\", "/",
		"<", "&", "\u2028", "\ufffd", "AA==", "AAEC", "=", "abc"}
	var sb strings.Builder
	for range rng.IntN(5) {
		sb.WriteString(parts[rng.IntN(len(parts))])
	}
	return sb.String()
}

func randomList(rng *rand.Rand, depth int) []any {
	l := make([]any, rng.IntN(4))
	for i := range l {
		l[i] = randomValue(rng, depth)
	}
	return l
}

func randomDict(rng *rand.Rand, depth int) map[string]any {
	m := map[string]any{}
	for range rng.IntN(4) {
		m[randomString(rng)] = randomValue(rng, depth)
	}
	return m
}

// TestEncodeCostRatio measures the CPU time of Encode against the
// hand-written encoders it replaced, in alternating rounds, on the
// messages of bench_test.go. It runs only with WAMPGO_BENCH_RATIO=1.
func TestEncodeCostRatio(t *testing.T) {
	if os.Getenv("WAMPGO_BENCH_RATIO") != "1" {
		t.Skip("set WAMPGO_BENCH_RATIO=1 to measure")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	records := make([]any, 0, 32)
	for i := range 32 {
		records = append(records, map[string]any{"id": int64(1000000 + i), "name": fmt.Sprintf("sensor-%03d", i),
			"value": float64(i) * 1.25, "ok": i%3 != 0, "tags": []any{"alpha", "beta"}, "serial": uint64(1<<63 + uint64(i))})
	}
	payloads := map[string]protocol.Payload{
		"small": {Args: []any{int64(42), "hello, world", 3.25}},
		"4k": {Args: []any{records, int64(32)},
			Kwargs: map[string]any{"page": int64(1), "more": false, "cursor": "c3VyZS4uLg"}},
	}
	for which := range 3 {
		name, c, _ := differentialPair(byte(which))
		for _, size := range []string{"small", "4k"} {
			p := payloads[size]
			for _, m := range []struct {
				row string
				msg protocol.Message
			}{
				{"call-" + size, &protocol.Call{Request: 7814135, Options: protocol.Dict{"timeout": int64(1000)},
					Procedure: "com.example.sensors.read", Payload: p}},
				{"result-" + size, &protocol.Result{Request: 7814135, Details: protocol.Dict{}, Payload: p}},
				{"event-" + size, &protocol.Event{Subscription: 5512315355, Publication: 4429313566,
					Details: protocol.Dict{"topic": "com.example.sensors"}, Payload: p}},
			} {
				ours := func() { _, _ = c.Encode(m.msg) }
				old := func() { _, _ = legacyEncode(name, m.msg) }
				n := max(1, int(20e6/cpuPerRun(ours, 200)))
				var ratios, on, hn []float64
				for range 21 {
					o, h := cpuPerRun(ours, n), cpuPerRun(old, n)
					ratios, on, hn = append(ratios, o/h), append(on, o), append(hn, h)
				}
				slices.Sort(ratios)
				slices.Sort(on)
				slices.Sort(hn)
				fmt.Printf("encode %-8s %-13s new %7.0f ns  hand-written %7.0f ns  ratio median %.2f (p25 %.2f, p75 %.2f)\n",
					name, m.row, on[10], hn[10], ratios[10], ratios[5], ratios[15])
			}
		}
	}
}

// cpuPerRun runs f n times and returns the process CPU nanoseconds per run.
func cpuPerRun(f func(), n int) float64 {
	runtime.GC()
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	start := ru.Utime.Nano() + ru.Stime.Nano()
	for range n {
		f()
	}
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()-start) / float64(n)
}
