package codec_test

import (
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
