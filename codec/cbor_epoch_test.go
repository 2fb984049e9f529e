package codec

import (
	"encoding/hex"
	"testing"

	"github.com/fxamacker/cbor/v2"
)

// FuzzEpochRewrite checks rewriteEpochFloats against the library: it
// rewrites only well-formed input, into well-formed input that the codec
// accepts exactly when it accepts the original.
func FuzzEpochRewrite(f *testing.F) {
	for _, s := range []string{
		"84183001a1616182c1fb41d954fc4007df3b63eda08063612e62",
		"9f1843c1fb3ff3be76c8b43958ff",
		"83184301bf6161c1fb3ff3be76c8b43958ff",
		"831843014ac1fb3ff3be76c8b43958",
		"831843015f41c1fb3ff3be76c8b43958ff",
		"83184301a1c1fb3ff3be76c8b4395801",
		"83184301d9ffffc1fbbff3be76c8b43958",
		"83184301c1fb7ff8000000000000",
		"83184301c1fb42dffffffffffffe",
	} {
		b, _ := hex.DecodeString(s)
		f.Add(b)
	}
	ref, err := cbor.DecOptions{MaxNestedLevels: 256, MaxArrayElements: 1 << 24, MaxMapPairs: 1 << 24}.DecMode()
	if err != nil {
		f.Fatal(err)
	}
	c := newCBORFormat(Limits{}.withDefaults())
	f.Fuzz(func(t *testing.T, data []byte) {
		out := rewriteEpochFloats(data, cborMaxNested(c.maxDepth))
		if out == nil {
			return
		}
		if err := ref.Wellformed(data); err != nil {
			t.Fatalf("rewrote %x, which is not well-formed: %v", data, err)
		}
		if err := ref.Wellformed(out); err != nil {
			t.Fatalf("rewrote %x into %x, which is not well-formed: %v", data, out, err)
		}
		_, e1 := c.decodeWith(data, false)
		_, e2 := c.decodeWith(out, false)
		if (e1 == nil) != (e2 == nil) {
			t.Fatalf("%x: %v; rewritten %x: %v", data, e1, out, e2)
		}
	})
}
