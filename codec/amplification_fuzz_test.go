package codec_test

import (
	"runtime"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// FuzzDecodeAmplification checks that what a decoding allocates is bounded
// by its input and by Limits.MaxDecodedSize, whatever the input, in every
// serializer: at most maxAmplification bytes per input byte and at most
// twice MaxDecodedSize (plus the decoders' pooled state), and that what
// decodes is within MaxDecodedSize by MemSize.
func FuzzDecodeAmplification(f *testing.F) {
	const (
		maxMessage       = 64 << 10
		maxDecoded       = 256 << 10
		maxAmplification = 400      // bytes allocated per input byte: CBOR's one-entry dicts, ~250, are the worst
		slack            = 64 << 10 // pools, decoder state, runtime noise
	)
	lim := codec.Limits{MaxMessageSize: maxMessage, MaxDecodedSize: maxDecoded}
	cs := []codec.Codec{codec.NewJSON(lim), codec.NewMsgPack(lim), codec.NewCBOR(lim)}
	for _, size := range []int{32, 4 << 10, 60 << 10} {
		for _, inputs := range amplifiers(size) {
			for _, data := range inputs {
				f.Add(data)
			}
		}
	}
	ev := &protocol.Event{Subscription: 1, Publication: 2, Details: protocol.Dict{"k": "v"},
		Payload: protocol.Payload{Args: protocol.List{int64(1), "two", []byte{3}, protocol.Dict{"x": protocol.List{}}}}}
	for _, c := range cs {
		data, err := c.Encode(ev)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, c := range cs {
			_, _ = c.Decode(data) // warm the pools
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			msg, err := c.Decode(data)
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			if bound := uint64(min(maxAmplification*len(data), 2*maxDecoded) + slack); alloc > bound {
				t.Fatalf("%s: %d bytes allocated to decode %d bytes (%v), want at most %d", c.Name(), alloc, len(data), err, bound)
			}
			if err != nil {
				continue
			}
			l, err := protocol.ToList(msg)
			if err != nil {
				t.Fatalf("%s: decoded %#v does not list: %v", c.Name(), msg, err)
			}
			if n := codec.MemSize(l); n > maxDecoded {
				t.Fatalf("%s: decoded %d bytes by MemSize, over MaxDecodedSize %d", c.Name(), n, maxDecoded)
			}
		}
	})
}
