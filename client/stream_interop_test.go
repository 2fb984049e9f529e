package client_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/routertest"
	"github.com/wampgo/wampgo/protocol"
)

// Byte streams against Autobahn|Python (testdata/peers/stream_peer.py) and
// autobahn-js (stream_peer.js) through fox-wamp. Both peers speak
// progressive call results, so downloads go both ways; neither they nor
// fox-wamp speak progressive call invocations, so an upload from them is
// one plain call whose args[0] RegisterStream's in reads, and CallStream
// against fox-wamp fails with ErrNotSupported.

// peerPattern is the stream the peers make: byte i is (i*31+7) % 256.
func peerPattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*31 + 7)
	}
	return b
}

// registerPeerStreams registers the procedures the peers call: a download
// of args[0] bytes of peerPattern, and an upload answering with its length
// and digest.
func registerPeerStreams(t *testing.T, c *client.Client) {
	t.Helper()
	_, err := c.RegisterStream(ctxT(t), "com.wampgo.stream.download", func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
		var n int
		if err := inv.Decode(&n); err != nil {
			return client.Result{}, err
		}
		_, err := out.Write(peerPattern(n))
		return client.Result{}, err
	})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.RegisterStream(ctxT(t), "com.wampgo.stream.upload", func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
		b, err := io.ReadAll(in)
		return client.Result{Args: protocol.List{map[string]any{"bytes": len(b), "sha256": digest(b)}}}, err
	})
	if err != nil {
		t.Fatal(err)
	}
}

const peerStreamBytes = 1<<20 + 4321

type streamPeer struct {
	name  string
	uri   string // the peer's procedures are com.stream.<uri>.*
	start func(t *testing.T, args ...string) *routertest.NodeProc
	run   func(t *testing.T, args ...string) *routertest.NodeResult
}

var streamPeers = []streamPeer{
	{"python", "py",
		func(t *testing.T, args ...string) *routertest.NodeProc {
			return routertest.StartPython(t, "stream_peer.py", args...)
		},
		func(t *testing.T, args ...string) *routertest.NodeResult {
			return routertest.RunPython(t, "stream_peer.py", args...)
		}},
	{"js", "js",
		func(t *testing.T, args ...string) *routertest.NodeProc {
			return routertest.StartNode(t, "stream_peer.js", args...)
		},
		func(t *testing.T, args ...string) *routertest.NodeResult {
			return routertest.RunNode(t, "stream_peer.js", args...)
		}},
}

// We download from the peer's callee (its progressive results are our
// Reader's chunks, its final result the last chunk) and upload to it with a
// plain call; CallStream is refused by fox-wamp's missing feature.
func TestInteropStreamFromPeer(t *testing.T) {
	for _, p := range streamPeers {
		t.Run(p.name, func(t *testing.T) {
			r := routertest.Start(t)
			p.start(t, r.URL(), interopRealm, "callee").WaitReady(t)
			c := dialReal(t, r)
			proc := protocol.URI("com.stream." + p.uri + ".download")
			call := c.Call(ctxT(t), proc, protocol.List{peerStreamBytes}, nil, client.ReceiveProgress())
			got, err := io.ReadAll(call.Reader())
			if err != nil || !bytes.Equal(got, peerPattern(peerStreamBytes)) {
				t.Fatalf("download: %d bytes of %d, %v", len(got), peerStreamBytes, err)
			}

			if p.name == "python" {
				res, err := c.Call(ctxT(t), "com.stream.py.upload", protocol.List{peerPattern(300_000)}, nil).Await(ctxT(t))
				want := fmt.Sprint(map[string]any{"bytes": int64(300_000), "sha256": digest(peerPattern(300_000))})
				if err != nil || len(res.Args) != 1 || fmt.Sprint(res.Args[0]) != want {
					t.Fatalf("upload: %v, %v", res.Args, err)
				}
			}

			up := c.CallStream(ctxT(t), proc, bytes.NewReader([]byte("x")))
			if _, err := io.ReadAll(up.Reader()); !errors.Is(err, client.ErrNotSupported) {
				t.Fatalf("CallStream through fox-wamp: %v", err)
			}
		})
	}
}

// The peer downloads from our RegisterStream (it receives one binary
// argument per progressive result) and uploads to it with a plain call.
func TestInteropStreamToPeer(t *testing.T) {
	for _, p := range streamPeers {
		t.Run(p.name, func(t *testing.T) {
			r := routertest.Start(t)
			c := dialReal(t, r)
			registerPeerStreams(t, c)

			out := p.run(t, r.URL(), interopRealm, "download", "com.wampgo.stream.download", fmt.Sprint(peerStreamBytes))
			out.RequireExit(t, 0)
			res := out.OfType(t, "result")
			want := digest(peerPattern(peerStreamBytes))
			if len(res) != 1 || fmt.Sprint(res[0]["bytes"]) != fmt.Sprint(peerStreamBytes) || res[0]["sha256"] != want || fmt.Sprint(res[0]["chunks"]) == "0" {
				t.Fatalf("%s downloaded %v\n%s", p.name, res, out)
			}

			out = p.run(t, r.URL(), interopRealm, "upload", "com.wampgo.stream.upload", "300000")
			out.RequireExit(t, 0)
			res = out.OfType(t, "result")
			if len(res) != 1 || fmt.Sprint(res[0]["value"]) != fmt.Sprint(map[string]any{"bytes": 300000, "sha256": digest(peerPattern(300000))}) {
				t.Fatalf("%s uploaded %v\n%s", p.name, res, out)
			}
		})
	}
}
