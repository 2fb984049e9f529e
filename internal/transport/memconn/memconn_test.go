package memconn_test

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/memconn"
	"github.com/wampgo/wampgo/protocol"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const bound = 10 * time.Second

func pairs() map[string]func() (protocol.Transport, protocol.Transport) {
	m := map[string]func() (protocol.Transport, protocol.Transport){
		"pointer": func() (protocol.Transport, protocol.Transport) { return memconn.Pipe("json") },
	}
	for _, c := range codec.Default() {
		m[c.Name()] = func() (protocol.Transport, protocol.Transport) { return memconn.PipeCodec(c) }
	}
	return m
}

func msgs() []protocol.Message {
	return []protocol.Message{
		&protocol.Hello{Realm: "realm1", Details: protocol.Dict{"roles": protocol.Dict{"caller": protocol.Dict{}}}},
		&protocol.Call{Request: 1, Options: protocol.Dict{}, Procedure: "a.b",
			Payload: protocol.Payload{Args: protocol.List{int64(1), "x", []byte{1, 2}}}},
		&protocol.Goodbye{Details: protocol.Dict{}, Reason: "wamp.close.normal"},
	}
}

func recv(t *testing.T, tr protocol.Transport) protocol.Message {
	t.Helper()
	select {
	case m, ok := <-tr.Receive():
		if !ok {
			t.Fatalf("Receive closed: %v", tr.Err())
		}
		return m
	case <-time.After(bound):
		t.Fatal("nothing received")
	}
	return nil
}

func drained(t *testing.T, tr protocol.Transport) []protocol.Message {
	t.Helper()
	var rest []protocol.Message
	for {
		select {
		case m, ok := <-tr.Receive():
			if !ok {
				return rest
			}
			rest = append(rest, m)
		case <-time.After(bound):
			t.Fatal("Receive not closed")
		}
	}
}

func TestRoundTrip(t *testing.T) {
	for name, pipe := range pairs() {
		t.Run(name, func(t *testing.T) {
			a, b := pipe()
			defer a.Close()
			if a.Serializer() != b.Serializer() || (name != "pointer" && a.Serializer() != name) {
				t.Fatalf("Serializer %q, %q", a.Serializer(), b.Serializer())
			}
			ctx := context.Background()
			for _, m := range msgs() {
				if err := a.Send(ctx, m); err != nil {
					t.Fatal(err)
				}
				if err := b.Send(ctx, m); err != nil {
					t.Fatal(err)
				}
			}
			for _, m := range msgs() {
				for _, tr := range []protocol.Transport{b, a} {
					got := recv(t, tr)
					if !reflect.DeepEqual(got, m) {
						t.Fatalf("got %#v, want %#v", got, m)
					}
					if name != "pointer" && got == m {
						t.Fatal("PipeCodec delivered the sent pointer")
					}
				}
			}
		})
	}
}

// TestClose: Close ends both sides, the peer with ErrPeerClosed, after
// delivering what was queued; Send then fails.
func TestClose(t *testing.T) {
	for name, pipe := range pairs() {
		t.Run(name, func(t *testing.T) {
			a, b := pipe()
			ctx := context.Background()
			for _, m := range msgs() {
				if err := a.Send(ctx, m); err != nil {
					t.Fatal(err)
				}
			}
			if err := a.Close(); err != nil {
				t.Fatal(err)
			}
			if err := a.Close(); err != nil {
				t.Fatal(err)
			}
			<-a.Done()
			<-b.Done()
			if !errors.Is(a.Err(), protocol.ErrTransportClosed) || !errors.Is(b.Err(), memconn.ErrPeerClosed) {
				t.Fatalf("Err = %v, %v", a.Err(), b.Err())
			}
			if got := drained(t, b); len(got) != len(msgs()) {
				t.Fatalf("peer got %d messages after Close, want %d", len(got), len(msgs()))
			}
			drained(t, a)
			if err := a.Send(ctx, msgs()[0]); !errors.Is(err, protocol.ErrTransportClosed) {
				t.Fatalf("Send after Close = %v", err)
			}
			if err := b.Send(ctx, msgs()[0]); !errors.Is(err, memconn.ErrPeerClosed) {
				t.Fatalf("peer Send after Close = %v", err)
			}
			if err := b.Close(); err != nil || !errors.Is(b.Err(), memconn.ErrPeerClosed) {
				t.Fatalf("peer Close = %v, Err = %v", err, b.Err())
			}
		})
	}
}

func TestFail(t *testing.T) {
	a, b := memconn.Pipe("json")
	lost := errors.New("cable cut")
	a.(*memconn.Conn).Fail(lost)
	for _, tr := range []protocol.Transport{a, b} {
		<-tr.Done()
		if tr.Err() != lost {
			t.Fatalf("Err = %v, want %v", tr.Err(), lost)
		}
		drained(t, tr)
	}
	a.Close()
	if a.Err() != lost {
		t.Fatalf("Close changed Err to %v", a.Err())
	}
}

// TestBlockedSend: Send blocks on a full queue until ctx ends, and a Send
// blocked when the pair ends returns.
func TestBlockedSend(t *testing.T) {
	a, b := memconn.Pipe("json")
	ctx := context.Background()
	for range memconn.QueueSize {
		if err := a.Send(ctx, msgs()[2]); err != nil {
			t.Fatal(err)
		}
	}
	short, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
	defer cancel()
	if err := a.Send(short, msgs()[2]); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Send on a full queue = %v", err)
	}
	blocked := make(chan error, 1)
	go func() { blocked <- a.Send(ctx, msgs()[2]) }()
	b.Close()
	if err := <-blocked; !errors.Is(err, memconn.ErrPeerClosed) {
		t.Fatalf("blocked Send = %v, want ErrPeerClosed", err)
	}
}

// TestViolation: an undecodable message ends the receiver's read side;
// the receiver can still send its ABORT until Close.
func TestViolation(t *testing.T) {
	a, b := memconn.PipeCodec(codec.JSON())
	ctx := context.Background()
	if err := a.Send(ctx, msgs()[0]); err != nil {
		t.Fatal(err)
	}
	if err := a.(*memconn.Conn).SendRaw(ctx, []byte(`[48, 0, {}, "a.b"]`)); err != nil {
		t.Fatal(err)
	}
	<-b.Done()
	if !errors.Is(b.Err(), protocol.ErrProtocolViolation) {
		t.Fatalf("Err = %v", b.Err())
	}
	if got := drained(t, b); len(got) != 1 {
		t.Fatalf("got %d messages before the violation, want 1", len(got))
	}
	if a.Err() != nil {
		t.Fatalf("sender ended: %v", a.Err())
	}
	if err := a.Send(ctx, msgs()[1]); err != nil {
		t.Fatalf("Send to an ended read side = %v, want nil (dropped)", err)
	}
	abort := &protocol.Abort{Details: protocol.Dict{}, Reason: "wamp.error.protocol_violation"}
	if err := b.Send(ctx, abort); err != nil {
		t.Fatalf("ABORT after the violation: %v", err)
	}
	if got := recv(t, a); !reflect.DeepEqual(got, abort) {
		t.Fatalf("got %#v", got)
	}
	b.Close()
	if !errors.Is(b.Err(), protocol.ErrProtocolViolation) || !errors.Is(a.Err(), memconn.ErrPeerClosed) {
		t.Fatalf("Err = %v, %v", b.Err(), a.Err())
	}
	drained(t, a)

	p, _ := memconn.Pipe("json")
	if err := p.(*memconn.Conn).SendRaw(ctx, []byte("[]")); err == nil {
		t.Fatal("SendRaw without a codec: no error")
	}
	p.Close()
}

func TestEncodeError(t *testing.T) {
	a, b := memconn.PipeCodec(codec.CBOR())
	defer a.Close()
	err := a.Send(context.Background(), &protocol.Call{Request: 0, Options: protocol.Dict{}, Procedure: "a"})
	var ee *codec.EncodeError
	if !errors.As(err, &ee) {
		t.Fatalf("Send = %v, want an EncodeError", err)
	}
	if a.Err() != nil || b.Err() != nil {
		t.Fatal("an encode error ended the pair")
	}
}

// TestConcurrent: concurrent senders on both sides with Close racing;
// per-sender order holds and nothing hangs or races.
func TestConcurrent(t *testing.T) {
	const senders, each = 8, 500
	a, b := memconn.PipeCodec(codec.MsgPack())
	var wg sync.WaitGroup
	for g := range senders {
		wg.Go(func() {
			for i := range each {
				m := &protocol.Publish{Request: protocol.ID(g*each + i + 1), Options: protocol.Dict{}, Topic: fmt.Sprint("t", g)}
				if err := a.Send(context.Background(), m); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	next := make([]int, senders)
	for range senders * each {
		p := recv(t, b).(*protocol.Publish)
		g, i := int(p.Request-1)/each, int(p.Request-1)%each
		if i != next[g] {
			t.Fatalf("sender %d: got %d, want %d", g, i, next[g])
		}
		next[g]++
	}
	wg.Wait()

	for range senders {
		wg.Go(func() {
			for {
				if err := b.Send(context.Background(), msgs()[2]); err != nil {
					return
				}
			}
		})
	}
	wg.Go(func() {
		for range a.Receive() {
		}
	})
	b.Close()
	wg.Wait()
}
