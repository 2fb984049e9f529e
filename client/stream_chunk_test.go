package client_test

import (
	"bytes"
	"context"
	"io"
	"net"
	"testing"
	"testing/synctest"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
)

// Over a RawSocket whose router accepts 4 KiB messages, stream writers cut
// their chunks to fit (smaller still under JSON, whose base64 grows them
// by a third), and nothing is refused.
func TestStreamChunksFitTheRouterLimit(t *testing.T) {
	const limit = 4096
	for _, cd := range []codec.Codec{codec.JSON(), codec.MsgPack(), codec.CBOR()} {
		t.Run(cd.Name(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				cn, sn := net.Pipe()
				sc := make(chan *rawsocket.Conn, 1)
				go func() {
					s, err := rawsocket.Server(context.Background(), sn, &rawsocket.ServerOptions{Codecs: []codec.Codec{cd}, ReadLimit: limit})
					if err != nil {
						t.Error(err)
					}
					sc <- s
				}()
				ct, err := rawsocket.Client(context.Background(), cn, &rawsocket.Options{Codecs: []codec.Codec{cd}})
				if err != nil {
					t.Fatal(err)
				}
				j := clienttest.StartOn(t, ct, <-sc, nil)
				c, _ := j.Welcome()
				r := j.Router
				data := streamData(20000, 9)

				// Output: the callee's progressive YIELDs.
				regDone := make(chan error, 1)
				go func() {
					_, err := c.RegisterStream(context.Background(), "com.down", func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
						_, err := out.Write(data)
						return client.Result{}, err
					})
					regDone <- err
				}()
				reg := scripted.Expect[*protocol.Register](r)
				r.Send(&protocol.Registered{Request: reg.Request, Registration: 5})
				if err := <-regDone; err != nil {
					t.Fatal(err)
				}
				r.Send(&protocol.Invocation{Request: 1, Registration: 5, Details: protocol.Dict{"receive_progress": true}})
				var got []byte
				for {
					y := scripted.Expect[*protocol.Yield](r)
					if y.Options["progress"] != true {
						break
					}
					got = append(got, checkChunk(t, y.Args, limit)...)
				}
				if !bytes.Equal(got, data) {
					t.Fatalf("YIELDs carried %d bytes of %d", len(got), len(data))
				}

				// Input: the caller's progressive CALLs.
				call := c.CallStream(context.Background(), "com.up", bytes.NewReader(data))
				got = nil
				var req protocol.ID
				for {
					m := scripted.Expect[*protocol.Call](r)
					req = m.Request
					got = append(got, checkChunk(t, m.Args, limit)...)
					if m.Options["progress"] != true {
						break
					}
				}
				if !bytes.Equal(got, data) {
					t.Fatalf("CALLs carried %d bytes of %d", len(got), len(data))
				}
				r.Send(&protocol.Result{Request: req, Details: protocol.Dict{}})
				if _, err := io.ReadAll(call.Reader()); err != nil {
					t.Fatal(err)
				}
			})
		})
	}
}

// checkChunk returns the chunk in args, failing t unless it is one binary
// no larger than what a message of limit bytes leaves room for.
func checkChunk(t *testing.T, args protocol.List, limit int) []byte {
	t.Helper()
	if len(args) == 0 {
		return nil
	}
	b, ok := args[0].([]byte)
	if !ok || len(b) == 0 || len(b) > limit-1024 {
		t.Fatalf("chunk %T of %d bytes over a %d-byte limit", args[0], len(b), limit)
	}
	return b
}
