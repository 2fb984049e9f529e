package codec_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/codec"
)

// nested returns n lists nested in one another.
func nested(n int) any {
	var v any = []any{}
	for range n - 1 {
		v = []any{v}
	}
	return v
}

func TestDepthLimit(t *testing.T) {
	// The message list is level 1, its Arguments level 2.
	ok := call(nested(codec.DefaultMaxDepth - 2))
	deep := call(nested(codec.DefaultMaxDepth - 1))
	for _, c := range codecs {
		roundTrip(t, c, ok)
		if _, err := c.Encode(deep); !errors.Is(err, codec.ErrTooDeep) {
			t.Errorf("%s: encode at depth 65: %v", c.Name(), err)
		}
		// Encode the deep message with a laxer codec, decode with ours.
		lax, _ := codec.New(c.Name(), codec.Limits{MaxDepth: 100})
		data, err := lax.Encode(deep)
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Decode(data)
		if de := mustDecodeError(t, c, err); !errors.Is(de, codec.ErrTooDeep) {
			t.Errorf("%s: decode at depth 65: %v", c.Name(), err)
		}
		if _, err := lax.Decode(data); err != nil {
			t.Errorf("%s: MaxDepth 100 rejects depth 65: %v", c.Name(), err)
		}
	}
	// Dicts count too.
	var v any = map[string]any{}
	for range codec.DefaultMaxDepth - 1 {
		v = map[string]any{"k": v}
	}
	for _, c := range codecs {
		if _, err := c.Encode(call(v)); !errors.Is(err, codec.ErrTooDeep) {
			t.Errorf("%s: dict nesting: %v", c.Name(), err)
		}
	}
	// A cyclic value stops at the limit instead of overflowing the stack.
	cyc := []any{nil}
	cyc[0] = cyc
	for _, c := range codecs {
		if _, err := c.Encode(call(cyc)); !errors.Is(err, codec.ErrTooDeep) {
			t.Errorf("%s: cyclic value: %v", c.Name(), err)
		}
	}
}

func TestHostileNestingIsCheap(t *testing.T) {
	// 8 MiB of openers: rejected after 65 of them.
	inputs := map[codec.Codec][]byte{
		codec.JSON():    bytes.Repeat([]byte("["), 8<<20),
		codec.MsgPack(): bytes.Repeat([]byte{0x91}, 8<<20),
		codec.CBOR():    bytes.Repeat([]byte{0x81}, 8<<20),
	}
	for c, data := range inputs {
		var err error
		allocs, bytes := allocated(func() { _, err = c.Decode(data) })
		de := mustDecodeError(t, c, err)
		if !errors.Is(de, codec.ErrTooDeep) || de.Offset > 100 {
			t.Errorf("%s: %v", c.Name(), err)
		}
		// At most a small list per level.
		if allocs > codec.DefaultMaxDepth+5 || bytes > 8<<10 {
			t.Errorf("%s: %v allocations, %v bytes to reject", c.Name(), allocs, bytes)
		}
	}
}

func TestMessageSizeLimit(t *testing.T) {
	msg := call(strings.Repeat("x", 1000))
	for _, c := range codecs {
		data, err := c.Encode(msg)
		if err != nil {
			t.Fatal(err)
		}
		small, _ := codec.New(c.Name(), codec.Limits{MaxMessageSize: len(data) - 1})
		_, err = small.Decode(data)
		if de := mustDecodeError(t, small, err); !errors.Is(de, codec.ErrMessageTooLarge) || de.Offset != -1 {
			t.Errorf("%s: %v", c.Name(), err)
		}
		exact, _ := codec.New(c.Name(), codec.Limits{MaxMessageSize: len(data)})
		if _, err := exact.Decode(data); err != nil {
			t.Errorf("%s: message of exactly MaxMessageSize: %v", c.Name(), err)
		}
	}
	big := make([]byte, codec.DefaultMaxMessageSize+1)
	for _, c := range codecs {
		_, err := c.Decode(big)
		if !errors.Is(err, codec.ErrMessageTooLarge) {
			t.Errorf("%s: 16 MiB + 1: %v", c.Name(), err)
		}
	}
}

func TestHugeDeclaredLengths(t *testing.T) {
	cases := map[codec.Codec][]string{
		codec.MsgPack(): {
			"ddffffffff",                 // array32 of 2^32-1
			"dd7fffffff" + "30",          // array32 of 2^31-1, one element present
			"9330" + "01" + "dfffffffff", // map32
			"9330" + "01" + "dbffffffff", // str32
			"9330" + "01" + "c6ffffffff", // bin32
			"9330" + "01" + "dcffff",     // array16
			"9530" + "01" + "80a3612e62" + "dd00100000" + strings.Repeat("c0", 1000), // 1 Mi elements claimed, 1000 present
			"9530" + "01" + "80a3612e62" + "91" + "df00100000" + strings.Repeat("a0c0", 500),
		},
		codec.CBOR(): {
			"9bffffffffffffffff",                       // array of 2^64-1
			"9a7fffffff" + "1830",                      // array of 2^31-1
			"831830" + "01" + "bbffffffffffffffff",     // map of 2^64-1
			"831830" + "01" + "5bffffffffffffffff",     // bytes
			"831830" + "01" + "7bffffffffffffffff",     // text
			"831830" + "01" + "7f7bffffffffffffffffff", // text chunk
			"851830" + "01" + "a063612e62" + "9a00100000" + strings.Repeat("f6", 1000),
			"851830" + "01" + "a063612e62" + "81" + "ba00100000" + strings.Repeat("60f6", 500),
		},
	}
	for c, ins := range cases {
		for _, in := range ins {
			data, err := hex.DecodeString(in)
			if err != nil {
				t.Fatalf("bad test hex %s", in)
			}
			allocs, bytes := allocated(func() { _, err = c.Decode(data) })
			de := mustDecodeError(t, c, err)
			if !errors.Is(de, codec.ErrTruncated) {
				t.Errorf("%s %.20s: %v, want ErrTruncated", c.Name(), in, err)
			}
			// Allocation is bounded by what is present, never by what is
			// declared.
			if bytes > float64(64*len(data)+8<<10) {
				t.Errorf("%s %.20s: %v allocations, %v bytes", c.Name(), in, allocs, bytes)
			}
		}
	}
}
