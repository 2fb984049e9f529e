package codec_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

func call(args ...any) *protocol.Call {
	return &protocol.Call{Request: 1, Options: protocol.Dict{}, Procedure: "com.example.proc",
		Payload: protocol.Payload{Args: args}}
}

// roundTrip encodes msg with c and decodes it back.
func roundTrip(t *testing.T, c codec.Codec, msg protocol.Message) protocol.Message {
	t.Helper()
	data, err := c.Encode(msg)
	if err != nil {
		t.Fatalf("%s: encode %#v: %v", c.Name(), msg, err)
	}
	back, err := c.Decode(data)
	if err != nil {
		t.Fatalf("%s: decode %x: %v", c.Name(), data, err)
	}
	return back
}

func TestRegistry(t *testing.T) {
	for _, tc := range []struct {
		name, sp string
		binary   bool
	}{
		{"json", "wamp.2.json", false},
		{"msgpack", "wamp.2.msgpack", true},
		{"cbor", "wamp.2.cbor", true},
	} {
		c, ok := codec.ByName(tc.name)
		if !ok || c.Name() != tc.name || c.Subprotocol() != tc.sp || c.Binary() != tc.binary {
			t.Errorf("ByName(%q) = %v, %v", tc.name, c, ok)
		}
		if c2, ok := codec.BySubprotocol(tc.sp); !ok || c2 != c {
			t.Errorf("BySubprotocol(%q) = %v, %v", tc.sp, c2, ok)
		}
		c3, ok := codec.New(tc.name, codec.Limits{MaxDepth: 3})
		if !ok || c3.Name() != tc.name {
			t.Errorf("New(%q) = %v, %v", tc.name, c3, ok)
		}
		if _, ok := c.(codec.Appender); !ok {
			t.Errorf("%s does not implement Appender", tc.name)
		}
	}
	for _, bad := range []string{"", "JSON", "ubjson", "wamp.2.json.batched"} {
		if _, ok := codec.ByName(bad); ok {
			t.Errorf("ByName(%q) found a codec", bad)
		}
		if _, ok := codec.BySubprotocol(bad); ok {
			t.Errorf("BySubprotocol(%q) found a codec", bad)
		}
		if _, ok := codec.New(bad, codec.Limits{}); ok {
			t.Errorf("New(%q) found a codec", bad)
		}
	}
	var names []string
	for _, c := range codec.Default() {
		names = append(names, c.Name())
	}
	if got := strings.Join(names, ","); got != "cbor,msgpack,json" {
		t.Errorf("Default() = %s", got)
	}
	codec.Default()[0] = nil
	if codec.Default()[0] == nil {
		t.Error("Default shares its slice")
	}
}

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
		`"\u0000AAEC/w"`:   []byte{0, 1, 2, 0xff}, // unpadded
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
	for _, in := range []string{`"\u0000AA=C"`, `"\u0000A"`, `"\u0000AA\nAA"`, `"\u0000!!!!"`} {
		_, err := codec.JSON().Decode([]byte(`[48,1,{},"a.b",[` + in + `]]`))
		mustDecodeError(t, codec.JSON(), err)
	}
	// A dict key is never binary.
	msg, err := codec.JSON().Decode([]byte(`[48,1,{},"a.b",[],{"\u0000AA==":1}]`))
	if err != nil || msg.(*protocol.Call).Kwargs["\x00AA=="] != int64(1) {
		t.Errorf("json NUL key: %#v, %v", msg, err)
	}
	// JSON cannot carry a text string starting with NUL.
	if _, err := codec.JSON().Encode(call("\x00abc")); !errors.Is(err, codec.ErrUnsupportedValue) {
		t.Errorf("json encode of NUL-led string: %v", err)
	}
}

func TestSameValuesFromEveryCodec(t *testing.T) {
	payload := map[string]any{
		"nil": nil, "t": true, "f": false, "i": int64(-42), "u": uint64(math.MaxUint64), "big": int64(1 << 60),
		"fl": 3.25, "s": "héllo ✓ <&>", "b": []byte{9, 8, 7}, "l": []any{int64(1), "two", []any{}},
		"m": map[string]any{"nested": map[string]any{}}, "": "empty key",
	}
	msg := &protocol.Event{Subscription: 5, Publication: 6, Details: protocol.Dict{"topic": "a.b"},
		Payload: protocol.Payload{Args: []any{"x"}, Kwargs: payload}}
	var first protocol.Message
	for _, c := range codecs {
		back := roundTrip(t, c, msg)
		if !reflect.DeepEqual(back, msg) {
			t.Errorf("%s: got %#v, want %#v", c.Name(), back, msg)
		}
		if first == nil {
			first = back
		} else if !reflect.DeepEqual(back, first) {
			t.Errorf("%s differs from json", c.Name())
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
		"[48,1,{},\"a.b\",[\"\xed\xa0\x80\"]]", // encoded surrogate
		"[48,1,{\"\xfe\":1},\"a.b\"]",
		"[48,1,{},\"a.b\",[\"\\ud800\"]]",        // lone high surrogate
		"[48,1,{},\"a.b\",[\"\\udc00\"]]",        // lone low surrogate
		"[48,1,{},\"a.b\",[\"\\ud800\\u0041\"]]", // high then not low
		"[48,1,{},\"a.b\",[\"\xff\\n\"]]",        // invalid with an escape
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

// sampleMessages are valid messages of several shapes, for the tests that
// mangle their encodings.
func sampleMessages() []protocol.Message {
	return []protocol.Message{
		call("Hello, world!", int64(-7), uint64(math.MaxUint64), 2.5, true, nil, []byte{1, 2},
			map[string]any{"k": []any{"v", int64(300)}}),
		&protocol.Hello{Realm: "realm1", Details: protocol.Dict{"roles": map[string]any{"caller": map[string]any{}}}},
		&protocol.Published{Request: 1 << 40, Publication: protocol.MaxID},
		&protocol.Event{Subscription: 1, Publication: 2, Details: protocol.Dict{"enc_algo": "cryptobox"},
			Payload: protocol.Payload{Payload: bytes.Repeat([]byte{7}, 300)}},
		&protocol.Result{Request: 9, Details: protocol.Dict{},
			Payload: protocol.Payload{Args: []any{strings.Repeat("é", 300)}}},
	}
}

func TestTruncated(t *testing.T) {
	for _, c := range codecs {
		for _, msg := range sampleMessages() {
			data, err := c.Encode(msg)
			if err != nil {
				t.Fatal(err)
			}
			for n := range len(data) {
				_, err := c.Decode(data[:n])
				de := mustDecodeError(t, c, err)
				if !errors.Is(de, codec.ErrTruncated) {
					t.Fatalf("%s: prefix %d of %x: %v, want ErrTruncated", c.Name(), n, data, err)
				}
			}
		}
	}
}

func TestTruncatedJSONText(t *testing.T) {
	data := `[48, 1, {"k": "\ud83d\ude00\n\u0000AAEC"}, "a.b", ["\ud83d\ude00\n\u0000AAEC", 1.5e-3, true, null, false, -0]]`
	if _, err := codec.JSON().Decode([]byte(data)); err != nil {
		t.Fatal(err)
	}
	for n := range len(data) {
		_, err := codec.JSON().Decode([]byte(data[:n]))
		if de := mustDecodeError(t, codec.JSON(), err); !errors.Is(de, codec.ErrTruncated) {
			t.Errorf("prefix %q: %v, want ErrTruncated", data[:n], err)
		}
	}
}

func TestTrailingData(t *testing.T) {
	for _, c := range codecs {
		data, err := c.Encode(sampleMessages()[0])
		if err != nil {
			t.Fatal(err)
		}
		for _, tail := range [][]byte{{0}, []byte("x"), data, {0xc0}, {0xff}} {
			in := append(append([]byte{}, data...), tail...)
			_, err := c.Decode(in)
			if de := mustDecodeError(t, c, err); !errors.Is(de, codec.ErrTrailingData) || de.Offset != len(data) {
				t.Errorf("%s: tail %x: %v", c.Name(), tail, err)
			}
		}
	}
	// Trailing white space is part of a JSON text.
	if _, err := codec.JSON().Decode([]byte("[67,1]\n\t \r")); err != nil {
		t.Errorf("json trailing white space: %v", err)
	}
}

func TestNotAList(t *testing.T) {
	cases := map[codec.Codec][]string{
		codec.JSON():    {"", " ", `{}`, `"x"`, `1`, `null`, `true`, "\xef\xbb\xbf[67,1]"},
		codec.MsgPack(): {"", "80", "a178", "01", "c0", "c3", "cb0000000000000000"},
		codec.CBOR():    {"", "a0", "6178", "01", "f6", "f5", "d90100"},
	}
	for c, ins := range cases {
		for _, in := range ins {
			data := []byte(in)
			if c.Binary() {
				data, _ = hex.DecodeString(in)
			}
			_, err := c.Decode(data)
			mustDecodeError(t, c, err)
		}
	}
}

func TestMalformed(t *testing.T) {
	jsonCases := []string{
		`[67,1,]`, `[67,,1]`, `[67 1]`, `[67,01]`, `[67,1.]`, `[67,1e]`, `[67,-]`, `[67,+1]`, `[67,.5]`,
		`[67,0x10]`, `[67,1]]`, `[67,tru]`, `[67,nul]`, `[67,1,{"a" 1}]`, `[67,1,{a:1}]`, `[67,1,{"a":1,}]`,
		`[67,1,{1:2}]`, `[67,1,'x']`, `[67,1,"\x"]`, `[67,1,"\u12"]`, `[67,1,"\u12g4"]`, "[67,1,\"\t\"]",
		`[67,1,NaN]`, `[67,1,Infinity]`, `[67,1,{"a":1,"a":2}]`, `[67, 1, {}] x`, `[67,1,"\ud800\udbff"]`,
	}
	for _, in := range jsonCases {
		_, err := codec.JSON().Decode([]byte(in))
		mustDecodeError(t, codec.JSON(), err)
	}
	msgpackCases := []string{
		"9243c1",                            // reserved byte
		"9343ce2f0604aa" + "d40100",         // fixext
		"9343ce2f0604aa" + "c70100",         // ext8
		"9343ce2f0604aa" + "d6ff00000000",   // timestamp
		"9343ce2f0604aa" + "810101",         // int key
		"9343ce2f0604aa" + "81c40161c0",     // bin key
		"9343ce2f0604aa" + "82a161c0a161c0", // duplicate key
	}
	for _, in := range msgpackCases {
		data, _ := hex.DecodeString(in)
		_, err := codec.MsgPack().Decode(data)
		mustDecodeError(t, codec.MsgPack(), err)
	}
	cborCases := []string{
		"831843" + "1a2f0604aa" + "c074323031332d30332d32315432303a30343a30305a", // tag 0
		"831843" + "1a2f0604aa" + "c249010000000000000000",                       // bignum
		"831843" + "1a2f0604aa" + "a10101",                                       // int key
		"831843" + "1a2f0604aa" + "a2616101616102",                               // duplicate key
		"831843" + "1a2f0604aa" + "f0",                                           // simple(16)
		"831843" + "1a2f0604aa" + "f820",                                         // simple(32)
		"831843" + "1a2f0604aa" + "ff",                                           // stray break
		"831843" + "1a2f0604aa" + "1c",                                           // reserved info
		"831843" + "1a2f0604aa" + "5f4101" + "6161" + "ff",                       // text chunk in bytes
		"831843" + "1a2f0604aa" + "7f7f6161ffff",                                 // nested indefinite chunk
		"9f1843" + "1a2f0604aa",                                                  // unterminated
	}
	for _, in := range cborCases {
		data, _ := hex.DecodeString(in)
		_, err := codec.CBOR().Decode(data)
		mustDecodeError(t, codec.CBOR(), err)
	}
}

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

// Common Go types are converted on encode, so callers may write
// protocol.List{1, "a"}; they decode as the documented types.
func TestEncodeConvertsCommonGoTypes(t *testing.T) {
	for _, c := range codecs {
		for _, tc := range []struct {
			in, want any
		}{
			{1, int64(1)}, {int32(-7), int64(-7)}, {uint8(9), int64(9)}, {float32(1.5), 1.5},
			{[]string{"a"}, []any{"a"}}, {map[string]int{"k": 2}, map[string]any{"k": int64(2)}},
			{[]any{1, []int{2}}, []any{int64(1), []any{int64(2)}}},
		} {
			data, err := c.Encode(call(tc.in))
			if err != nil {
				t.Errorf("%s: encode %T: %v", c.Name(), tc.in, err)
				continue
			}
			m, err := c.Decode(data)
			if err != nil || !reflect.DeepEqual(m.(*protocol.Call).Args[0], tc.want) {
				t.Errorf("%s: %T decoded as %#v, %v", c.Name(), tc.in, m, err)
			}
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	for _, c := range codecs {
		for _, v := range []any{struct{}{}, make(chan int), func() {}, map[int]string{1: "a"}, complex(1, 2)} {
			_, err := c.Encode(call(v))
			var ee *codec.EncodeError
			if !errors.As(err, &ee) || ee.Codec != c.Name() || !errors.Is(err, codec.ErrUnsupportedValue) {
				t.Errorf("%s: encode %T: %v", c.Name(), v, err)
			}
		}
		// An invalid message is a validation error, wrapped.
		_, err := c.Encode(&protocol.Call{Request: 0, Procedure: "a.b"})
		var ve *protocol.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: encode of invalid message: %v", c.Name(), err)
		}
		// AppendEncode leaves dst as it was on error.
		dst := []byte("prefix")
		out, err := c.(codec.Appender).AppendEncode(dst, call(struct{}{}))
		if err == nil || string(out) != "prefix" {
			t.Errorf("%s: AppendEncode on error = %q, %v", c.Name(), out, err)
		}
		out, err = c.(codec.Appender).AppendEncode(dst, call(int64(1)))
		want, _ := c.Encode(call(int64(1)))
		if err != nil || !bytes.Equal(out, append([]byte("prefix"), want...)) {
			t.Errorf("%s: AppendEncode = %q, %v", c.Name(), out, err)
		}
	}
}

func TestTypedNils(t *testing.T) {
	for _, c := range codecs {
		back := roundTrip(t, c, call([]any(nil), map[string]any(nil), []byte(nil)))
		want := []any{[]any{}, map[string]any{}, []byte{}}
		if got := back.(*protocol.Call).Args; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %#v, want %#v", c.Name(), got, want)
		}
	}
}

func TestValidationErrorWrapped(t *testing.T) {
	for _, c := range codecs {
		data, err := c.Encode(&protocol.Unregistered{Request: 5})
		if err != nil {
			t.Fatal(err)
		}
		data = bytes.Replace(data, []byte{0x43}, []byte{0x44}, 1) // 67 -> 68: INVOCATION, wrong arity
		if c.Name() == "json" {
			data = []byte(`[68,5]`)
		}
		_, err = c.Decode(data)
		de := mustDecodeError(t, c, err)
		var ve *protocol.ValidationError
		if !errors.As(err, &ve) || de.Offset != -1 || ve.Type != protocol.TypeInvocation {
			t.Errorf("%s: %v", c.Name(), err)
		}
	}
}

func TestConcurrentUse(t *testing.T) {
	msgs := sampleMessages()
	var wg sync.WaitGroup
	for _, c := range codecs {
		for g := range 4 {
			wg.Go(func() {
				for i := range 50 {
					msg := msgs[(g+i)%len(msgs)]
					data, err := c.Encode(msg)
					if err != nil {
						t.Error(err)
						return
					}
					back, err := c.Decode(data)
					if err != nil || !reflect.DeepEqual(back, msg) {
						t.Errorf("%s: %v", c.Name(), err)
						return
					}
				}
			})
		}
	}
	wg.Wait()
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

func TestNormalize(t *testing.T) {
	type myInt int16
	type myString string
	in := map[string]any{
		"i": 1, "i8": int8(-2), "u": uint(3), "u64": uint64(math.MaxUint64), "f32": float32(1.5),
		"my": myInt(7), "ms": myString("s"), "strs": []string{"a", "b"}, "arr": [2]int{1, 2},
		"m": map[string]int{"x": 1}, "ok": []any{int64(1), "x"}, "nilp": (*int)(nil), "bytes": []byte{1},
		"p": new(int32),
	}
	got, err := codec.Normalize(in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"i": int64(1), "i8": int64(-2), "u": int64(3), "u64": uint64(math.MaxUint64), "f32": 1.5,
		"my": int64(7), "ms": "s", "strs": []any{"a", "b"}, "arr": []any{int64(1), int64(2)},
		"m": map[string]any{"x": int64(1)}, "ok": []any{int64(1), "x"}, "nilp": nil, "bytes": []byte{1},
		"p": int64(0),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Normalize = %#v\nwant %#v", got, want)
	}
	if in["i"] != 1 {
		t.Error("Normalize modified its argument")
	}
	// Values already in the set come back as they are.
	ok := []any{int64(1), map[string]any{"a": "b"}}
	if n, _ := codec.Normalize(ok); &n.([]any)[0] != &ok[0] {
		t.Error("Normalize copied a value already normalized")
	}
	for _, bad := range []any{struct{}{}, map[int]any{}, make(chan int), complex(1, 2), []any{func() {}}} {
		if _, err := codec.Normalize(bad); !errors.Is(err, codec.ErrUnsupportedValue) {
			t.Errorf("Normalize(%T) = %v", bad, err)
		}
	}
	cyc := map[string]any{}
	cyc["self"] = cyc
	if _, err := codec.Normalize(cyc); !errors.Is(err, codec.ErrTooDeep) {
		t.Errorf("Normalize(cyclic) = %v", err)
	}
	// What Normalize returns encodes with every codec.
	for _, c := range codecs {
		if _, err := c.Encode(call(got)); err != nil {
			t.Errorf("%s: %v", c.Name(), err)
		}
	}
}

// TestNoSharingBetweenMessages: a decoder reuses its scratch state (the
// message's list, its string cache) from message to message; what one
// message holds must not change when the next ones are decoded.
func TestNoSharingBetweenMessages(t *testing.T) {
	for _, c := range codecs {
		var kept []protocol.Message
		var want []protocol.Message
		for i := range 50 {
			msg := &protocol.Event{Subscription: protocol.ID(i + 1), Publication: 7,
				Details: protocol.Dict{"topic": "a.b"},
				Payload: protocol.Payload{Args: []any{"s" + strings.Repeat("x", i%5), int64(i)},
					Kwargs: map[string]any{"k" + strings.Repeat("y", i%3): []byte{byte(i)}}}}
			data, err := c.Encode(msg)
			if err != nil {
				t.Fatal(err)
			}
			got, err := c.Decode(data)
			if err != nil {
				t.Fatal(err)
			}
			kept, want = append(kept, got), append(want, msg)
			if i%7 == 0 { // an error in between
				c.Decode(data[:len(data)-1])
			}
		}
		for i := range kept {
			if !reflect.DeepEqual(kept[i], want[i]) {
				t.Fatalf("%s: message %d changed: %#v, want %#v", c.Name(), i, kept[i], want[i])
			}
		}
	}
}
