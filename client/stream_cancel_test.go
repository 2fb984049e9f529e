package client_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/client/wamptest"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// kitPair joins two clients to a fresh kit router over its pipes (usable
// inside a synctest bubble).
func kitPair(t *testing.T) (r *wamptest.Router, callee, caller *client.Client) {
	t.Helper()
	r = wamptest.NewRouter(wamptest.WithoutMessageLog())
	join := func() *client.Client {
		c, err := client.Connect(context.Background(), r.Pipe(), "realm1")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	return r, join(), join()
}

// The caller's context ending cancels the stream: the callee's in and out
// fail with the interrupt, the caller's reader with ErrCanceled.
func TestStreamCancelByCaller(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, callee, caller := kitPair(t)
		defer r.Close()
		defer callee.Close(context.Background())
		defer caller.Close(context.Background())
		got := make(chan struct{})
		errs := make(chan [2]error, 1)
		_, err := callee.RegisterStream(context.Background(), "com.stream.slow", func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
			buf := make([]byte, 10)
			if _, err := io.ReadFull(in, buf); err != nil {
				return client.Result{}, err
			}
			close(got)
			_, rerr := io.ReadAll(in)
			_, werr := out.Write(buf)
			errs <- [2]error{rerr, werr}
			return client.Result{}, rerr
		})
		if err != nil {
			t.Fatal(err)
		}
		pr, pw := io.Pipe()
		defer pw.Close()
		ctx, cancel := context.WithCancel(context.Background())
		call := caller.CallStream(ctx, "com.stream.slow", pr)
		pw.Write(make([]byte, 100))
		<-got
		cancel()
		e := <-errs
		var ie *client.InterruptError
		if !errors.As(e[0], &ie) || !errors.Is(e[1], client.ErrInterrupted) {
			t.Fatalf("callee: in %v, out %v", e[0], e[1])
		}
		if _, err = io.ReadAll(call.Reader()); !errors.Is(err, client.ErrCanceled) {
			t.Fatalf("caller's reader: %v", err)
		}
		var we *client.Error
		if _, err := call.Await(context.Background()); !errors.As(err, &we) || we.URI != "wamp.error.canceled" {
			t.Fatalf("Await: %v", err)
		}
	})
}

// A session lost mid-stream is an error at both ends, never a hang: the
// side whose connection died sees ErrClosed, the other the router's
// answer (an ERROR for the caller, an INTERRUPT for the callee).
func TestStreamSessionLoss(t *testing.T) {
	for _, lose := range []string{"caller", "callee"} {
		t.Run(lose, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				r, callee, caller := kitPair(t)
				defer r.Close()
				defer callee.Close(context.Background())
				defer caller.Close(context.Background())
				got := make(chan struct{})
				inErr := make(chan error, 1)
				_, err := callee.RegisterStream(context.Background(), "com.stream.cut", func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
					if _, err := out.Write([]byte("head")); err != nil {
						return client.Result{}, err
					}
					buf := make([]byte, 10)
					if _, err := io.ReadFull(in, buf); err != nil {
						return client.Result{}, err
					}
					close(got)
					_, err := io.ReadAll(in)
					inErr <- err
					return client.Result{}, err
				})
				if err != nil {
					t.Fatal(err)
				}
				pr, pw := io.Pipe()
				defer pw.Close()
				call := caller.CallStream(context.Background(), "com.stream.cut", pr)
				pw.Write(make([]byte, 100))
				<-got
				rd := call.Reader()
				head := make([]byte, 4)
				if _, err := io.ReadFull(rd, head); err != nil || string(head) != "head" {
					t.Fatalf("head: %q, %v", head, err)
				}
				lost := caller
				if lose == "callee" {
					lost = callee
				}
				if err := r.Drop(lost.Session().ID); err != nil {
					t.Fatal(err)
				}
				errIn := <-inErr
				_, errOut := io.ReadAll(rd)
				var we *client.Error
				if lose == "caller" {
					if !errors.Is(errOut, client.ErrClosed) || !errors.Is(errIn, client.ErrInterrupted) {
						t.Fatalf("caller's reader: %v; callee's in: %v", errOut, errIn)
					}
				} else if !errors.As(errOut, &we) || !errors.Is(errIn, client.ErrClosed) {
					t.Fatalf("caller's reader: %v; callee's in: %v", errOut, errIn)
				}
			})
		})
	}
}

// A stream handler that does not read holds its inputs in a bounded
// window, then the session stops reading from the router (so a result for
// another call waits), and reads again as the handler takes its input.
func TestStreamInputBackpressure(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		release := make(chan struct{})
		total := make(chan int, 1)
		regDone := make(chan error, 1)
		go func() {
			_, err := c.RegisterStream(context.Background(), "com.stream.lazy", func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
				<-release
				b, err := io.ReadAll(in)
				total <- len(b)
				return client.Result{}, err
			})
			regDone <- err
		}()
		reg := scripted.Expect[*protocol.Register](r)
		r.Send(&protocol.Registered{Request: reg.Request, Registration: 5})
		if err := <-regDone; err != nil {
			t.Fatal(err)
		}
		chunk := make([]byte, 1000)
		progress := protocol.Dict{"progress": true}
		r.Send(&protocol.Invocation{Request: 1, Registration: 5, Details: progress})
		const sent = 40 // more than the window
		for range sent {
			r.Send(&protocol.Invocation{Request: 1, Registration: 5, Details: progress, Payload: protocol.Payload{Args: protocol.List{chunk}}})
		}
		r.Send(&protocol.Invocation{Request: 1, Registration: 5, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{chunk}}})

		other := c.Call(context.Background(), "com.other", nil, nil)
		m := scripted.Expect[*protocol.Call](r)
		r.Send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}})
		synctest.Wait()
		select {
		case <-other.Done():
			t.Fatal("the session read past a full stream window")
		default:
		}

		close(release)
		if n := <-total; n != (sent+1)*len(chunk) {
			t.Fatalf("handler read %d bytes", n)
		}
		if _, err := other.Await(context.Background()); err != nil {
			t.Fatal(err)
		}
		scripted.Expect[*protocol.Yield](r)
		clienttest.Close(t, c)
	})
}

// A stream writer whose connection does not drain waits once the session's
// write queue is full: what it has written stays bounded, and it goes on
// as the router reads.
func TestStreamWriterBlocksOnFullWriteQueue(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		const queue, total, piece = 64 << 10, 1 << 20, 8 << 10
		c, j := clienttest.JoinedWith(t, clienttest.Setup{Transport: clienttest.Transport{RawSocket: codec.MsgPack()}},
			client.WithWriteQueue(queue))
		r := j.Router
		var written atomic.Int64
		regDone := make(chan error, 1)
		go func() {
			_, err := c.RegisterStream(context.Background(), "com.flood", func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
				b := make([]byte, piece)
				for written.Load() < total {
					if _, err := out.Write(b); err != nil {
						return client.Result{}, err
					}
					written.Add(piece)
				}
				return client.Result{}, nil
			})
			regDone <- err
		}()
		reg := scripted.Expect[*protocol.Register](r)
		r.Send(&protocol.Registered{Request: reg.Request, Registration: 5})
		if err := <-regDone; err != nil {
			t.Fatal(err)
		}
		r.Send(&protocol.Invocation{Request: 1, Registration: 5, Details: protocol.Dict{"receive_progress": true}})
		synctest.Wait() // the router reads nothing: the writer is stuck
		if n := written.Load(); n >= total || n > 4*queue {
			t.Fatalf("%d bytes written into a connection that does not drain", n)
		}
		got := 0
		for {
			y := scripted.Expect[*protocol.Yield](r)
			if y.Options["progress"] != true {
				break
			}
			got += len(y.Args[0].([]byte))
		}
		if got != total {
			t.Fatalf("router read %d bytes of %d", got, total)
		}
	})
}

// A CallStream reader that does not read keeps a bounded window (16
// results and 1 MiB queued), then the session stops reading: the router's
// sends wait. Reading on delivers every byte, in order.
func TestStreamReaderWindow(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, j := clienttest.JoinedWith(t, clienttest.Setup{Transport: clienttest.Transport{RawSocket: codec.MsgPack()}})
		r := j.Router
		call := c.CallStream(context.Background(), "com.big", strings.NewReader(""))
		first := scripted.Expect[*protocol.Call](r)
		scripted.Expect[*protocol.Call](r) // the final input, empty
		const chunks, size = 200, 64 << 10
		data := streamData(chunks*size, 5)
		var sent atomic.Int64
		go func() {
			for i := range chunks {
				r.Send(&protocol.Result{Request: first.Request, Details: protocol.Dict{"progress": true},
					Payload: protocol.Payload{Args: protocol.List{data[i*size : (i+1)*size]}}})
				sent.Add(1)
			}
			r.Send(&protocol.Result{Request: first.Request, Details: protocol.Dict{}})
		}()
		synctest.Wait()
		// The client holds about 34 (Results, the queue, the parked one,
		// the one in hand); the router's RawSocket send queue the rest.
		if n := sent.Load(); n > 64 {
			t.Fatalf("the router sent %d chunks to a reader that reads nothing", n)
		}
		got, err := io.ReadAll(call.Reader())
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("read %d bytes of %d: %v", len(got), len(data), err)
		}
	})
}

// A stream invocation queued behind a running one (Concurrency 1) whose
// caller streams past the window fails, instead of stopping the session's
// reading, which the running one needs for its own input.
func TestStreamQueuedInvocationDoesNotStallTheSession(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c, r := clienttest.Joined(t)
		regDone := make(chan error, 1)
		go func() {
			_, err := c.RegisterStream(context.Background(), "com.stream.one", func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
				b, err := io.ReadAll(in)
				return client.Result{Args: protocol.List{len(b)}}, err
			}, client.Concurrency(1))
			regDone <- err
		}()
		reg := scripted.Expect[*protocol.Register](r)
		r.Send(&protocol.Registered{Request: reg.Request, Registration: 5})
		if err := <-regDone; err != nil {
			t.Fatal(err)
		}
		progress := protocol.Dict{"progress": true}
		chunk := protocol.Payload{Args: protocol.List{make([]byte, 100)}}
		r.Send(&protocol.Invocation{Request: 1, Registration: 5, Details: progress, Payload: chunk})
		synctest.Wait() // the first runs, waiting for input
		r.Send(&protocol.Invocation{Request: 2, Registration: 5, Details: progress})
		for range 30 {
			r.Send(&protocol.Invocation{Request: 2, Registration: 5, Details: progress, Payload: chunk})
		}
		e := scripted.Expect[*protocol.Error](r)
		if e.Request != 2 || e.Error != "wamp.error.invalid_argument" {
			t.Fatalf("ERROR %+v", e)
		}
		r.Send(&protocol.Invocation{Request: 1, Registration: 5, Details: protocol.Dict{}, Payload: chunk})
		y := scripted.Expect[*protocol.Yield](r)
		if y.Request != 1 || y.Args[0] != int64(200) {
			t.Fatalf("YIELD %+v", y)
		}
		clienttest.Close(t, c)
	})
}

// A caller that stops reading and cancels never stalls its session, even
// when the session had stopped reading for that stream's window: the
// unread chunks are discarded, so the router's answer to the CANCEL
// (CancelKill) gets through.
func TestStreamCancelWhileWindowFull(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		r, callee, caller := kitPair(t)
		defer r.Close()
		defer callee.Close(context.Background())
		defer caller.Close(context.Background())
		_, err := callee.RegisterStream(context.Background(), "com.stream.flood", func(ctx context.Context, inv *client.Invocation, in io.Reader, out io.Writer) (client.Result, error) {
			b := make([]byte, 64<<10)
			for range 48 { // 3 MiB: past the caller's window (2 MiB)
				if _, err := out.Write(b); err != nil {
					return client.Result{}, err
				}
			}
			<-ctx.Done()
			return client.Result{}, ctx.Err()
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		call := caller.CallStream(ctx, "com.stream.flood", strings.NewReader(""))
		synctest.Wait() // the caller's session has stopped reading
		cancel()
		var we *client.Error
		if _, err := call.Await(context.Background()); !errors.As(err, &we) || we.URI != "wamp.error.canceled" {
			t.Fatalf("Await: %v", err)
		}
		if _, err := io.ReadAll(call.Reader()); !errors.Is(err, client.ErrCanceled) {
			t.Fatalf("reader: %v", err)
		}
		// The session reads on.
		if _, err := caller.Call(context.Background(), "wamp.session.count", nil, nil).Await(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
}
