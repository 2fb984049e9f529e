package clienttest_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"

	"go.uber.org/goleak"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The harness joins a client, and its cleanup ends the client and the
// scripted router without leaving a goroutine behind (TestMain checks).
func TestJoinedAndSubscribe(t *testing.T) {
	c, r := clienttest.Joined(t)
	if got := c.Session().Realm; got == "" {
		t.Fatalf("joined without a realm")
	}
	sub, m := clienttest.Subscribe(t, c, r, "com.example.topic", 7, func(context.Context, *client.Event) {})
	if sub.ID() != 7 || m.Topic != "com.example.topic" {
		t.Fatalf("subscription %d on %q, want 7 on com.example.topic", sub.ID(), m.Topic)
	}
	clienttest.Close(t, c)
	if err := c.Wait(context.Background()); err != nil {
		t.Fatalf("Wait after Close: %v", err)
	}
}

// A Dialer hands each dial a fresh scripted router, or the failure set.
func TestDialer(t *testing.T) {
	d := clienttest.NewDialer(t)
	d.SetFail(protocol.ErrTransportClosed)
	if _, err := d.Dial(context.Background(), "mem://a"); err == nil {
		t.Fatal("Dial succeeded with a failure set")
	}
	if n := d.Dials(); n != 1 {
		t.Fatalf("Dials = %d, want 1", n)
	}
}

// Over every transport, Joined and a Dialer connect the client to a
// router on the chosen transport, inside a synctest bubble too, and leave
// no goroutine behind (TestMain checks).
func TestEveryTransport(t *testing.T) {
	for _, tr := range clienttest.Transports() {
		t.Run(tr.Name(), func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				c, j := clienttest.JoinedWith(t, clienttest.Setup{Transport: tr})
				expectTransport(t, tr, j.Router.Transport())
				if got := c.Serializer(); got != tr.Serializer() {
					t.Fatalf("Serializer = %q, want %q", got, tr.Serializer())
				}
				d := clienttest.NewDialerOver(t, tr)
				ct, err := d.Dial(context.Background(), "mem://a")
				if err != nil {
					t.Fatal(err)
				}
				defer ct.Close()
				expectTransport(t, tr, ct)
				expectTransport(t, tr, d.Next(t).Transport())
			})
		})
	}
}

// A RawSocket dial whose context has ended fails, and its handshake
// goroutine ends with it.
func TestRawSocketDialCanceled(t *testing.T) {
	d := clienttest.NewDialerOver(t, clienttest.Transport{RawSocket: codec.JSON()})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if ct, err := d.Dial(ctx, "mem://a"); !errors.Is(err, context.Canceled) {
		t.Fatalf("Dial = %v, %v; want context.Canceled", ct, err)
	}
	if n := d.Untaken(); n != 0 {
		t.Fatalf("%d connections after a failed dial", n)
	}
}

func expectTransport(t *testing.T, tr clienttest.Transport, end protocol.Transport) {
	t.Helper()
	if _, raw := end.(*rawsocket.Conn); raw != (tr.RawSocket != nil) {
		t.Fatalf("%s: an end is a %T", tr.Name(), end)
	}
}
