package codec_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// A lone surrogate (half of a JavaScript or Python string's surrogate
// pair) reads as U+FFFD from every codec: escaped in JSON, as JSON.stringify
// and json.dumps write it, or encoded in three bytes, as cbor-x writes it.
func TestLoneSurrogates(t *testing.T) {
	const r = "\uFFFD"
	type tc struct {
		c    codec.Codec
		in   string // hex for the binary codecs
		want protocol.Dict
	}
	cases := []tc{
		{codec.JSON(), `[48,1,{"a":"\ud800"},"a.b"]`, protocol.Dict{"a": r}},
		{codec.JSON(), `[48,1,{"a":"x\udc00y\ud83d\ude00\uD800"},"a.b"]`, protocol.Dict{"a": "x" + r + "y😀" + r}},
		{codec.JSON(), `[48,1,{"a":"\ud800\u0041"},"a.b"]`, protocol.Dict{"a": r + "A"}},
		{codec.JSON(), `[48,1,{"\ud800":1},"a.b"]`, protocol.Dict{r: int64(1)}},
		{codec.JSON(), "[48,1,{\"a\":\"\xed\xa0\x80\"},\"a.b\"]", protocol.Dict{"a": r}},
		{codec.JSON(), "[48,1,{\"a\":\"\xed\xbf\xbf\\n\"},\"a.b\"]", protocol.Dict{"a": r + "\n"}},
		// [48, 1, {"a": <text>}, "a.b"]
		{codec.MsgPack(), "943001" + "81a161" + "a3eda080" + "a3612e62", protocol.Dict{"a": r}},
		{codec.MsgPack(), "943001" + "81a3eda080" + "01" + "a3612e62", protocol.Dict{r: int64(1)}},
		{codec.MsgPack(), "943001" + "81a161" + "a878eda080f09f9880" + "a3612e62", protocol.Dict{"a": "x" + r + "😀"}},
		{codec.CBOR(), "841830" + "01" + "a16161" + "63eda080" + "63612e62", protocol.Dict{"a": r}},
		{codec.CBOR(), "841830" + "01" + "a163eda080" + "01" + "63612e62", protocol.Dict{r: int64(1)}},
		{codec.CBOR(), "841830" + "01" + "a16161" + "8263eda0806178" + "63612e62", protocol.Dict{"a": []any{r, "x"}}},
		{codec.CBOR(), "841830" + "01" + "a16161" + "7f6178" + "63edb080" + "ff" + "63612e62", protocol.Dict{"a": "x" + r}},
	}
	for _, c := range cases {
		data := []byte(c.in)
		if c.c.Binary() {
			data = mustHex(c.in)
		}
		msg, err := c.c.Decode(data)
		if err != nil {
			t.Errorf("%s %s: %v", c.c.Name(), c.in, err)
			continue
		}
		if got := msg.(*protocol.Call).Options; !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s %s: %#v, want %#v", c.c.Name(), c.in, got, c.want)
		}
	}
	// Refused still: other invalid UTF-8 beside a surrogate, a surrogate
	// cut short, and two keys that become the same.
	refused := []tc{
		{c: codec.JSON(), in: "[48,1,{\"a\":\"\\ud800\xff\"},\"a.b\"]"},
		{c: codec.JSON(), in: "[48,1,{\"a\":\"\xed\xa0\"},\"a.b\"]"},
		{c: codec.JSON(), in: `[48,1,{"\ud800":1,"\udc00":2},"a.b"]`},
		{c: codec.MsgPack(), in: "943001" + "81a161" + "a4eda080ff" + "a3612e62"},
		{c: codec.MsgPack(), in: "943001" + "81a161" + "a2eda0" + "a3612e62"},
		{c: codec.MsgPack(), in: "943001" + "82a3eda08001a3edb08002" + "a3612e62"},
		{c: codec.CBOR(), in: "841830" + "01" + "a16161" + "64eda080ff" + "63612e62"},
		{c: codec.CBOR(), in: "841830" + "01" + "a16161" + "62eda0" + "63612e62"},
		{c: codec.CBOR(), in: "841830" + "01" + "a263eda0800163edb08002" + "63612e62"},
		// Invalid text, and a surrogate's bytes in a byte string.
		{c: codec.CBOR(), in: "841830" + "01" + "a2616161ff" + "616243eda080" + "63612e62"},
	}
	for _, c := range refused {
		data := []byte(c.in)
		if c.c.Binary() {
			data = mustHex(c.in)
		}
		_, err := c.c.Decode(data)
		de := mustDecodeError(t, c.c, err)
		var ve *protocol.ValidationError
		if errors.As(de, &ve) {
			t.Errorf("%s %s: refused by validation: %v", c.c.Name(), c.in, err)
		}
	}
	// What the peers' other encoders write for the same string.
	msg, err := codec.CBOR().Decode(mustHex("841830" + "01" + "a16161" + "63efbfbd" + "63612e62"))
	if err != nil || msg.(*protocol.Call).Options["a"] != r {
		t.Errorf("U+FFFD itself: %#v, %v", msg, err)
	}
}
