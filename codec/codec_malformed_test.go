package codec_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

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
		"9343ce2f0604aa" + "c70201",         // ext8 beyond the input
		"9343ce2f0604aa" + "d7ffffffffff",   // truncated timestamp
		"9343ce2f0604aa" + "d5ff0000",       // timestamp of 2 bytes
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
		"831843" + "1a2f0604aa" + "c26161",                 // bignum of text
		"831843" + "1a2f0604aa" + "a10101",                 // int key
		"831843" + "1a2f0604aa" + "a2616101616102",         // duplicate key
		"831843" + "1a2f0604aa" + "f0",                     // simple(16)
		"831843" + "1a2f0604aa" + "f820",                   // simple(32)
		"831843" + "1a2f0604aa" + "ff",                     // stray break
		"831843" + "1a2f0604aa" + "1c",                     // reserved info
		"831843" + "1a2f0604aa" + "5f4101" + "6161" + "ff", // text chunk in bytes
		"831843" + "1a2f0604aa" + "7f7f6161ffff",           // nested indefinite chunk
		"9f1843" + "1a2f0604aa",                            // unterminated
	}
	for _, in := range cborCases {
		data, _ := hex.DecodeString(in)
		_, err := codec.CBOR().Decode(data)
		mustDecodeError(t, codec.CBOR(), err)
	}
}
