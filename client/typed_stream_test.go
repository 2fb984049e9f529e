package client_test

import (
	"context"
	"errors"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/payload"
)

type rowQuery struct {
	From  int `wamp:"from"`
	Count int `wamp:"count"`
}

type row struct {
	ID   int    `wamp:"id"`
	Name string `wamp:"name"`
}

type rowSummary struct {
	Rows int `wamp:"rows"`
}

func registerRows(t *testing.T, c *client.Client) {
	t.Helper()
	_, err := client.RegisterTypedStream(ctxT(t), c, "com.rows", func(ctx context.Context, q rowQuery, send func(row) error) (rowSummary, error) {
		if q.Count < 0 {
			return rowSummary{}, client.NewError("com.rows.bad_count", nil, nil)
		}
		for i := range q.Count {
			if err := send(row{ID: q.From + i, Name: "r"}); err != nil {
				return rowSummary{}, err
			}
		}
		return rowSummary{Rows: q.Count}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestTypedStream(t *testing.T) {
	callee, caller := miniPair(t)
	registerRows(t, callee)

	s := client.CallTypedStream[row, rowSummary](ctxT(t), caller, "com.rows", rowQuery{From: 10, Count: 500})
	next := 10
	for r, err := range s.Items() {
		if err != nil || r.ID != next || r.Name != "r" {
			t.Fatalf("item %d: %+v, %v", next, r, err)
		}
		next++
	}
	sum, err := s.Result(ctxT(t))
	if err != nil || sum.Rows != 500 || next != 510 {
		t.Fatalf("Result = %+v, %v after %d items", sum, err, next-10)
	}

	// The callee's error is the last pair, and Result's.
	s = client.CallTypedStream[row, rowSummary](ctxT(t), caller, "com.rows", rowQuery{Count: -1})
	var last error
	for _, err := range s.Items() {
		last = err
	}
	var we *client.Error
	if !errors.As(last, &we) || we.URI != "com.rows.bad_count" {
		t.Fatalf("last item error: %v", last)
	}
	if _, err := s.Result(ctxT(t)); !errors.As(err, &we) {
		t.Fatalf("Result: %v", err)
	}

	// A request that does not fit: the handler's decode error.
	bad := client.CallTypedStream[row, rowSummary](ctxT(t), caller, "com.rows", map[string]any{"count": "many"})
	if _, err := bad.Result(ctxT(t)); !errors.As(err, &we) || we.URI != "wamp.error.invalid_argument" {
		t.Fatalf("bad request: %v", err)
	}

	// A request without a payload form never leaves.
	nope := client.CallTypedStream[row, rowSummary](ctxT(t), caller, "com.rows", make(chan int))
	for _, err := range nope.Items() {
		if !errors.Is(err, client.ErrInvalidArgument) {
			t.Fatalf("unencodable request: %v", err)
		}
	}
}

// An item that does not fit Item is reported with its decode error, and
// ranging goes on.
func TestTypedStreamItemMismatch(t *testing.T) {
	callee, caller := miniPair(t)
	registerRows(t, callee)
	type strictRow struct {
		ID   int    `wamp:"id"`
		Name int    `wamp:"name"` // a string arrives
		Pad  string `wamp:"pad,omitempty"`
	}
	s := client.CallTypedStream[strictRow, rowSummary](ctxT(t), caller, "com.rows", rowQuery{Count: 3})
	n := 0
	for _, err := range s.Items() {
		if !errors.Is(err, payload.ErrMismatch) {
			t.Fatalf("item %d: %v", n, err)
		}
		n++
	}
	if sum, err := s.Result(ctxT(t)); err != nil || sum.Rows != 3 || n != 3 {
		t.Fatalf("Result = %+v, %v after %d items", sum, err, n)
	}
}

// Leaving the range early cancels the call; the handler's send then fails.
func TestTypedStreamAbandoned(t *testing.T) {
	callee, caller := miniPair(t)
	sendErr := make(chan error, 1)
	_, err := client.RegisterTypedStream(ctxT(t), callee, "com.forever", func(ctx context.Context, _ struct{}, send func(int) error) (struct{}, error) {
		for i := 0; ; i++ {
			if err := send(i); err != nil {
				sendErr <- err
				return struct{}{}, err
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	s := client.CallTypedStream[int, struct{}](ctxT(t), caller, "com.forever", struct{}{})
	for i, err := range s.Items() {
		if err != nil {
			t.Fatal(err)
		}
		if i == 100 {
			break
		}
	}
	if err := <-sendErr; !errors.Is(err, client.ErrInterrupted) {
		t.Fatalf("send after abandon: %v", err)
	}
	if _, err := s.Result(ctxT(t)); err == nil {
		t.Fatal("an abandoned stream succeeded")
	}
}
