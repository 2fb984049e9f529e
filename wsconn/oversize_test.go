package wsconn_test

import (
	"context"
	"runtime"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// TestMessageTooLargeBoundedMemory: a 64 MiB message over a 64 KiB read
// limit is read through without being held: the process allocates far
// less than the message while the client discards it (the peer writes it
// in 32 KiB pieces, from one buffer), and the next message arrives.
func TestMessageTooLargeBoundedMemory(t *testing.T) {
	const total = 64 << 20
	url := rawServer(t, &websocket.AcceptOptions{Subprotocols: []string{"wamp.2.json"}}, func(ctx context.Context, c *websocket.Conn) {
		w, err := c.Writer(ctx, websocket.MessageText)
		if err != nil {
			return
		}
		head := `[36,5,6,{},["`
		chunk := []byte(strings.Repeat("x", 32<<10))
		w.Write([]byte(head))
		for n := len(head); n < total; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
		w.Write([]byte(`"]]`))
		if w.Close() != nil {
			return
		}
		c.Write(ctx, websocket.MessageText, []byte(`[36,5,7,{}]`))
		c.Read(ctx)
	})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	client := dial(t, url, &wsconn.Options{ReadLimit: 64 << 10, Codecs: []codec.Codec{codec.JSON()}})
	tl, ok := recv(t, client).(*protocol.TooLarge)
	if !ok || tl.Of != protocol.TypeEvent || tl.Subscription != 5 || tl.Publication != 6 || tl.Size < total {
		t.Fatalf("got %#v, want the TooLarge of EVENT 5 6", tl)
	}
	if ev, ok := recv(t, client).(*protocol.Event); !ok || ev.Publication != 7 {
		t.Fatalf("got %#v, want EVENT 7", ev)
	}
	runtime.ReadMemStats(&after)
	if d := after.TotalAlloc - before.TotalAlloc; d > total/8 {
		t.Fatalf("allocated %d bytes reading a %d-byte message over a 64 KiB limit", d, total)
	} else {
		t.Logf("allocated %d bytes for a %d-byte message", d, total)
	}
}

// A message within the read limit but over the codec's own size limit is
// delivered as a *protocol.TooLarge with the codec's limit.
func TestMessageOverCodecLimit(t *testing.T) {
	cd := codec.NewMsgPack(codec.Limits{MaxMessageSize: 600})
	srv := newAcceptServer(t, &wsconn.AcceptOptions{Codecs: []codec.Codec{codec.MsgPack()}})
	client := dial(t, srv.url, &wsconn.Options{Codecs: []codec.Codec{cd}})
	server := srv.next(t)
	send(t, server, &protocol.Event{Subscription: 3, Publication: 4, Details: protocol.Dict{"x": strings.Repeat("x", 1000)}})
	send(t, server, &protocol.Event{Subscription: 3, Publication: 5, Details: protocol.Dict{}})
	if tl, ok := recv(t, client).(*protocol.TooLarge); !ok || tl.Of != protocol.TypeEvent || tl.Publication != 4 || tl.Limit != 600 {
		t.Fatalf("got %+v", tl)
	}
	if ev, ok := recv(t, client).(*protocol.Event); !ok || ev.Publication != 5 {
		t.Fatalf("got %+v", ev)
	}
}
