package codec_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// ReadHead reads the type and the leading ids from a prefix of a message,
// in every serializer, however the prefix cuts the message.
func TestReadHead(t *testing.T) {
	big := strings.Repeat("x", 10000)
	for _, tc := range []struct {
		msg  protocol.Message
		want codec.Head
	}{
		{&protocol.Event{Subscription: 5, Publication: protocol.MaxID, Details: protocol.Dict{"k": big}},
			codec.Head{Type: protocol.TypeEvent, IDs: [2]protocol.ID{5, protocol.MaxID}}},
		{&protocol.Result{Request: 300, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{big}}},
			codec.Head{Type: protocol.TypeResult, IDs: [2]protocol.ID{300}}},
		{&protocol.Error{RequestType: protocol.TypeCall, Request: 1 << 40, Details: protocol.Dict{}, Error: "a.b", Payload: protocol.Payload{Args: protocol.List{big}}},
			codec.Head{Type: protocol.TypeError, IDs: [2]protocol.ID{uint64(protocol.TypeCall), 1 << 40}}},
		{&protocol.Goodbye{Details: protocol.Dict{"message": big}, Reason: "wamp.close.normal"},
			codec.Head{Type: protocol.TypeGoodbye}},
	} {
		for _, cd := range []codec.Codec{codec.JSON(), codec.MsgPack(), codec.CBOR()} {
			b, err := cd.Encode(tc.msg)
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range []int{len(b), 4096, 64} {
				if h, err := codec.ReadHead(cd, b[:n]); err != nil || h != tc.want {
					t.Errorf("%s %v, %d bytes: %+v, %v; want %+v", cd.Name(), tc.msg.Type(), n, h, err, tc.want)
				}
			}
			// A prefix that cuts the ids: those cut are 0, never misread.
			for n := 1; n < 12 && n < len(b); n++ {
				h, err := codec.ReadHead(cd, b[:n])
				if err == nil && (h.Type != tc.want.Type || (h.IDs[0] != 0 && h.IDs[0] != tc.want.IDs[0]) || (h.IDs[1] != 0 && h.IDs[1] != tc.want.IDs[1])) {
					t.Errorf("%s %v cut at %d: %+v", cd.Name(), tc.msg.Type(), n, h)
				}
			}
		}
	}
}

// Whole floats are read as ids, as the codecs read them in full messages.
func TestReadHeadFloatIDs(t *testing.T) {
	h, err := codec.ReadHead(codec.JSON(), []byte(`[50, 7.0, {"x":`))
	if err != nil || h.Type != protocol.TypeResult || h.IDs[0] != 7 {
		t.Fatalf("%+v %v", h, err)
	}
}

// A prefix that is no WAMP message's is refused with ErrHeadUnreadable.
func TestReadHeadUnreadable(t *testing.T) {
	for _, tc := range []struct {
		cd codec.Codec
		in string
	}{
		{codec.JSON(), `{"a":1}`},
		{codec.JSON(), `[99, 1, 2]`},
		{codec.JSON(), `["x", 1]`},
		{codec.JSON(), `[3`},
		{codec.JSON(), ``},
		{codec.MsgPack(), "\x81\xa1a\x01"},
		{codec.MsgPack(), "\x93\xa1x"},
		{codec.CBOR(), "\xa1\x61a\x01"},
		{codec.CBOR(), "\x83\x61x"},
		{codec.CBOR(), "\x9b\x00"},
		{codec.CBOR(), ""},
	} {
		if h, err := codec.ReadHead(tc.cd, []byte(tc.in)); !errors.Is(err, codec.ErrHeadUnreadable) {
			t.Errorf("%s %q: %+v, %v", tc.cd.Name(), tc.in, h, err)
		}
	}
}
