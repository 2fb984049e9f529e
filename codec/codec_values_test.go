package codec_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

func TestExactIntegers(t *testing.T) {
	values := []any{
		int64(0), int64(-1), int64(1 << 53), int64(1<<53 + 1), int64(math.MaxInt64), int64(math.MinInt64),
		uint64(math.MaxInt64 + 1), uint64(math.MaxUint64), int64(-1 << 53), int64(math.MaxInt32 + 1),
		int64(255), int64(256), int64(-32), int64(-33), int64(math.MinInt32), int64(math.MaxUint32 + 1),
		[]any{int64(123456789012345678), map[string]any{"n": uint64(18446744073709551000)}},
	}
	msg := call(values...)
	msg.Request = protocol.MaxID
	for _, c := range codecs {
		back := roundTrip(t, c, msg).(*protocol.Call)
		if back.Request != protocol.MaxID || !reflect.DeepEqual(back.Args, msg.Args) {
			t.Errorf("%s: got %#v (request %d), want %#v", c.Name(), back.Args, back.Request, msg.Args)
		}
	}
	// From text: the types follow the value, whatever the notation.
	data := `[48, 9007199254740992, {}, "a.b", [18446744073709551615, -9223372036854775808,
		9223372036854775807, 9223372036854775808, -0, 1.0, 1e2, 18446744073709551616, -9223372036854775809]]`
	msg2, err := codec.JSON().Decode([]byte(data))
	if err != nil {
		t.Fatal(err)
	}
	want := []any{uint64(math.MaxUint64), int64(math.MinInt64), int64(math.MaxInt64), uint64(1 << 63),
		int64(0), 1.0, 100.0, 18446744073709551616.0, -9223372036854775809.0}
	if got := msg2.(*protocol.Call); got.Request != 1<<53 || !reflect.DeepEqual(got.Args, want) {
		t.Errorf("json: got %#v, want %#v", got.Args, want)
	}
}

func TestFloats(t *testing.T) {
	values := []any{0.0, 1.0, -1.5, 1e21, 1e-7, 123456.789, math.MaxFloat64, math.SmallestNonzeroFloat64,
		math.Copysign(0, -1), 1e20, 5e-324}
	for _, c := range codecs {
		back := roundTrip(t, c, call(values...)).(*protocol.Call)
		if !reflect.DeepEqual(back.Args, values) {
			t.Errorf("%s: got %#v, want %#v", c.Name(), back.Args, values)
		}
		if !math.Signbit(back.Args[8].(float64)) {
			t.Errorf("%s: negative zero lost its sign", c.Name())
		}
	}
	data, _ := codec.JSON().Encode(call(1.0, 1e21, 1e-7, 100.5))
	if want := `[1.0,1e+21,1e-7,100.5]`; !bytes.Contains(data, []byte(want)) {
		t.Errorf("json floats: %s, want %s", data, want)
	}
	for _, f := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := codec.JSON().Encode(call(f)); !errors.Is(err, codec.ErrUnsupportedValue) {
			t.Errorf("json encode %v: %v, want ErrUnsupportedValue", f, err)
		}
		for _, c := range codecs[1:] {
			back := roundTrip(t, c, call(f)).(*protocol.Call)
			g := back.Args[0].(float64)
			if math.IsNaN(f) != math.IsNaN(g) || !math.IsNaN(f) && f != g {
				t.Errorf("%s: %v came back as %v", c.Name(), f, g)
			}
		}
	}
	if _, err := codec.JSON().Decode([]byte(`[48,1,{},"a",[1e400]]`)); err == nil {
		t.Error("json: 1e400 accepted")
	}
}

func TestBinary(t *testing.T) {
	values := []any{[]byte{0, 1, 2, 0xff}, []byte{}, []byte("\x00text")}
	for _, c := range codecs {
		back := roundTrip(t, c, call(values...)).(*protocol.Call)
		if !reflect.DeepEqual(back.Args, values) {
			t.Errorf("%s: got %#v, want %#v", c.Name(), back.Args, values)
		}
	}
	data, err := codec.JSON().Encode(call([]byte{0, 1, 2, 0xff}))
	if err != nil || !bytes.Contains(data, []byte(`["\u0000AAEC/w=="]`)) {
		t.Errorf("json binary form: %s, %v", data, err)
	}
	for in, want := range map[string]any{
		`"\u0000AAEC/w=="`: []byte{0, 1, 2, 0xff},
		`"\u0000AAEC/w"`:   "\x00AAEC/w", // unpadded: not base64 (RFC 4648, section 4)
		`"\u0000abc"`:      "\x00abc",
		`"\u0000"`:         []byte{},
		`"a\u0000b"`:       "a\x00b", // NUL elsewhere: text
		`"\u0001AAAA"`:     "\x01AAAA",
	} {
		msg, err := codec.JSON().Decode([]byte(`[48,1,{},"a.b",[` + in + `]]`))
		if err != nil {
			t.Errorf("json %s: %v", in, err)
			continue
		}
		if got := msg.(*protocol.Call).Args[0]; !reflect.DeepEqual(got, want) {
			t.Errorf("json %s = %#v, want %#v", in, got, want)
		}
	}
	// NUL followed by what is not base64 is text (see TestLenientJSONText).
	for in, want := range map[string]string{
		`"\u0000AA=C"`: "\x00AA=C", `"\u0000A"`: "\x00A", `"\u0000AA\nAA"`: "\x00AA\nAA", `"\u0000!!!!"`: "\x00!!!!",
	} {
		msg, err := codec.JSON().Decode([]byte(`[48,1,{},"a.b",[` + in + `]]`))
		if err != nil || msg.(*protocol.Call).Args[0] != want {
			t.Errorf("json %s: %#v, %v; want text %q", in, msg, err, want)
		}
	}
	// A dict key is never binary.
	msg, err := codec.JSON().Decode([]byte(`[48,1,{},"a.b",[],{"\u0000AA==":1}]`))
	if err != nil || msg.(*protocol.Call).Kwargs["\x00AA=="] != int64(1) {
		t.Errorf("json NUL key: %#v, %v", msg, err)
	}
	// JSON cannot carry a text string of NUL and base64: it would read
	// back as binary.
	for _, s := range []string{"\x00abcd", "\x00", "\x00AA=="} {
		if _, err := codec.JSON().Encode(call(s)); !errors.Is(err, codec.ErrUnsupportedValue) {
			t.Errorf("json encode of %q: %v", s, err)
		}
	}
}

func TestJSONText(t *testing.T) {
	msg := call("<b>&amp;</b>", "line\nbreak\t\"q\" \\ \x01 \u2028 é")
	data, err := codec.JSON().Encode(msg)
	if err != nil {
		t.Fatal(err)
	}
	want := `[48,1,{},"com.example.proc",["<b>&amp;</b>","line\nbreak\t\"q\" \\ \u0001 ` + "\u2028 é" + `"]]`
	if string(data) != want {
		t.Errorf("json = %s\nwant  %s", data, want)
	}
	// Escapes, surrogate pairs, white space everywhere.
	in := " [ 48 , 1 , { \"k\" : \"\\u00e9\\ud83d\\ude00\\/\\b\\f\\n\\r\\t\" } , \"a.b\" ] \r\n"
	m, err := codec.JSON().Decode([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	if got := m.(*protocol.Call).Options["k"]; got != "é😀/\b\f\n\r\t" {
		t.Errorf("unescaped %q", got)
	}
}

func TestInvalidUTF8(t *testing.T) {
	jsonCases := []string{
		"[48,1,{},\"a.b\",[\"\xff\"]]",
		"[48,1,{},\"a.b\",[\"a\xc3\"]]",
		"[48,1,{\"\xfe\":1},\"a.b\"]",
		"[48,1,{},\"a.b\",[\"\xff\\n\"]]",          // invalid with an escape
		"[48,1,{},\"a.b\",[\"\\ud800\xff\"]]",      // a lone surrogate and invalid UTF-8
		"[48,1,{},\"a.b\",[\"\xed\xa0\x80\xc3\"]]", // likewise
		"[48,1,{},\"a.b\",[\"\xed\xa0\"]]",         // a surrogate cut short
	}
	for _, in := range jsonCases {
		_, err := codec.JSON().Decode([]byte(in))
		mustDecodeError(t, codec.JSON(), err)
	}
	// msgpack: [48,1,{},"a.b",["\xff"]]; cbor likewise.
	mp, _ := hex.DecodeString("953001" + "80" + "a3612e62" + "91a1ff")
	_, err := codec.MsgPack().Decode(mp)
	if de := mustDecodeError(t, codec.MsgPack(), err); !errors.Is(de, codec.ErrInvalidUTF8) {
		t.Errorf("msgpack: %v", err)
	}
	cb, _ := hex.DecodeString("85183001" + "a0" + "63612e62" + "8161ff")
	_, err = codec.CBOR().Decode(cb)
	if de := mustDecodeError(t, codec.CBOR(), err); !errors.Is(de, codec.ErrInvalidUTF8) {
		t.Errorf("cbor: %v", err)
	}
	for _, c := range codecs {
		if _, err := c.Encode(call("bad \xff")); !errors.Is(err, codec.ErrUnsupportedValue) {
			t.Errorf("%s: encode of invalid UTF-8: %v", c.Name(), err)
		}
		if _, err := c.Encode(call(map[string]any{"\xff": 1})); err == nil {
			t.Errorf("%s: encode of invalid UTF-8 key succeeded", c.Name())
		}
	}
}
