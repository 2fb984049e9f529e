package client_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/clienttest"
	"github.com/wampgo/wampgo/internal/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// By default no progressive result is dropped: a reader that falls behind
// gets every one, in order, then the final result.
func TestProgressNeverDroppedByDefault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, j := clienttest.JoinedWith(t, clienttest.Setup{Codec: codec.JSON()})
		r, rt := j.Router, j.Raw
		const n = 2000
		call := c.Call(context.Background(), "stream", nil, nil, client.ReceiveProgress(), client.ProgressBuffer(4))
		m := scripted.Expect[*protocol.Call](r)
		for i := range n {
			r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{"progress": true}, Payload: protocol.Payload{Args: protocol.List{int64(i)}}})
		}
		r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{"final"}}})
		if res, err := call.Await(context.Background()); err != nil || res.Args[0] != "final" {
			t.Fatalf("Await = %v, %v", res, err)
		}
		i := 0
		for res := range call.Results() {
			if i < n {
				if !res.Progress || res.Args[0] != int64(i) {
					t.Fatalf("result %d: %+v", i, res)
				}
			} else if res.Progress || res.Args[0] != "final" {
				t.Fatalf("final: %+v", res)
			}
			i++
		}
		if i != n+1 || call.Dropped() != 0 {
			t.Fatalf("%d results, %d dropped", i, call.Dropped())
		}
		rt.Close()
		c.Close(context.Background())
	})
}

// A call whose results wait unread when the session ends still completes,
// and its Results channel is closed.
func TestQueuedProgressAtSessionEnd(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, j := clienttest.JoinedWith(t, clienttest.Setup{Codec: codec.JSON()})
		r, rt := j.Router, j.Raw
		call := c.Call(context.Background(), "stream", nil, nil, client.ReceiveProgress(), client.ProgressBuffer(1))
		m := scripted.Expect[*protocol.Call](r)
		for i := range 10 {
			r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{"progress": true}, Payload: protocol.Payload{Args: protocol.List{int64(i)}}})
		}
		synctest.Wait()
		rt.Close()
		if _, err := call.Await(context.Background()); !errors.Is(err, client.ErrClosed) {
			t.Fatalf("Await = %v", err)
		}
		c.Wait(context.Background())
		n := 0
		for range call.Results() {
			n++
		}
		if n == 0 || n > 2 {
			t.Fatalf("%d results after the end", n)
		}
	})
}
