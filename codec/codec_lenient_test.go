package codec_test

import (
	"encoding/hex"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// cborArg decodes [48, 1, {}, "a.b", [arg]] (a CALL) with arg given in hex.
func cborArg(t *testing.T, arg string) (any, error) {
	t.Helper()
	return callArg(t, codec.CBOR(), "85183001a063612e62"+"81", arg)
}

// callArg decodes with c the CALL whose encoding is head (up to its
// one-element argument list) followed by arg, both in hex, and returns
// the argument.
func callArg(t *testing.T, c codec.Codec, head, arg string) (any, error) {
	t.Helper()
	data, err := hex.DecodeString(head + arg)
	if err != nil {
		t.Fatalf("bad test hex %s", arg)
	}
	msg, err := c.Decode(data)
	if err != nil {
		return nil, err
	}
	return msg.(*protocol.Call).Args[0], nil
}

// A CBOR tag never ends the session: tag 64 (RFC 8746, how cbor-x in
// wampy.js writes every byte array) is bytes, bignums are integers (or
// floats beyond 64 bits, as in JSON), any other tag is its content.
func TestLenientCBORTags(t *testing.T) {
	for _, tc := range []struct {
		name, arg string
		want      any
	}{
		{"tag 64 bytes", "d8404301ff02", []byte{1, 0xff, 2}},
		{"tag 64 empty", "d84040", []byte{}},
		{"bignum 1", "c24101", int64(1)},
		{"bignum empty", "c240", int64(0)},
		{"bignum 2^63", "c2488000000000000000", uint64(1 << 63)},
		{"bignum 2^64-1", "c248ffffffffffffffff", uint64(math.MaxUint64)},
		{"bignum 2^64", "c249010000000000000000", 18446744073709551616.0},
		{"bignum 2^64 padded", "c24a00010000000000000000", 18446744073709551616.0},
		{"negative bignum -1", "c34100", int64(-1)},
		{"negative bignum -2^63", "c3487fffffffffffffff", int64(math.MinInt64)},
		{"negative bignum -2^63-1", "c3488000000000000000", -9223372036854775809.0},
		{"negative integer -2^64", "3bffffffffffffffff", -18446744073709551616.0},
		{"URI tag 32", "d8206161", "a"},
		{"unknown tag", "d9fffe6161", "a"},
		{"nested tags", "d820d8216161", "a"},
		{"tag on a list", "d9ffff820102", []any{int64(1), int64(2)}},
		{"tag on a dict and a key", "d9ffffa1d9ffff616101", map[string]any{"a": int64(1)}},
		{"typed array tag 72", "d8484101", []byte{1}},
		{"date/time tag 0", "c074323031332d30332d32315432303a30343a30305a", "2013-03-21T20:04:00Z"},
		{"epoch tag 1", "c11a514b67b0", "2013-03-21T20:04:00Z"},
		{"decimal fraction tag 4", "c482213819", []any{int64(-2), int64(-26)}},
	} {
		got, err := cborArg(t, tc.arg)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %#v, %v; want %#v", tc.name, got, err, tc.want)
		}
	}
	// A whole message tagged, such as with the self-described CBOR tag.
	data, _ := hex.DecodeString("d9d9f7" + "821843" + "01")
	if msg, err := codec.CBOR().Decode(data); err != nil || msg.(*protocol.Unregistered).Request != 1 {
		t.Errorf("tagged message: %#v, %v", msg, err)
	}
}

// The exchange that used to end a session: a wampy.js peer (cbor-x) echoes
// bytes in tag 64; we read []byte, and answer with a plain byte string.
func TestWampyBytesEcho(t *testing.T) {
	// RESULT [50, 7, {}, [tag64(h'0102')]]
	data, _ := hex.DecodeString("84183207a081d8404201" + "02")
	msg, err := codec.CBOR().Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if got := msg.(*protocol.Result).Args; !reflect.DeepEqual(got, []any{[]byte{1, 2}}) {
		t.Fatalf("args %#v", got)
	}
	out, err := codec.CBOR().Encode(msg)
	if err != nil || hex.EncodeToString(out) != "84183207a081420102" {
		t.Errorf("re-encoded %x, %v", out, err)
	}
}

// Values that remain refused, each for the reason the package comment
// gives.
func TestRemainingRefusals(t *testing.T) {
	huge := "c2" + "5881" + "01" + strings.Repeat("00", 128) // 2^1024: beyond float64
	for name, arg := range map[string]string{
		"bignum beyond float64":          huge,
		"negative bignum beyond float64": "c3" + huge[2:],
		"simple value 16":                "f0",
		"simple value 255":               "f8ff",
		"bignum of text":                 "c26161",
		"invalid date/time":              "c06161",
	} {
		_, err := cborArg(t, arg)
		mustDecodeError(t, codec.CBOR(), err)
		var ve *protocol.ValidationError
		if errors.As(err, &ve) {
			t.Errorf("cbor %s: refused by validation, not decoding: %v", name, err)
		}
	}
	// MessagePack: a timestamp of a length the specification does not
	// define (TestMsgPackExtRefusals has the others).
	data, _ := hex.DecodeString("953001" + "80" + "a3612e62" + "91" + "d5ff0000")
	_, err := codec.MsgPack().Decode(data)
	mustDecodeError(t, codec.MsgPack(), err)
}

// A JSON string of NUL and text that is not base64 is that text: a
// MessagePack or CBOR peer may publish such text through a router that
// bridges serializers, and one EVENT must not end a JSON subscriber's
// session. It encodes back as the same text.
func TestLenientJSONText(t *testing.T) {
	const text = "\x00not base64!"
	event := &protocol.Event{Subscription: 1, Publication: 2, Details: protocol.Dict{},
		Payload: protocol.Payload{Args: []any{text, "\x00", "\x00AA=="}}}
	data, err := codec.MsgPack().Encode(event)
	if err != nil {
		t.Fatal(err)
	}
	fromPeer, err := codec.MsgPack().Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	// The router re-encodes for its JSON subscriber, as JSON defines it:
	// NUL escaped. (Our own JSON encoder refuses the two strings that
	// would read back as binary.)
	in := []byte(`[36,1,2,{},["\u0000not base64!","\u0000","\u0000AA=="]]`)
	got, err := codec.JSON().Decode(in)
	if err != nil {
		t.Fatalf("json subscriber: %v", err)
	}
	args := got.(*protocol.Event).Args
	if args[0] != text || !reflect.DeepEqual(args[1], []byte{}) || !reflect.DeepEqual(args[2], []byte{0}) {
		t.Errorf("args %#v", args)
	}
	if fromPeer.(*protocol.Event).Args[0] != args[0] {
		t.Errorf("text %q became %q", fromPeer.(*protocol.Event).Args[0], args[0])
	}
	out, err := codec.JSON().Encode(call(text))
	if err != nil || !strings.Contains(string(out), `"\u0000not base64!"`) {
		t.Errorf("json encode of %q: %s, %v", text, out, err)
	}
}

// Autobahn|Python (Python's json module, allow_nan) writes NaN, Infinity
// and -Infinity as bare words; Crossbar.io passes them on. They read as
// float64 NaN and ±Inf, in a value's place only: inside a string, or glued
// to another token, they stay what they are.
func TestLenientJSONNonFinite(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	for _, tc := range []struct {
		in   string
		args []any // nil: refused
	}{
		// What Autobahn|Python's JsonSerializer writes for a PUBLISH of
		// [nan, inf, -inf, 1.5].
		{`[16,1,{},"com.t",[NaN,Infinity,-Infinity,1.5]]`, []any{nan, inf, -inf, 1.5}},
		{`[16,1,{},"com.t",[ NaN , {"a" : Infinity}, [-Infinity]]]`, []any{nan, map[string]any{"a": inf}, []any{-inf}}},
		{`[16,1,{},"com.t",["NaN","a\"NaN",NaN]]`, []any{"NaN", `a"NaN`, nan}},
		{`[16,1,{},"com.t",["\ud800",NaN]]`, []any{"\uFFFD", nan}},
		{`[16,1,{},"com.t",[1NaN]]`, nil},
		{`[16,1,{},"com.t",[NaN1]]`, nil},
		{`[16,1,{},"com.t",[-NaN]]`, nil},
		{`[16,1,{},"com.t",[nan]]`, nil},
		{`[16,1,{},"com.t",[Infinityx]]`, nil},
		{`[16,1,{},"com.t",[NaN,]]`, nil},
		{`[16,1,{NaN:1},"com.t",[]]`, nil},
	} {
		msg, err := codec.JSON().Decode([]byte(tc.in))
		if tc.args == nil {
			mustDecodeError(t, codec.JSON(), err)
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if got := msg.(*protocol.Publish).Args; !peerEqual(got, tc.args) {
			t.Errorf("%s: %#v, want %#v", tc.in, got, tc.args)
		}
	}
	// The encoder still refuses them: they are not JSON.
	if _, err := codec.JSON().Encode(call(nan)); !errors.Is(err, codec.ErrUnsupportedValue) {
		t.Errorf("encode NaN: %v", err)
	}
}
