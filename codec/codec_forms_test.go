package codec_test

import (
	"encoding/hex"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

func TestCBORForms(t *testing.T) {
	for in, want := range map[string]any{
		"f97e00":               math.NaN(),
		"f93c00":               1.0,
		"f90001":               5.960464477539063e-8,
		"f9c400":               -4.0,
		"f97c00":               math.Inf(1),
		"fa47c35000":           100000.0,
		"f7":                   nil,                     // undefined
		"3bffffffffffffffff":   -18446744073709551616.0, // below MinInt64
		"3b7fffffffffffffff":   int64(math.MinInt64),
		"5f42010243030405ff":   []byte{1, 2, 3, 4, 5},         // indefinite bytes
		"7f6261626263646163ff": "abcdc",                       // indefinite text
		"9f0102ff":             []any{int64(1), int64(2)},     // indefinite array
		"bf616101ff":           map[string]any{"a": int64(1)}, // indefinite map
		"1b0000000000000001":   int64(1),                      // non-shortest
	} {
		data, _ := hex.DecodeString("85183001a063612e62" + "81" + in)
		msg, err := codec.CBOR().Decode(data)
		if err != nil {
			t.Errorf("cbor %s: %v", in, err)
			continue
		}
		got := msg.(*protocol.Call).Args[0]
		if f, ok := want.(float64); ok && math.IsNaN(f) {
			if g, ok := got.(float64); !ok || !math.IsNaN(g) {
				t.Errorf("cbor %s = %#v, want NaN", in, got)
			}
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("cbor %s = %#v, want %#v", in, got, want)
		}
	}
	// Indefinite-length top level.
	data, _ := hex.DecodeString("9f1843" + "1a2f0604aa" + "ff")
	if _, err := codec.CBOR().Decode(data); err != nil {
		t.Errorf("cbor indefinite message: %v", err)
	}
}

func TestMsgPackForms(t *testing.T) {
	for in, want := range map[string]any{
		"ca3fc00000":         1.5,
		"d0ff":               int64(-1),
		"d1ff00":             int64(-256),
		"d2ffff0000":         int64(-65536),
		"d38000000000000000": int64(math.MinInt64),
		"cc05":               int64(5),
		"cfffffffffffffffff": uint64(math.MaxUint64),
		"d90161":             "a",
		"da000161":           "a",
		"db0000000161":       "a",
		"c50001ff":           []byte{0xff},
		"c600000000":         []byte{},
		"dc0000":             []any{},
		"de0001a161c0":       map[string]any{"a": nil},
		"e0":                 int64(-32),
	} {
		data, _ := hex.DecodeString("953001" + "80" + "a3612e62" + "91" + in)
		msg, err := codec.MsgPack().Decode(data)
		if err != nil {
			t.Errorf("msgpack %s: %v", in, err)
			continue
		}
		if got := msg.(*protocol.Call).Args[0]; !reflect.DeepEqual(got, want) {
			t.Errorf("msgpack %s = %#v, want %#v", in, got, want)
		}
	}
}

func TestCompactIntegers(t *testing.T) {
	// [67, n] for n at each width boundary.
	for _, tc := range []struct {
		n             uint64
		msgpack, cbor string
	}{
		{1, "924301", "82184301"},
		{127, "92437f", "821843187f"},
		{128, "9243cc80", "8218431880"},
		{255, "9243ccff", "82184318ff"},
		{256, "9243cd0100", "821843190100"},
		{65536, "9243ce00010000", "8218431a00010000"},
		{1 << 32, "9243cf0000000100000000", "8218431b0000000100000000"},
	} {
		msg := &protocol.Unregistered{Request: tc.n}
		for c, want := range map[codec.Codec]string{codec.MsgPack(): tc.msgpack, codec.CBOR(): tc.cbor} {
			data, err := c.Encode(msg)
			if err != nil || hex.EncodeToString(data) != want {
				t.Errorf("%s %d: %x, %v; want %s", c.Name(), tc.n, data, err, want)
			}
		}
	}
	for _, tc := range []struct {
		n             int64
		msgpack, cbor string
	}{
		{-1, "ff", "20"}, {-32, "e0", "381f"}, {-33, "d0df", "3820"}, {-129, "d1ff7f", "3880"}, {-257, "d1feff", "390100"},
		{math.MinInt64, "d38000000000000000", "3b7fffffffffffffff"},
	} {
		for c, want := range map[codec.Codec]string{codec.MsgPack(): "91" + tc.msgpack, codec.CBOR(): "81" + tc.cbor} {
			data, err := c.Encode(call(tc.n))
			if err != nil || !strings.HasSuffix(hex.EncodeToString(data), want) {
				t.Errorf("%s %d: %x, %v; want suffix %s", c.Name(), tc.n, data, err, want)
			}
		}
	}
}
