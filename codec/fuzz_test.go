package codec_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/wampgo/wampgo/codec"
)

// fuzzDecode checks, for any input: Decode does not panic; a failure is a
// *DecodeError matching protocol.ErrProtocolViolation; what decodes is also
// accepted by the reference library, re-encodes, and decodes back equal.
func fuzzDecode(t *testing.T, c codec.Codec, data []byte, wellFormed func([]byte) bool) {
	msg, err := c.Decode(data)
	if err != nil {
		mustDecodeError(t, c, err)
		return
	}
	if !wellFormed(data) {
		t.Fatalf("%s accepted %q, which the reference library rejects", c.Name(), data)
	}
	// JSON reads what it cannot write (NaN and the infinities, which
	// Python's json module writes; NUL-led text that is not base64): such
	// a message skips its own round trip.
	if out, err := c.Encode(msg); err == nil {
		back, err := c.Decode(out)
		if err != nil {
			t.Fatalf("decode of re-encoding %q (from %q): %v", out, data, err)
		}
		if !equalMsg(c, back, msg) {
			t.Fatalf("round trip of %q: %#v, want %#v", data, back, msg)
		}
	} else if c.Name() != "json" || !errors.Is(err, codec.ErrUnsupportedValue) {
		t.Fatalf("re-encode of %#v (from %q): %v", msg, data, err)
	}
	// Every other codec carries the same message, except what JSON cannot
	// represent (NaN, infinities, strings starting with NUL).
	for _, o := range codecs {
		if o == c {
			continue
		}
		out, err := o.Encode(msg)
		if err != nil {
			if o.Name() == "json" && errors.Is(err, codec.ErrUnsupportedValue) {
				continue
			}
			t.Fatalf("%s encode of %#v (from %s %q): %v", o.Name(), msg, c.Name(), data, err)
		}
		back, err := o.Decode(out)
		if err != nil || !equalMsg(o, back, msg) {
			t.Fatalf("%s round trip of %#v (from %s %q): %#v, %v", o.Name(), msg, c.Name(), data, back, err)
		}
	}
}

// cborRef checks well-formedness as RFC 8949 defines it, with room for our
// depth limit (the library's default is 32).
var cborRef, _ = cbor.DecOptions{MaxNestedLevels: 256, MaxArrayElements: 1 << 24, MaxMapPairs: 1 << 24}.DecMode()

func FuzzDecodeJSON(f *testing.F) {
	addSeeds(f, codec.JSON())
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzDecode(t, codec.JSON(), data, jsonValid)
	})
}

// jsonValid is encoding/json's Valid, but for the words NaN, Infinity and
// -Infinity, which the codec reads in a value's place: they are replaced
// by 0 everywhere (in a string too, which keeps the string valid) before a
// second check.
func jsonValid(b []byte) bool {
	if json.Valid(b) {
		return true
	}
	b = bytes.ReplaceAll(b, []byte("-Infinity"), []byte("-0"))
	b = bytes.ReplaceAll(b, []byte("Infinity"), []byte("0"))
	return json.Valid(bytes.ReplaceAll(b, []byte("NaN"), []byte("0")))
}

func FuzzDecodeMsgpack(f *testing.F) {
	addSeeds(f, codec.MsgPack())
	f.Fuzz(func(t *testing.T, data []byte) {
		// Skip checks the structure without interpreting extensions,
		// which the library decodes only when registered.
		fuzzDecode(t, codec.MsgPack(), data, func(b []byte) bool {
			return msgpack.NewDecoder(bytes.NewReader(b)).Skip() == nil
		})
	})
}

func FuzzDecodeCBOR(f *testing.F) {
	addSeeds(f, codec.CBOR())
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzDecode(t, codec.CBOR(), data, func(b []byte) bool { return cborRef.Wellformed(b) == nil })
	})
}

// addSeeds adds the encodings of sampleMessages; the conformance vectors
// are in testdata/fuzz (see TestWriteFuzzCorpus).
func addSeeds(f *testing.F, c codec.Codec) {
	for _, msg := range sampleMessages() {
		data, err := c.Encode(msg)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
	}
	hostile := map[string][]string{
		"json": {"[[[[[[[[[[", `[48,1,{},"a",["\u0000AA=="]]`, `[48,1,{},"a",[1e999]]`, `[1,"a",{"a":1,"a":2}]`,
			`[48,1,{"\ud800":"\udc00x"},"a"]`, "[48,1,{},\"a\",[\"\xed\xa0\x80\\n\"]]"},
		"msgpack": {"ddffffffff", "9330dfffffffff", "9243c1", "9343ce2f0604aad6ff00000000",
			"9343ce2f0604aac70cff3b8b87c0ffffffffffffffff", "9343ce2f0604aa92d4ffffd40000", "9343ce2f0604aac9fffffff001"},
		"cbor": {"9bffffffffffffffff", "9f9f9f9fffffffff", "831843c0f6f6", "83184301bf6161f6ff",
			"84183001a1616182c1fb41d954fc4007df3b63eda08063612e62", "9f1843c1fb7ff8000000000000ff"},
	}
	// What real peers send (TestPeerCorpus).
	for file := range peerCorpora {
		raw, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var corpus struct{ Samples []peerSample }
		if err := json.Unmarshal(raw, &corpus); err != nil {
			f.Fatal(err)
		}
		for _, s := range corpus.Samples {
			if b, _ := hex.DecodeString(s.Hex); s.Codec == c.Name() && len(b) > 0 {
				f.Add(b)
			}
		}
	}
	for _, s := range hostile[c.Name()] {
		if c.Binary() {
			b, _ := hex.DecodeString(s)
			f.Add(b)
		} else {
			f.Add([]byte(s))
		}
	}
}

// TestWriteFuzzCorpus writes the conformance vectors' byte variants as the
// seed corpus of the fuzz targets, in testdata/fuzz/<Target>/. It runs only
// with WAMPGO_WRITE_FUZZ_CORPUS=1.
func TestWriteFuzzCorpus(t *testing.T) {
	if os.Getenv("WAMPGO_WRITE_FUZZ_CORPUS") != "1" {
		t.Skip("set WAMPGO_WRITE_FUZZ_CORPUS=1 to rewrite testdata/fuzz")
	}
	targets := map[string]string{"json": "FuzzDecodeJSON", "msgpack": "FuzzDecodeMsgpack", "cbor": "FuzzDecodeCBOR"}
	files, _ := filepath.Glob(filepath.Join(suiteDir, "*.json"))
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var sf suiteFile
		if err := json.Unmarshal(raw, &sf); err != nil {
			t.Fatal(err)
		}
		base := filepath.Base(file[:len(file)-len(".json")])
		for i, s := range sf.Samples {
			for _, c := range codecs {
				var inputs [][]byte
				if s.Serializers != nil {
					for _, v := range s.Serializers[c.Name()] {
						inputs = append(inputs, v.data(t))
					}
				} else {
					inputs = append(inputs, rawForm(t, c, s))
				}
				for j, data := range inputs {
					dir := filepath.Join("testdata", "fuzz", targets[c.Name()])
					if err := os.MkdirAll(dir, 0o755); err != nil {
						t.Fatal(err)
					}
					name := base + "-" + strconv.Itoa(i) + "-" + strconv.Itoa(j)
					body := "go test fuzz v1\n[]byte(" + strconv.Quote(string(data)) + ")\n"
					if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
		}
	}
}
