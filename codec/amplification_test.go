package codec_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"runtime"
	"slices"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// amplifiers returns, per codec, EVENTs of about size bytes whose
// payload decodes to far more memory than the input: lists of empty
// lists, of empty dicts, of one-entry dicts, and a dict declaring
// size/2 entries whose second key repeats the first.
func amplifiers(size int) map[string]map[string][]byte {
	repeat := func(unit []byte) int { return size / len(unit) }
	mpList := func(n int) []byte { return binary.BigEndian.AppendUint32([]byte{0xdd}, uint32(n)) }
	cbList := func(n int) []byte { return binary.BigEndian.AppendUint32([]byte{0x9a}, uint32(n)) }
	// [36, 1, 2, {}, args]
	mpEvent := []byte{0x95, 36, 1, 2, 0x80}
	cbEvent := []byte{0x85, 0x18, 36, 1, 2, 0xa0}
	out := map[string]map[string][]byte{"msgpack": {}, "cbor": {}, "json": {}}
	for name, unit := range map[string][3][]byte{
		"empty lists":     {{0x90}, {0x80}, []byte("[],")},
		"empty dicts":     {{0x80}, {0xa0}, []byte("{},")},
		"one-entry dicts": {{0x81, 0xa0, 0xc0}, {0xa1, 0x60, 0xf6}, []byte(`{"":0},`)},
	} {
		n := repeat(unit[0])
		out["msgpack"][name] = append(append(slices.Clone(mpEvent), mpList(n)...), bytes.Repeat(unit[0], n)...)
		n = repeat(unit[1])
		out["cbor"][name] = append(append(slices.Clone(cbEvent), cbList(n)...), bytes.Repeat(unit[1], n)...)
		n = repeat(unit[2])
		js := append([]byte("[36,1,2,{},["), bytes.Repeat(unit[2], n)...)
		out["json"][name] = append(js[:len(js)-1], "]]"...)
	}
	// A dict declaring n entries, the second a duplicate: {"a":nil,"a":nil,…}.
	n := size / 3
	entries := bytes.Repeat([]byte{0xa1, 'a', 0xc0}, n)
	out["msgpack"]["huge dict"] = append(append([]byte{0x96, 36, 1, 2, 0x80, 0x90},
		binary.BigEndian.AppendUint32([]byte{0xdf}, uint32(n))...), entries...)
	entries = bytes.Repeat([]byte{0x61, 'a', 0xf6}, n)
	out["cbor"]["huge dict"] = append(append([]byte{0x86, 0x18, 36, 1, 2, 0xa0, 0x80},
		binary.BigEndian.AppendUint32([]byte{0xba}, uint32(n))...), entries...)
	return out
}

// Decoding is bounded by Limits.MaxDecodedSize: each amplifier (1 MiB of
// input, which decoded to 40 to 120 MiB before) is refused with
// ErrDecodedTooLarge, having allocated no more than twice the bound; a
// dict's declared length is not pre-allocated.
func TestDecodeAmplificationBounded(t *testing.T) {
	const size = 1 << 20
	lim := codec.Limits{MaxMessageSize: 2 * size}
	bound := codec.DefaultDecodedSizeRatio * lim.MaxMessageSize
	for name, inputs := range amplifiers(size) {
		c, _ := codec.New(name, lim)
		for what, data := range inputs {
			var err error
			_, allocs := allocated(func() { _, err = c.Decode(data) })
			if !errors.Is(err, codec.ErrDecodedTooLarge) && !(what == "huge dict" && err != nil) {
				t.Errorf("%s %s: Decode = %v, want ErrDecodedTooLarge", name, what, err)
			}
			if errors.Is(err, codec.ErrDecodedTooLarge) && !errors.Is(err, codec.ErrMessageTooLarge) {
				t.Errorf("%s %s: %v does not match ErrMessageTooLarge", name, what, err)
			}
			t.Logf("%s %s: %.1f MiB allocated for %d KiB of input: %v", name, what, allocs/(1<<20), len(data)>>10, err)
			if allocs > float64(2*bound) {
				t.Errorf("%s %s: %.0f bytes allocated for %d of input, want at most %d", name, what, allocs, len(data), 2*bound)
			}
		}
	}
}

// Messages of ordinary shape are far from the default bound, and a message
// of exactly the bound decodes.
func TestDecodedSizeLimitAdmitsOrdinaryMessages(t *testing.T) {
	rows := make(protocol.List, 1000)
	for i := range rows {
		rows[i] = protocol.Dict{"id": int64(i), "name": "row", "tags": protocol.List{"a", "b"}, "score": 1.5}
	}
	msg := &protocol.Event{Subscription: 1, Publication: 2, Details: protocol.Dict{}, Payload: protocol.Payload{Args: rows}}
	for _, c := range codecs {
		data, err := c.Encode(msg)
		if err != nil {
			t.Fatal(err)
		}
		back, err := c.Decode(data)
		if err != nil {
			t.Fatalf("%s: %v", c.Name(), err)
		}
		ev := back.(*protocol.Event)
		// The payload's estimate, and the message's own list and numbers.
		need := codec.MemSize(ev.Args) + codec.MemSize(ev.Details) + 128
		// JSON charges the arrays a list outgrows too.
		roomy, _ := codec.New(c.Name(), codec.Limits{MaxDecodedSize: 2 * need})
		if _, err := roomy.Decode(data); err != nil {
			t.Errorf("%s: MaxDecodedSize %d (twice its MemSize) refuses it: %v", c.Name(), 2*need, err)
		}
		short, _ := codec.New(c.Name(), codec.Limits{MaxDecodedSize: need / 2})
		if _, err := short.Decode(data); !errors.Is(err, codec.ErrDecodedTooLarge) {
			t.Errorf("%s: MaxDecodedSize %d: %v, want ErrDecodedTooLarge", c.Name(), need/2, err)
		}
	}
}

// MemSize is an honest estimate: the live heap of decoded messages is no
// more than it says (and not far below).
func TestMemSizeMatchesLiveHeap(t *testing.T) {
	for name, inputs := range amplifiers(60000) {
		c, _ := codec.New(name, codec.Limits{MaxDecodedSize: 1 << 30})
		for what, data := range inputs {
			if what == "huge dict" {
				continue
			}
			before := liveHeap()
			msg, err := c.Decode(data)
			if err != nil {
				t.Fatalf("%s %s: %v", name, what, err)
			}
			live := float64(liveHeap()) - float64(before)
			ev := msg.(*protocol.Event)
			est := float64(codec.MemSize(ev.Args))
			runtime.KeepAlive(msg)
			t.Logf("%s %s: live %.0f, MemSize %.0f (%.2f)", name, what, live, est, live/est)
			if live > 1.1*est || live < est/3 {
				t.Errorf("%s %s: live heap %.0f bytes, MemSize %.0f", name, what, live, est)
			}
		}
	}
}

func liveHeap() uint64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}
