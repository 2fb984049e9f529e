package bench

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

func TestMain(m *testing.M) {
	if os.Getenv(ExternalEnv) != "" {
		// This process is the external server of another one's benchmarks.
		if err := ServeExternal(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "bench external server:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if os.Getenv(KitRouterEnv) != "" {
		if err := ServeKitRouter(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "bench kit router:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if os.Getenv(CallPeerEnv) != "" {
		if err := ServeCallPeer(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "bench call peer:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

const (
	realm    = "realm1"
	echoProc = "bench.echo"
)

// benchArgs is the payload of every call and event: three small arguments.
var benchArgs = protocol.List{int64(42), "hello, world", 3.25}

// codecCase pairs a wampgo codec with the raw library of the same format.
type codecCase struct {
	name string
	wamp codec.Codec
	raw  RawCodec
}

func codecCases() []codecCase {
	var cs []codecCase
	for _, name := range []string{"json", "msgpack", "cbor"} {
		w, _ := codec.ByName(name)
		r, _ := RawCodecByName(name)
		cs = append(cs, codecCase{name, w, r})
	}
	return cs
}

// dial joins realm on the router at url with the codec alone offered.
func dial(tb testing.TB, url string, cd codec.Codec) *client.Client {
	c, _ := dialConn(tb, url, cd)
	return c
}

// dialConn is dial that also returns the client's connection, whose
// WriteStats count the write system calls.
func dialConn(tb testing.TB, url string, cd codec.Codec) (*client.Client, *wsconn.Conn) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := wsconn.Dial(ctx, url, &wsconn.Options{Codecs: []codec.Codec{cd}})
	if err != nil {
		tb.Fatalf("Dial %s: %v", url, err)
	}
	c, err := client.Connect(ctx, conn, realm, client.WithSerializers(cd))
	if err != nil {
		tb.Fatalf("Connect %s: %v", url, err)
	}
	if got := c.Session().Details["agent"]; got != "wampgo-bench-router" {
		c.Close(ctx)
		tb.Fatalf("not a bench router: agent %v", got)
	}
	return c, conn
}

// closeClient closes c, failing tb if the GOODBYE handshake fails.
func closeClient(tb testing.TB, c *client.Client) {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Close(ctx); err != nil {
		tb.Errorf("Close: %v", err)
	}
}
