package codec_test

import (
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// Every MessagePack code the decoder reads (those the encoder never
// writes too: narrow signed integers, float 32, str 8 and 32, bin 32,
// every extension form, 16- and 32-bit lists and dicts) decodes to its
// value, and every prefix of the message is truncated input.
func TestMsgpackEveryCode(t *testing.T) {
	args := []struct {
		enc  []byte
		want any
	}{
		{[]byte{0xd0, 0x80}, int64(-128)},
		{[]byte{0xd1, 0xff, 0x00}, int64(-256)},
		{[]byte{0xd2, 0xff, 0xff, 0xff, 0x00}, int64(-256)},
		{[]byte{0xd3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00}, int64(-256)},
		{[]byte{0xcc, 0xff}, int64(255)},
		{[]byte{0xcd, 0x01, 0x00}, int64(256)},
		{[]byte{0xce, 0x00, 0x01, 0x00, 0x00}, int64(65536)},
		{[]byte{0xcf, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, uint64(math.MaxUint64)},
		{[]byte{0xcf, 0, 0, 0, 0, 0, 0, 0, 5}, int64(5)},
		{[]byte{0xca, 0x40, 0x20, 0x00, 0x00}, 2.5},
		{[]byte{0xcb, 0x40, 0x04, 0, 0, 0, 0, 0, 0}, 2.5},
		{[]byte{0xd9, 0x01, 'a'}, "a"},
		{[]byte{0xda, 0x00, 0x01, 'b'}, "b"},
		{[]byte{0xdb, 0x00, 0x00, 0x00, 0x01, 'c'}, "c"},
		{[]byte{0xc4, 0x01, 7}, []byte{7}},
		{[]byte{0xc5, 0x00, 0x01, 8}, []byte{8}},
		{[]byte{0xc6, 0x00, 0x00, 0x00, 0x01, 9}, []byte{9}},
		{[]byte{0xd4, 0x00, 0x00}, nil}, // undefined
		{[]byte{0xd5, 0x05, 1, 2}, []byte{1, 2}},
		{[]byte{0xc7, 0x01, 0x05, 3}, []byte{3}},
		{[]byte{0xc8, 0x00, 0x01, 0x05, 4}, []byte{4}},
		{[]byte{0xc9, 0x00, 0x00, 0x00, 0x01, 0x05, 6}, []byte{6}},
		{[]byte{0xde, 0x00, 0x01, 0xa1, 'k', 0x01}, map[string]any{"k": int64(1)}},
		{[]byte{0xdf, 0x00, 0x00, 0x00, 0x01, 0xa1, 'k', 0xc0}, map[string]any{"k": nil}},
		{[]byte{0xdd, 0x00, 0x00, 0x00, 0x01, 0xc3}, []any{true}},
		{[]byte{0xe0}, int64(-32)},
	}
	// [CALL, 1, {}, "p", [args...]], the list of arguments 16-bit.
	data := []byte{0x95, 0x30, 0x01, 0x80, 0xa1, 'p', 0xdc, 0x00, byte(len(args))}
	var want []any
	for _, a := range args {
		data = append(data, a.enc...)
		want = append(want, a.want)
	}
	msg, err := codec.MsgPack().Decode(data)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	got := msg.(*protocol.Call).Args
	for i := range want {
		if i >= len(got) || !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("argument %d (% x): got %#v, want %#v", i, args[i].enc, got[i], want[i])
		}
	}
	for n := range len(data) {
		_, err := codec.MsgPack().Decode(data[:n])
		if !errors.Is(err, codec.ErrTruncated) {
			t.Fatalf("prefix %d: %v, want ErrTruncated", n, err)
		}
	}
}
