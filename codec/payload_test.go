package codec

import (
	"bytes"
	"errors"
	"reflect"
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

var allCodecs = []Codec{JSON(), MsgPack(), CBOR()}

// splicedCases are messages with their payload split off: the header
// carries everything else.
func splicedCases() []struct {
	name   string
	full   protocol.Message
	header protocol.Message
	args   protocol.List
	kwargs protocol.Dict
} {
	type tc = struct {
		name   string
		full   protocol.Message
		header protocol.Message
		args   protocol.List
		kwargs protocol.Dict
	}
	args := protocol.List{int64(42), "hello", 3.25, protocol.List{true, nil}}
	kwargs := protocol.Dict{"b": int64(2), "a": protocol.Dict{"x": "y"}, "bin": []byte{1, 2}}
	call := func(a protocol.List, k protocol.Dict) *protocol.Call {
		return &protocol.Call{Request: 7, Options: protocol.Dict{"receive_progress": true}, Procedure: "com.example.p",
			Payload: protocol.Payload{Args: a, Kwargs: k}}
	}
	return []tc{
		{"call-none", call(nil, nil), call(nil, nil), nil, nil},
		{"call-args", call(args, nil), call(nil, nil), args, nil},
		{"call-kwargs", call(nil, kwargs), call(nil, nil), nil, kwargs},
		{"call-both", call(args, kwargs), call(nil, nil), args, kwargs},
		{"publish", &protocol.Publish{Request: 1 << 40, Options: protocol.Dict{}, Topic: "t.x", Payload: protocol.Payload{Args: args}},
			&protocol.Publish{Request: 1 << 40, Options: protocol.Dict{}, Topic: "t.x"}, args, nil},
		{"yield", &protocol.Yield{Request: 3, Options: protocol.Dict{}, Payload: protocol.Payload{Args: args, Kwargs: kwargs}},
			&protocol.Yield{Request: 3, Options: protocol.Dict{}}, args, kwargs},
		{"error", &protocol.Error{RequestType: protocol.TypeInvocation, Request: 9, Details: protocol.Dict{}, Error: "wamp.error.runtime_error",
			Payload: protocol.Payload{Args: args, Kwargs: kwargs}},
			&protocol.Error{RequestType: protocol.TypeInvocation, Request: 9, Details: protocol.Dict{}, Error: "wamp.error.runtime_error"}, args, kwargs},
	}
}

func TestAppendSplicedMatchesEncode(t *testing.T) {
	for _, c := range allCodecs {
		for _, tc := range splicedCases() {
			t.Run(c.Name()+"/"+tc.name, func(t *testing.T) {
				want, err := c.Encode(tc.full)
				if err != nil {
					t.Fatal(err)
				}
				p, err := EncodePayload(c, tc.args, tc.kwargs)
				if err != nil {
					t.Fatal(err)
				}
				prefix := []byte("keep")
				got, err := AppendSpliced(c, prefix, tc.header, p)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got[:4], prefix) || !bytes.Equal(got[4:], want) {
					t.Fatalf("spliced %x\nwant    %x", got[4:], want)
				}
			})
		}
	}
}

func TestAppendSplicedTranscodes(t *testing.T) {
	for _, from := range allCodecs {
		for _, to := range allCodecs {
			for _, tc := range splicedCases() {
				p, err := EncodePayload(from, tc.args, tc.kwargs)
				if err != nil {
					t.Fatal(err)
				}
				got, err := AppendSpliced(to, nil, tc.header, p)
				if err != nil {
					t.Fatalf("%s→%s %s: %v", from.Name(), to.Name(), tc.name, err)
				}
				m1, err := to.Decode(got)
				if err != nil {
					t.Fatalf("%s→%s %s: decode: %v", from.Name(), to.Name(), tc.name, err)
				}
				want, _ := to.Encode(tc.full)
				m2, _ := to.Decode(want)
				if !reflect.DeepEqual(m1, m2) {
					t.Fatalf("%s→%s %s:\n got %#v\nwant %#v", from.Name(), to.Name(), tc.name, m1, m2)
				}
			}
		}
	}
}

func TestEncodePayloadRefusesUnsupported(t *testing.T) {
	for _, c := range allCodecs {
		_, err := EncodePayload(c, protocol.List{make(chan int)}, nil)
		var ee *EncodeError
		if !errors.As(err, &ee) || !errors.Is(err, ErrUnsupportedValue) {
			t.Fatalf("%s: err = %v", c.Name(), err)
		}
		if p, err := EncodePayload(c, nil, protocol.Dict{}); err != nil || p.Count() != 0 || p.Size() != 0 {
			t.Fatalf("%s: empty payload = %+v, %v", c.Name(), p, err)
		}
	}
}

func TestFixListHeaderGrows(t *testing.T) {
	for _, format := range []string{"msgpack", "cbor"} {
		for _, n := range []uint64{0, 14, 15, 22, 23, 255, 256, 65535, 65536} {
			b := appendListHeader(format, []byte("x"), n)
			b = append(b, 0xAA)
			b, err := fixListHeader(format, b, 1, 2)
			if err != nil {
				t.Fatal(err)
			}
			got, hlen, err := readListHeader(format, b[1:])
			if err != nil || got != n+2 || b[0] != 'x' || b[1+hlen] != 0xAA || len(b) != 2+hlen {
				t.Fatalf("%s n=%d: got %d (hlen %d) %x, %v", format, n, got, hlen, b, err)
			}
		}
	}
	if _, _, err := readListHeader("cbor", []byte{0x9f}); err == nil {
		t.Fatal("indefinite CBOR array accepted")
	}
	if _, _, err := readListHeader("msgpack", []byte{0xdc, 1}); err == nil {
		t.Fatal("truncated header accepted")
	}
}
