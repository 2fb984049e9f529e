package client_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// inputChunk is a progressive input chunk of invocation req (final: the
// last one).
func inputChunk(req protocol.ID, arg any, final bool) *protocol.Invocation {
	d := protocol.Dict{"progress": true}
	if final {
		d = protocol.Dict{}
	}
	return &protocol.Invocation{Request: req, Registration: 1, Details: d, Payload: protocol.Payload{Args: protocol.List{arg}}}
}

// By default (Fail) a handler that leaves its inputs unread past the
// window ends its invocation: ERROR wamp.error.invalid_argument, its
// context ended; the session never waits.
func TestInputsOverflowFailsByDefault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		ended := make(chan error, 1)
		clienttest.Register(t, c, r, "lazy", 1, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
			<-ctx.Done()
			ended <- context.Cause(ctx)
			return client.Result{}, ctx.Err()
		})
		r.Send(inputChunk(1, int64(0), false))
		for i := range 70 {
			r.Send(inputChunk(1, int64(i), false))
		}
		e := scripted.Expect[*protocol.Error](r)
		if e.Request != 1 || e.Error != "wamp.error.invalid_argument" || !strings.Contains(fmt.Sprint(e.Args), "input queue full") {
			t.Fatalf("ERROR = %+v", e)
		}
		if err := <-ended; !errors.Is(err, context.Canceled) {
			t.Fatalf("handler's context ended with %v", err)
		}
		clienttest.Close(t, c)
	})
}

// Under OnOverflow(Block) a plain handler that reads its inputs late gets
// them all: past the window the session stops reading (another call's
// result waits) instead of ending the invocation, and reads on as the
// handler takes its inputs.
func TestInputsOverflowBlockWaits(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		release := make(chan struct{})
		clienttest.Register(t, c, r, "sum", 1, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
			<-release
			total := inv.Args[0].(int64)
			for in := range inv.Inputs() {
				total += in.Args[0].(int64)
			}
			return client.Result{Args: protocol.List{total}}, nil
		}, client.OnOverflow(client.Block))
		const sent = 100 // past the window of 64 (the rest wait in the connection)
		r.Send(inputChunk(1, int64(0), false))
		want := int64(0)
		for i := range sent {
			r.Send(inputChunk(1, int64(i), i == sent-1))
			want += int64(i)
		}
		other := c.Call(context.Background(), "com.other", nil, nil)
		m := scripted.Expect[*protocol.Call](r) // requests still go out
		r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
		synctest.Wait()
		select {
		case <-other.Done():
			t.Fatal("the session read past a full input window")
		default:
		}
		close(release)
		y := scripted.Expect[*protocol.Yield](r)
		if y.Request != 1 || y.Args[0] != want {
			t.Fatalf("YIELD = %+v, want the sum %d", y, want)
		}
		if _, err := other.Await(context.Background()); err != nil {
			t.Fatal(err)
		}
		clienttest.Close(t, c)
	})
}

// The inputs' window is bounded in bytes too, by the registration's
// MailboxLimits: large chunks end the invocation long before 64 of them.
func TestInputsWindowBoundedInBytes(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, j := clienttest.JoinedWith(t, clienttest.Setup{Codec: codec.JSON()})
		r := j.Router
		clienttest.Register(t, c, r, "lazy", 1, func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
			<-ctx.Done()
			return client.Result{}, ctx.Err()
		}, client.MailboxLimits(client.Limits{MaxBytes: 10 * 1300}))
		chunk := strings.Repeat("i", 1000) // with its item, about 1,300 bytes
		r.Send(inputChunk(1, chunk, false))
		sent := 0
		for ; sent < 20; sent++ {
			r.Send(inputChunk(1, chunk, false))
			synctest.Wait()
			select {
			case m := <-r.Transport().Receive():
				if e, ok := m.(*protocol.Error); !ok || e.Request != 1 || e.Error != "wamp.error.invalid_argument" {
					t.Fatalf("got %+v, want ERROR invalid_argument", m)
				}
			default:
				continue
			}
			break
		}
		if sent < 8 || sent > 11 {
			t.Fatalf("the invocation failed at chunk %d, want about 10 (its byte bound)", sent+1)
		}
		j.Raw.Close()
		c.Close(context.Background())
	})
}

// Drop does not apply to a registration's inputs: a dropped chunk would
// corrupt them.
func TestRegisterRefusesDropForInputs(t *testing.T) {
	c, _ := clienttest.Joined(t)
	_, err := c.Register(context.Background(), "p", func(context.Context, *client.Invocation) (client.Result, error) {
		return client.Result{}, nil
	}, client.OnOverflow(client.Drop))
	var ae *client.ArgumentError
	if !errors.As(err, &ae) || ae.Arg != "option OnOverflow" {
		t.Fatalf("err = %v, want an *ArgumentError for OnOverflow", err)
	}
}

// Under Drop, Results' window is bounded in bytes too: results past
// ProgressQueueLimits' bytes are dropped, however many ProgressBuffer
// allows.
func TestProgressDropByteBound(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, j := clienttest.JoinedWith(t, clienttest.Setup{Codec: codec.JSON()})
		r := j.Router
		ctx := context.Background()
		chunk := strings.Repeat("p", 1000) // about 1,750 bytes a result
		const kept, sent = 5, 20
		stream := c.Call(ctx, "com.stream", nil, nil, client.ReceiveProgress(), client.ProgressBuffer(100),
			client.OnProgressOverflow(client.Drop), client.ProgressQueueLimits(client.Limits{MaxBytes: kept * 1800}))
		m := scripted.Expect[*protocol.Call](r)
		for i := range sent {
			r.Send(progress(m.Request, fmt.Sprintf("%d:%s", i, chunk)))
		}
		synctest.Wait()
		if got := stream.Dropped(); got != sent-kept {
			t.Fatalf("Dropped = %d, want %d", got, sent-kept)
		}
		r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"final"}}})
		n := 0
		for res := range stream.Results() {
			if res.Progress {
				n++
			}
		}
		if n != kept {
			t.Fatalf("read %d progressive results, want %d", n, kept)
		}
		j.Raw.Close()
		c.Close(ctx)
	})
}

func TestOverflowPolicyString(t *testing.T) {
	for p, want := range map[client.OverflowPolicy]string{client.Drop: "drop", client.Block: "block", client.Fail: "fail", 7: "unknown"} {
		if got := p.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", int(p), got, want)
		}
	}
}
