package connstate

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
)

// gatedSink records the batches written; each write waits for a value on
// gate when gate is not nil, and returns fail's value (ending st first).
type gatedSink struct {
	st   *State
	gate chan struct{}
	fail error

	mu      sync.Mutex
	batches [][]int
}

func (s *gatedSink) write(batch []int) error {
	if s.gate != nil {
		<-s.gate
	}
	s.mu.Lock()
	s.batches = append(s.batches, slices.Clone(batch))
	s.mu.Unlock()
	if s.fail != nil {
		s.st.End(s.fail)
		s.st.StopWrites()
		return s.fail
	}
	return nil
}

func (s *gatedSink) got() [][]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.batches)
}

// What is sent while a write is in progress leaves in one batch, in order;
// the senders return once their items are queued, and the write in
// progress, started on a goroutine of its own, writes them.
func TestWriterBatchesSendsBehindAWrite(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := New()
		sink := &gatedSink{st: st, gate: make(chan struct{})}
		w := NewWriter(st, 16, sink.write)
		ctx := context.Background()
		if err := w.Send(ctx, 1); err != nil {
			t.Fatal(err)
		}
		synctest.Wait() // the writer goroutine waits in its write
		for i := 2; i <= 5; i++ {
			if err := w.Send(ctx, i); err != nil {
				t.Fatal(err)
			}
		}
		close(sink.gate)
		st.StopWrites()
		w.Quiesce()
		if got, want := sink.got(), [][]int{{1}, {2, 3, 4, 5}}; !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("batches %v, want %v", got, want)
		}
	})
}

// Write writes in the caller's goroutine when no write is in progress; one
// queued behind another writer returns only once its items are written.
func TestWriterWriteReturnsOnceWritten(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := New()
		sink := &gatedSink{st: st, gate: make(chan struct{}, 1)}
		w := NewWriter(st, 16, sink.write)
		ctx := context.Background()
		sink.gate <- struct{}{}
		if err := w.Write(ctx, 1); err != nil {
			t.Fatal(err)
		}
		if got := sink.got(); len(got) != 1 {
			t.Fatalf("Write returned before its write: %v", got)
		}
		if err := w.Send(ctx, 2); err != nil { // a goroutine writes it, and waits
			t.Fatal(err)
		}
		synctest.Wait()
		done := make(chan error, 1)
		go func() { done <- w.Write(ctx, 3) }()
		synctest.Wait()
		select {
		case err := <-done:
			t.Fatalf("Write behind a write in progress returned (%v) before it was written", err)
		default:
		}
		sink.gate <- struct{}{} // batch {2}
		sink.gate <- struct{}{} // batch {3}
		if err := <-done; err != nil {
			t.Fatal(err)
		}
		if got, want := sink.got(), [][]int{{1}, {2}, {3}}; !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("batches %v, want %v", got, want)
		}
		st.StopWrites()
		w.Quiesce()
	})
}

// Send blocks once limit sends wait behind a write in progress, until the
// writer takes them, ctx ends, or writes stop; Control never waits.
func TestWriterBackpressure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := New()
		sink := &gatedSink{st: st, gate: make(chan struct{})}
		w := NewWriter(st, 2, sink.write)
		ctx := context.Background()
		for i := 1; i <= 3; i++ { // one in the write, two queued
			if err := w.Send(ctx, i); err != nil {
				t.Fatal(err)
			}
			synctest.Wait()
		}
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if err := w.Send(cctx, 4); !errors.Is(err, context.Canceled) {
			t.Fatalf("Send on a full queue with a cancelled ctx = %v, want context.Canceled", err)
		}
		if err := w.Control(100); err != nil {
			t.Fatalf("Control on a full queue = %v", err)
		}
		sent := make(chan error, 1)
		go func() { sent <- w.Send(ctx, 4) }()
		synctest.Wait()
		select {
		case err := <-sent:
			t.Fatalf("Send on a full queue returned %v", err)
		default:
		}
		close(sink.gate) // the writer takes the queue: room again
		if err := <-sent; err != nil {
			t.Fatal(err)
		}
		st.StopWrites()
		w.Quiesce()
		if got, want := sink.got(), [][]int{{1}, {2, 3, 100}, {4}}; !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("batches %v, want %v", got, want)
		}
	})
}

// A failed write drops what is queued; later sends and a Write waiting
// behind it get the end reason.
func TestWriterFailure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st := New()
		boom := errors.New("boom")
		sink := &gatedSink{st: st, gate: make(chan struct{}), fail: boom}
		w := NewWriter(st, 16, sink.write)
		ctx := context.Background()
		if err := w.Send(ctx, 1); err != nil {
			t.Fatal(err)
		}
		synctest.Wait()
		done := make(chan error, 1)
		go func() { done <- w.Write(ctx, 2) }()
		synctest.Wait()
		close(sink.gate)
		if err := <-done; !errors.Is(err, boom) {
			t.Fatalf("Write behind the failed write = %v, want boom", err)
		}
		if err := w.Send(ctx, 3); !errors.Is(err, boom) {
			t.Fatalf("Send after the failure = %v, want boom", err)
		}
		w.Quiesce()
		if got, want := sink.got(), [][]int{{1}}; !slices.EqualFunc(got, want, slices.Equal) {
			t.Fatalf("batches %v, want %v", got, want)
		}
	})
}
