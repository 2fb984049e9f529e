package wsconn_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// The frames of one SendEncoded leave in one write to the network, in
// order, and a frame too large to gather is written through; the accepting
// side batches too.
func TestSendEncodedBatchesWrites(t *testing.T) {
	for _, cd := range []codec.Codec{codec.JSON(), codec.MsgPack(), codec.CBOR()} {
		t.Run(cd.Name(), func(t *testing.T) {
			srv := newAcceptServer(t, &wsconn.AcceptOptions{Codecs: []codec.Codec{cd}})
			client := dial(t, srv.url, &wsconn.Options{Codecs: []codec.Codec{cd}})
			defer client.Close()
			server := srv.next(t)

			const n = 50
			for _, pair := range []struct {
				from, to *wsconn.Conn
			}{{client, server}, {server, client}} {
				var frames [][]byte
				for i := range n {
					b, err := cd.Encode(&protocol.Publish{Request: protocol.ID(i + 1), Options: protocol.Dict{}, Topic: "com.t",
						Payload: protocol.Payload{Args: protocol.List{int64(i)}}})
					if err != nil {
						t.Fatal(err)
					}
					frames = append(frames, b)
				}
				big, err := cd.Encode(&protocol.Publish{Request: n + 1, Options: protocol.Dict{}, Topic: "com.t",
					Payload: protocol.Payload{Args: protocol.List{string(bytes.Repeat([]byte("x"), 200<<10))}}})
				if err != nil {
					t.Fatal(err)
				}
				f0, w0 := pair.from.WriteStats()
				if err := pair.from.SendEncoded(context.Background(), frames); err != nil {
					t.Fatal(err)
				}
				if err := pair.from.SendEncoded(context.Background(), [][]byte{big}); err != nil {
					t.Fatal(err)
				}
				for i := range n + 1 {
					m, ok := recv(t, pair.to).(*protocol.Publish)
					if !ok || m.Request != protocol.ID(i+1) {
						t.Fatalf("message %d: %+v", i, m)
					}
				}
				f1, w1 := pair.from.WriteStats()
				if f1-f0 != n+1 {
					t.Fatalf("%d frames counted, want %d", f1-f0, n+1)
				}
				// The 50 small frames in one write (perhaps with the
				// start of the large one), the large one in writes of
				// at most 64 KiB, not gathered whole.
				if writes := w1 - w0; writes < 2 || writes > 2+(200<<10)/(64<<10)+1 {
					t.Fatalf("%d frames left in %d writes", n+1, writes)
				}
			}
		})
	}
}
