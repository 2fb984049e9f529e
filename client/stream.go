package client

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/wampgo/wampgo/mailbox"
	"github.com/wampgo/wampgo/protocol"
)

// Byte streams over progressive calls.
//
// A stream of bytes travels as a progressive call: CallStream sends the
// caller's bytes as progressive call inputs (advanced/rpc_progressive_call_invocations.md),
// and the callee's bytes come back as progressive results
// (advanced/rpc_progressive_call_results.md). The chunk convention, which
// Autobahn|Python and autobahn-js peers follow when they send one binary
// argument per progressive message:
//
//   - each progressive message (CALL or INVOCATION with progress=true,
//     YIELD or RESULT with progress=true) carries one chunk: a []byte in
//     args[0] (no argument, or a nil args[0], is an empty chunk);
//   - the final message may carry the last chunk in args[0] (a []byte), or
//     none (no argument, or a first argument that is not binary: then its
//     arguments are the call's result, as Await returns it, and are not
//     read as bytes);
//   - a progressive message whose args[0] is neither a []byte nor nil ends
//     the read with an error matching ErrStreamChunk.
//
// Chunks are at most DefaultStreamChunk bytes, less when the connection's
// peer limits the size of a message (a RawSocket router's announced
// maximum): writers split what they are given, so chunking is invisible.
//
// JSON carries binaries as base64 strings (prefixed with a NUL character,
// as the WAMP spec says), so a chunk costs 4/3 of its length on the wire
// and is encoded and decoded once more than with MessagePack or CBOR; the
// chunk size is reduced to fit a limited message after that growth. Use a
// binary serializer for large streams.
//
// Memory stays bounded at both ends. A writer waits while the session's
// write queue is full (WithWriteQueue). A reader holds a bounded window
// (CallStream: 16 chunks in Results plus 1 MiB queued; RegisterStream: 16
// chunks), and past it the session stops reading from the router (the
// Block policy of OnProgressOverflow): a slow reader slows the router,
// which slows the writer, as far as the router passes backpressure on.
// While a session waits for a slow stream reader, the rest of its incoming
// traffic waits too.

// DefaultStreamChunk is the largest chunk a stream writer sends in one
// message.
const DefaultStreamChunk = 64 << 10

// ErrStreamChunk matches the error of a stream read that met a message
// that is not a chunk (its args[0] is not binary).
var ErrStreamChunk = errors.New("wampgo: stream message is not a binary chunk")

// The window a CallStream reader keeps before the session stops reading.
const (
	streamResultBuffer = 16
	streamQueueBytes   = 1 << 20
)

// CallStream calls procedure as a byte stream: r's bytes go out as
// progressive call inputs, chunked (see "Byte streams" above), and the
// callee's progressive results come back, to be read with Reader; Await
// returns the final result. The call asks for progressive results and
// progressive inputs (ReceiveProgress and ProgressiveInputs are implied);
// the router must announce progressive_call_invocations, else the call
// fails with an error matching ErrNotSupported. Its reading window is 16
// results and 1 MiB (ProgressBuffer and ProgressQueueLimits in opts change
// it).
//
// CallStream returns at once. A goroutine of the call's reads r until EOF,
// sending what each Read returns as one chunk (at most the chunk size: a
// reader that returns what it has, a pipe or a log, is streamed as it
// comes), then sends the final input; it stops when the call completes. A read
// error other than io.EOF cancels the call, and Reader then fails with an
// error matching ErrCanceled that wraps a *StreamReadError (Await returns
// the call's final result, which under CancelKill is the router's
// answer). ctx ending cancels the call with its cancel mode, as for Call. A Read that never returns keeps
// that goroutine: r should end when the caller gives up (a file, a pipe
// whose writer closes it, a connection with a deadline).
//
// r is not read after the call completes; a callee that answers before
// reading all its input leaves the rest of r unread.
func (c *Client) CallStream(ctx context.Context, procedure protocol.URI, r io.Reader, opts ...CallOption) *Call {
	all := make([]CallOption, 0, len(opts)+4)
	all = append(all, ProgressBuffer(streamResultBuffer), ProgressQueueLimits(mailbox.Limits{MaxBytes: streamQueueBytes}))
	all = append(all, opts...)
	all = append(all, ReceiveProgress(), ProgressiveInputs())
	sctx, cancel := context.WithCancelCause(ctx)
	call := c.Call(sctx, procedure, nil, nil, all...)
	call.reader.Store(&callReader{call: call, ctx: sctx})
	go func() {
		if err := call.pump(sctx, r); err != nil {
			cancel(err)
		}
		<-call.done // every call completes, at the latest when the session ends
		cancel(nil)
	}()
	return call
}

// StreamReadError is why CallStream canceled its call: the caller's
// io.Reader failed.
type StreamReadError struct{ Err error }

func (e *StreamReadError) Error() string {
	return "wampgo: reading the stream's input: " + e.Err.Error()
}
func (e *StreamReadError) Unwrap() error { return e.Err }

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
