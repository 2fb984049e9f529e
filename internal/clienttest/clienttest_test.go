package clienttest_test

import (
	"context"
	"testing"

	"go.uber.org/goleak"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/clienttest"
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
