package wsconn_test

import (
	"context"
	"net"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/wsconn"
)

// ws:// to a RawSocket port says what was expected, not only that the
// connection was reset.
func TestDialRawSocketPortSaysSo(t *testing.T) {
	nl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ln, err := rawsocket.Listen(nl, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	_, err = wsconn.Dial(ctx, "ws://"+ln.Addr().String(), nil)
	if err == nil || !strings.Contains(err.Error(), "is this a RawSocket port?") {
		t.Fatalf("err = %v", err)
	}
}
