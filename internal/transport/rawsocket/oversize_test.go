package rawsocket_test

import (
	"bytes"
	"runtime"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
)

// A message frame over our limit is read through: Receive delivers a
// *protocol.TooLarge with its type and ids in its place, and the next
// message follows, in every serializer. Before, the read side ended.
func TestMessageOverLimitIsDelivered(t *testing.T) {
	big := strings.Repeat("x", 4096)
	for _, tc := range []struct {
		msg  protocol.Message
		want protocol.TooLarge
	}{
		{&protocol.Invocation{Request: 7, Registration: 9, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{big}}},
			protocol.TooLarge{Of: protocol.TypeInvocation, Request: 7, Registration: 9}},
		{&protocol.Result{Request: protocol.MaxID, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{big}}},
			protocol.TooLarge{Of: protocol.TypeResult, Request: protocol.MaxID}},
		{&protocol.Error{RequestType: protocol.TypeCall, Request: 3, Details: protocol.Dict{}, Error: "x.y", Payload: protocol.Payload{Args: protocol.List{big}}},
			protocol.TooLarge{Of: protocol.TypeError, RequestType: protocol.TypeCall, Request: 3}},
		{&protocol.Event{Subscription: 5, Publication: 6, Details: protocol.Dict{"x": big}},
			protocol.TooLarge{Of: protocol.TypeEvent, Subscription: 5, Publication: 6}},
		{&protocol.Welcome{Session: 11, Details: protocol.Dict{"roles": protocol.Dict{"broker": protocol.Dict{}}, "x": big}},
			protocol.TooLarge{Of: protocol.TypeWelcome}},
	} {
		for _, cd := range []codec.Codec{codec.JSON(), codec.MsgPack(), codec.CBOR()} {
			t.Run(cd.Name()+"/"+tc.want.Of.String(), func(t *testing.T) {
				c, peer := rawPeer(t, &rawsocket.Options{Codecs: []codec.Codec{cd}, ReadLimit: 1024}, 15)
				b, err := cd.Encode(tc.msg)
				if err != nil {
					t.Fatal(err)
				}
				next, _ := cd.Encode(&protocol.Event{Subscription: 1, Publication: 2, Details: protocol.Dict{}})
				go func() {
					peer.Write(frame(0, b))
					peer.Write(frame(0, next))
				}()
				tl, ok := recv(t, c).(*protocol.TooLarge)
				want := tc.want
				want.Size, want.Limit = int64(len(b)), 1024
				if !ok || *tl != want {
					t.Fatalf("got %+v, want %+v", tl, want)
				}
				if m, ok := recv(t, c).(*protocol.Event); !ok || m.Publication != 2 {
					t.Fatalf("next message %+v", m)
				}
			})
		}
	}
}

// A 16 MiB message (RawSocket's largest) over a 512-byte limit is read
// through without being held: the process allocates far less than the
// message meanwhile.
func TestMessageOverLimitBoundedMemory(t *testing.T) {
	c, peer := rawPeer(t, &rawsocket.Options{Codecs: []codec.Codec{codec.JSON()}, ReadLimit: 512}, 15)
	const total = rawsocket.MaxMaxLength
	head := []byte(`[68,1,2,{},["`)
	chunk := bytes.Repeat([]byte{'x'}, 32<<10)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	go func() {
		peer.Write([]byte{0x08, 0, 0, 0})
		peer.Write(head)
		rest := total - len(head)
		for rest > 0 {
			n, err := peer.Write(chunk[:min(rest, len(chunk))])
			if err != nil {
				return
			}
			rest -= n
		}
		peer.Write(frame(0, []byte(`[36,1,2,{}]`)))
	}()
	if tl, ok := recv(t, c).(*protocol.TooLarge); !ok || tl.Of != protocol.TypeInvocation || tl.Request != 1 || tl.Size != total {
		t.Fatalf("got %+v", tl)
	}
	recv(t, c)
	runtime.ReadMemStats(&after)
	if d := after.TotalAlloc - before.TotalAlloc; d > total/16 {
		t.Fatalf("allocated %d bytes reading a %d-byte message over a 512-byte limit", d, total)
	} else {
		t.Logf("allocated %d bytes for a %d-byte message", d, total)
	}
}

// A message within the read limit but over the codec's own size limit
// (codec.Limits.MaxMessageSize) is a message over the limit too: delivered
// as a *protocol.TooLarge with the codec's limit, and the next follows.
func TestMessageOverCodecLimitIsDelivered(t *testing.T) {
	cd := codec.NewCBOR(codec.Limits{MaxMessageSize: 600})
	c, peer := rawPeer(t, &rawsocket.Options{Codecs: []codec.Codec{cd}, ReadLimit: 64 << 10}, 15)
	b, _ := cd.Encode(&protocol.Result{Request: 4, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{strings.Repeat("x", 1000)}}})
	next, _ := cd.Encode(&protocol.Event{Subscription: 1, Publication: 2, Details: protocol.Dict{}})
	go func() {
		peer.Write(frame(0, b))
		peer.Write(frame(0, next))
	}()
	want := protocol.TooLarge{Of: protocol.TypeResult, Request: 4, Size: int64(len(b)), Limit: 600}
	if tl, ok := recv(t, c).(*protocol.TooLarge); !ok || *tl != want {
		t.Fatalf("got %+v, want %+v", tl, want)
	}
	if m, ok := recv(t, c).(*protocol.Event); !ok || m.Publication != 2 {
		t.Fatalf("next message %+v", m)
	}
}
