package client

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/wampgo/wampgo/protocol"
)

// DefaultStreamChunk is the largest chunk a stream writer sends in one
// message.
const DefaultStreamChunk = 64 << 10

// The window a CallStream reader keeps before the session stops reading:
// its results in number and in bytes (about 32 chunks of the default
// size).
const (
	streamResultBuffer = 16
	streamWindowBytes  = 2 << 20
)

// CallStream calls procedure as a byte stream: r's bytes go out as
// progressive call inputs, chunked (package documentation, "Byte
// streams"), and the callee's progressive results come back, to be read
// with Reader; Await returns the final result. The call asks for progressive results and
// progressive inputs (ReceiveProgress and ProgressiveInputs are implied);
// the router must announce progressive_call_invocations, else the call
// fails with an error matching ErrNotSupported. Its reading window is
// 2 MiB of results (ProgressQueueLimits in opts changes it).
//
// CallStream returns at once. A goroutine of the call's reads r until EOF,
// sending what each Read returns as one chunk (at most the chunk size: a
// reader that returns what it has, a pipe or a log, is streamed as it
// comes), then sends the final input; it stops when the call completes.
// A read error other than io.EOF cancels the call. ctx ending cancels the call
// with its cancel mode, as for Call. Either way, unless the call has
// already succeeded, the chunks not yet read are discarded (so that the
// session never waits for a reader that gave up) and Read fails with an
// error matching ErrCanceled, wrapping the *StreamReadError or ctx's
// cause; Await returns the call's final result (under CancelKill, the
// router's answer to the CANCEL). A Read that never returns keeps
// that goroutine: r should end when the caller gives up (a file, a pipe
// whose writer closes it, a connection with a deadline).
//
// r is not read after the call completes; a callee that answers before
// reading all its input leaves the rest of r unread.
func (c *Client) CallStream(ctx context.Context, procedure protocol.URI, r io.Reader, opts ...CallOption) *Call {
	all := make([]CallOption, 0, len(opts)+4)
	all = append(all, ProgressBuffer(streamResultBuffer), ProgressQueueLimits(Limits{MaxBytes: streamWindowBytes}))
	all = append(all, opts...)
	all = append(all, ReceiveProgress(), ProgressiveInputs())
	sctx, cancel := context.WithCancelCause(ctx)
	call := c.Call(sctx, procedure, nil, nil, all...)
	rd := &callReader{call: call, ctx: sctx, stop: cancel}
	call.reader.Store(rd)
	context.AfterFunc(sctx, rd.abandon)
	go func() {
		if err := call.pump(sctx, r); err != nil {
			cancel(err)
		}
		<-call.done // every call completes, at the latest when the session ends
		cancel(nil)
	}()
	return call
}

// pump sends r's bytes as the call's inputs, then the final input. It
// returns a read error of r's; a failed send means the call has completed
// (its final result says why), so pump just stops.
func (call *Call) pump(ctx context.Context, r io.Reader) error {
	buf := make([]byte, call.c.streamChunk())
	for {
		select {
		case <-call.done:
			return nil
		default:
		}
		n, err := r.Read(buf)
		if n > 0 && err == nil {
			if call.SendInput(ctx, protocol.List{buf[:n]}, nil) != nil {
				return nil
			}
			continue
		}
		switch {
		case err == nil:
			// An empty read: try again.
		case errors.Is(err, io.EOF):
			var last protocol.List
			if n > 0 {
				last = protocol.List{buf[:n]}
			}
			call.FinishInput(ctx, last, nil)
			return nil
		default:
			if n > 0 && call.SendInput(ctx, protocol.List{buf[:n]}, nil) != nil {
				return nil
			}
			return &StreamReadError{Err: err}
		}
	}
}

// streamChunk is the largest chunk a stream writer sends on the session's
// current connection: DefaultStreamChunk, or less when the peer limits a
// message's size (leaving room for the message's header, and for base64's
// growth under JSON).
func (c *Client) streamChunk() int {
	const header = 1024 // the message's other fields
	n := DefaultStreamChunk
	ci := c.conn.Load()
	if ci == nil || ci.limit == nil {
		return n
	}
	lim := ci.limit.SendLimit() - header
	if ci.serializer == "json" {
		lim = lim / 4 * 3
	}
	return int(max(min(int64(n), lim), 64))
}

// chunkOf returns the chunk args[0] carries: a []byte, or nothing (no
// argument, or nil). Other values are not chunks.
func chunkOf(args protocol.List) ([]byte, error) {
	if len(args) == 0 || args[0] == nil {
		return nil, nil
	}
	b, ok := args[0].([]byte)
	if !ok {
		return nil, fmt.Errorf("%w: args[0] is %T", ErrStreamChunk, args[0])
	}
	return b, nil
}
