package codec_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/routertest"
	"github.com/wampgo/wampgo/protocol"
)

// L and D shorten the expected lists and dicts.
type (
	L = []any
	D = map[string]any
)

// The corpus of real peers' encodings: what wampy.js, autobahn-js and
// Autobahn|Python (and msgpack-lite) write for everyday values, generated
// by testdata/peers/encodings.js and encodings.py (see
// TestPeerCorpusIsCurrent).
var peerCorpora = map[string]string{
	"testdata/peer_encodings_js.json": "encodings.js",
	"testdata/peer_encodings_py.json": "encodings.py",
}

type peerSample struct {
	Peer        string `json:"peer"`
	Codec       string `json:"codec"`
	Library     string `json:"library"` // name and version
	Name        string `json:"name"`
	Description string `json:"description"`
	Hex         string `json:"hex"`
	PeerError   string `json:"peer_error"` // the library could not encode it
}

func (s peerSample) lib() string { return strings.Fields(s.Library)[0] }

func loadPeerCorpus(t *testing.T, file string) []peerSample {
	t.Helper()
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var c struct{ Samples []peerSample }
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	if len(c.Samples) == 0 {
		t.Fatalf("%s: no samples", file)
	}
	return c.Samples
}

// peerRecords is records(n) of encodings.js.
func peerRecords(n int) []any {
	out := make([]any, n)
	for i := range out {
		var v any = float64(i) * 1.5
		if i%2 == 0 {
			v = int64(i * 3 / 2) // an integral Number: written as an integer
		}
		out[i] = D{"id": int64(i), "name": fmt.Sprintf("sensor-%d", i), "value": v, "ok": i%2 == 0}
	}
	return out
}

// Expected values of the samples' PUBLISH argument, by sample name, then
// by library where they differ (the default under "").
func peerWants() map[string]map[string]any {
	nan, inf, negZero := math.NaN(), math.Inf(1), math.Copysign(0, -1)
	ints32 := L{int64(65535), int64(65536), int64(2147483647), int64(2147483648), int64(-2147483648),
		int64(-2147483649), int64(4294967295), int64(4294967296)}
	// msgpackr and msgpack-lite write an integral Number outside
	// [-2^31, 2^32) as a float64; cbor-x one outside (-2^32, 2^32).
	ints32Float := append(L{}, ints32...)
	ints32Float[5], ints32Float[7] = -2147483649.0, 4294967296.0
	ints32CBORX := append(L{}, ints32...)
	ints32CBORX[7] = 4294967296.0
	const dateNow = "2023-11-14T22:13:20.123Z"
	const cborNow = "2023-11-14T22:13:20.122999906Z" // dateNow as a float over CBOR
	all := func(v any) map[string]any { return map[string]any{"": v} }
	// msgpack-lite writes a Date as its application extension 13 holding
	// the milliseconds as a MessagePack number: the data as []byte.
	liteDate := func(h string) map[string]any { return map[string]any{"msgpack-lite": mustHex(h)} }
	// cbor-x and node-cbor write a Date with milliseconds as tag 1 on a
	// float64 of seconds, which the library reads to the nanosecond,
	// truncated (see doc.go).
	cborFloat := func(m map[string]any, v any) map[string]any {
		m["cbor-x"], m["cbor"] = v, v
		return m
	}
	with := func(def any, by map[string]any) map[string]any { by[""] = def; return by }
	return map[string]map[string]any{
		"null":            all(nil),
		"true":            all(true),
		"false":           all(false),
		"undefined":       all(L{nil}),
		"undefined-kwarg": with(D{"a": nil, "b": int64(1)}, map[string]any{"msgpack5": D{"b": int64(1)}}),
		"zero":            all(int64(0)),
		"negative-zero":   with(int64(0), map[string]any{"cbor": negZero, "msgpack": negZero, "umsgpack": negZero, "json": negZero}),
		"int-small": all(L{int64(1), int64(-1), int64(127), int64(128), int64(-32), int64(-33), int64(255),
			int64(256), int64(-129)}),
		"int-32":            with(ints32, map[string]any{"msgpackr": ints32Float, "msgpack-lite": ints32Float, "cbor-x": ints32CBORX}),
		"max-safe-integer":  with(int64(1<<53-1), map[string]any{"msgpackr": float64(1<<53 - 1), "msgpack-lite": float64(1<<53 - 1), "cbor-x": float64(1<<53 - 1)}),
		"min-safe-integer":  with(int64(-(1<<53 - 1)), map[string]any{"msgpackr": -float64(1<<53 - 1), "msgpack-lite": -float64(1<<53 - 1), "cbor-x": -float64(1<<53 - 1)}),
		"two-pow-53":        all(float64(1 << 53)),
		"two-pow-64":        all(float64(1 << 64)),
		"float":             all(1.5),
		"float-tenth":       all(0.1),
		"float-large":       all(1e300),
		"float-tiny":        all(5e-324),
		"nan":               all(nan),
		"infinity":          all(inf),
		"negative-infinity": all(-inf),
		"bigint-small":      all(int64(5)),
		// BigInt: msgpackr writes int64 or uint64 when it fits, cbor-x
		// likewise or (largeBigIntToFloat) a float, node-cbor a bignum.
		"bigint-2-pow-53-plus-1": all(int64(1<<53 + 1)),
		"bigint-max-int64":       all(int64(math.MaxInt64)),
		"bigint-min-int64":       all(int64(math.MinInt64)),
		"bigint-max-uint64":      all(uint64(math.MaxUint64)),
		"bigint-2-pow-64":        all(float64(1 << 64)),
		"bigint-below-min-int64": all(-9223372036854775809.0),
		"date-epoch":             with("1970-01-01T00:00:00Z", liteDate("00")),
		"date-seconds":           with("2023-11-14T22:13:20Z", liteDate("cb4278bcfe56800000")),
		"date-millis":            with("1970-01-01T00:00:01.234Z", liteDate("cd04d2")),
		"date-now":               with(dateNow, cborFloat(liteDate("cb4278bcfe5687b000"), cborNow)),
		"date-2106":              with("2106-02-07T06:28:16Z", liteDate("cb428f400000000000")),
		"date-before-epoch":      with("1969-12-31T23:59:59.999Z", liteDate("ff")),
		"date-1900":              with("1900-01-01T00:00:00Z", liteDate("cbc280128ff1200000")),
		"date-2600":              with("2600-01-01T00:00:00.005Z", cborFloat(liteDate("cb42b214e1ef440500"), "2600-01-01T00:00:00.005001068Z")),
		"date-max":               with("+275760-09-13T00:00:00Z", liteDate("cb433eb208c2dc0000")),
		"date-min":               with("-271821-04-20T00:00:00Z", liteDate("cbc33eb208c2dc0000")),
		// An invalid Date: msgpack5 writes the epoch.
		"date-invalid": with("0001-01-01T00:00:00Z", map[string]any{"msgpack5": "1970-01-01T00:00:00Z",
			"msgpack-lite": mustHex("cb7ff8000000000000")}),
		"date-kwarg":       with(D{"at": dateNow}, cborFloat(map[string]any{"msgpack-lite": D{"at": mustHex("cb4278bcfe5687b000")}}, D{"at": cborNow})),
		"uint8array":       all([]byte{1, 2, 3}),
		"uint8array-empty": all([]byte{}),
		"buffer":           all([]byte{0, 0xff}),
		// msgpack5 writes an ArrayBuffer and typed arrays other than
		// Uint8Array as objects; cbor-x and node-cbor write typed arrays
		// in their RFC 8746 tags, msgpackr and msgpack-lite as bin or an
		// extension: their bytes.
		"arraybuffer":           with([]byte{7, 8}, map[string]any{"msgpack5": D{}}),
		"int16array":            with([]byte{1, 0, 0xff, 0xff}, map[string]any{"msgpack5": D{"0": int64(1), "1": int64(-1)}}),
		"float32array":          with([]byte{0, 0, 0xc0, 0x3f}, map[string]any{"msgpack5": D{"0": 1.5}}),
		"float64array":          with([]byte{0, 0, 0, 0, 0, 0, 0xf0, 0x3f}, map[string]any{"msgpack5": D{"0": int64(1)}}),
		"string-empty":          all(""),
		"string-ascii":          all("hello"),
		"string-bmp":            all("héllo wörld ✓"),
		"string-astral":         all("\U0001F600\U0001D11E"),
		"string-nul-led":        all("\x00abc"),
		"string-nul-base64":     all("\x00AQID"),
		"string-long":           all(strings.Repeat("x", 300)),
		"string-lone-surrogate": all("\uFFFD"),
		"object-empty":          all(D{}),
		"array-empty":           all(L{}),
		"nested":                all(D{"a": D{"b": L{int64(1), D{"c": nil}}, "d": L{}}, "e": "f"}),
		"object-many-keys": all(func() D {
			d := D{}
			for i := range 20 {
				d[fmt.Sprintf("k%d", i)] = int64(i)
			}
			return d
		}()),
		"records-100": all(L(peerRecords(100))),
		// A Map with text keys is a dict; msgpack-lite writes it empty.
		"map-string-keys": with(D{"a": int64(1), "b": "two"}, map[string]any{"msgpack-lite": D{}}),
		// A Map with number keys: a dict key that is not text (refused),
		// but from msgpack-lite, which writes it empty.
		"map-number-keys": with(errNotTextKey, map[string]any{"msgpack-lite": D{}}),
		"set":             with(L{int64(1), "x"}, map[string]any{"msgpack5": D{}, "msgpack-lite": D{}}),
		"regexp": with(nil, map[string]any{"msgpackr": L{"ab+c", "i"}, "cbor-x": L{"RegExp", "ab+c", "i"},
			"cbor": "ab+c", "msgpack5": D{}, "msgpack-lite": mustHex("92a461622b63a169")}),
		"error": with(D{}, map[string]any{"msgpackr": L{"Error", "boom", nil}, "cbor-x": L{"Error", "boom"}}),
		// Autobahn|Python.
		"py-int-64": all(L{int64(1 << 32), int64(-1<<31 - 1), int64(1<<53 + 1), int64(math.MaxInt64),
			int64(math.MinInt64), uint64(math.MaxUint64)}),
		"py-bytes":       all([]byte{0, 1, 0xff}),
		"py-bytes-empty": all([]byte{}),
		"py-bytearray":   all([]byte("ab")),
		"py-tuple":       all(L{int64(1), "a"}),
		// Python's json module writes an int key as its decimal text, and
		// a named tuple (msgpack.ExtType) as a list.
		"py-int-keys": with(errNotTextKey, map[string]any{"json": D{"1": "one"}}),
		"py-ext":      with([]byte("xy"), map[string]any{"json": L{int64(42), []byte("xy")}}),
		// 2**64: JSON's number text; MessagePack cannot carry it.
		"py-int-2-pow-64": all(float64(1 << 64)),
		"py-timestamp-32": all("2023-11-14T22:13:20Z"),
		// from_datetime goes through a float: these are the nanoseconds
		// on the wire.
		"py-timestamp-64":         all("2023-11-14T22:13:20.122999906Z"),
		"py-timestamp-96":         all("1969-12-31T23:59:59.999Z"),
		"py-timestamp-year-10000": all("+010000-01-01T00:00:00.000000001Z"),
	}
}

// errNotTextKey stands for the refusal of a dict key that is not text.
var errNotTextKey = errors.New("refused: dict key is not text")

// peerWantMessages are the whole messages of the corpus, as lists.
func peerWantMessages() map[string]map[string]any {
	return map[string]map[string]any{
		"call-kwargs": {
			"": L{int64(48), int64(7), D{}, "com.example.log", L{},
				D{"at": "2023-11-14T22:13:20.123Z", "id": int64(1<<53 + 1), "data": []byte{1, 2}, "note": nil}},
			"cbor-x": L{int64(48), int64(7), D{}, "com.example.log", L{},
				D{"at": "2023-11-14T22:13:20.122999906Z", "id": int64(1<<53 + 1), "data": []byte{1, 2}, "note": nil}},
			"cbor": L{int64(48), int64(7), D{}, "com.example.log", L{},
				D{"at": "2023-11-14T22:13:20.122999906Z", "id": int64(1<<53 + 1), "data": []byte{1, 2}, "note": nil}},
		},
		"yield-records": {"": L{int64(70), int64(9), D{}, L{L(peerRecords(40))}}},
		"event-date": {
			"": L{int64(36), int64(5512), int64(4429), D{}, L{"1970-01-01T00:00:00Z", "1970-01-01T00:00:01.234Z"},
				D{"at": "1969-12-31T23:59:59.999Z"}},
			"msgpack-lite": L{int64(36), int64(5512), int64(4429), D{}, L{[]byte{0}, mustHex("cd04d2")}, D{"at": []byte{0xff}}},
		},
		// IDs written as floats (msgpackr, cbor-x and msgpack-lite from
		// 2^32 on) are read as the IDs they are (protocol.AsID).
		"event-large-ids": {"": L{int64(36), int64(5512315355), int64(4429313566), D{}}},
	}
}

// TestPeerCorpus decodes every sample of the corpus and checks its value.
func TestPeerCorpus(t *testing.T) {
	values, messages := peerWants(), peerWantMessages()
	seen := map[string]bool{}
	var decoded, refused, peerRefused int
	for file := range peerCorpora {
		for _, s := range loadPeerCorpus(t, file) {
			id := fmt.Sprintf("%s %s %s", s.Library, s.Codec, s.Name)
			if s.PeerError != "" {
				peerRefused++
				continue
			}
			byLib, isMsg := messages[s.Name]
			if !isMsg {
				byLib = values[s.Name]
			}
			if byLib == nil {
				t.Errorf("%s: no expected value for this sample", id)
				continue
			}
			seen[s.Name] = true
			want, ok := byLib[s.lib()]
			if !ok {
				want = byLib[""]
			}
			c, found := codec.ByName(s.Codec)
			if !found {
				t.Fatalf("%s: no codec %q", id, s.Codec)
			}
			data, err := hex.DecodeString(s.Hex)
			if err != nil {
				t.Fatalf("%s: %v", id, err)
			}
			msg, err := c.Decode(data)
			if wantErr, isErr := want.(error); isErr {
				refused++
				checkPeerRefusal(t, id, wantErr, err)
				continue
			}
			if err != nil {
				t.Errorf("%s (%s): %v", id, s.Description, err)
				continue
			}
			decoded++
			l, err := protocol.ToList(msg)
			if err != nil {
				t.Fatalf("%s: %v", id, err)
			}
			var got any = canon([]any(l))
			if !isMsg {
				got = l[4].([]any)[0]
			}
			if !peerEqual(got, want) {
				t.Errorf("%s (%s):\n got  %#v\n want %#v", id, s.Description, got, want)
			}
		}
	}
	for name := range values {
		if !seen[name] {
			t.Errorf("value %q: no sample in the corpus", name)
		}
	}
	for name := range messages {
		if !seen[name] {
			t.Errorf("message %q: no sample in the corpus", name)
		}
	}
	t.Logf("peer corpus: %d samples decoded, %d refused as documented, %d not encodable by the peer", decoded, refused, peerRefused)
}

// checkPeerRefusal checks that err is the documented refusal want.
func checkPeerRefusal(t *testing.T, id string, want, err error) {
	t.Helper()
	if err == nil {
		t.Errorf("%s: decoded; want it refused (%v)", id, want)
		return
	}
	var de *codec.DecodeError
	var ve *protocol.ValidationError
	switch {
	case !errors.As(err, &de):
		t.Errorf("%s: %v is not a DecodeError", id, err)
	case want == errNotTextKey && (errors.As(err, &ve) || !strings.Contains(err.Error(), "dict key is not a")):
		t.Errorf("%s: %v; want a refused dict key", id, err)
	}
}

// peerEqual is reflect.DeepEqual but for floats, compared by their bits
// (so -0 differs from 0) or as NaN.
func peerEqual(a, b any) bool {
	switch a := a.(type) {
	case float64:
		bf, ok := b.(float64)
		return ok && (math.Float64bits(a) == math.Float64bits(bf) || math.IsNaN(a) && math.IsNaN(bf))
	case []any:
		bl, ok := b.([]any)
		if !ok || len(a) != len(bl) {
			return false
		}
		for i := range a {
			if !peerEqual(a[i], bl[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, v := range a {
			if bv, ok := bm[k]; !ok || !peerEqual(v, bv) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}

// TestPeerCorpusIsCurrent regenerates the corpus with node and Python and
// fails if it differs from the files: a library's new version, or a new
// value in the scripts, must come with the expectations above. Without node
// (and `make router`) or Autobahn|Python it skips, or fails when $CI is
// set.
func TestPeerCorpusIsCurrent(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: not running node and Python")
	}
	for file, script := range peerCorpora {
		t.Run(script, func(t *testing.T) {
			got := runPeerScript(t, script)
			want, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
				i := 0
				for i < len(gl) && i < len(wl) && gl[i] == wl[i] {
					i++
				}
				line := func(l []string) string {
					if i < len(l) {
						return l[i]
					}
					return "(end)"
				}
				t.Errorf("%s writes a corpus that differs from %s at line %d:\n got  %q\n want %q\nregenerate it with\n"+
					"  cd testdata/peers && %s > ../../codec/%s\nand update the expectations in peer_corpus_test.go",
					script, file, i+1, line(gl), line(wl), peerInterpreter(script), file)
			}
		})
	}
}

func peerInterpreter(script string) string {
	if strings.HasSuffix(script, ".py") {
		return "/usr/bin/python3 " + script
	}
	return "node " + script
}

// runPeerScript runs a corpus generator in testdata/peers and returns its
// output.
func runPeerScript(t *testing.T, script string) []byte {
	t.Helper()
	bin := routertest.Python
	if strings.HasSuffix(script, ".py") {
		routertest.RequirePython(t)
	} else {
		bin = routertest.RequireNode(t)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, script)
	cmd.Dir = routertest.PeersDir(t)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", bin, script, err, stderr.Bytes())
	}
	return out
}
