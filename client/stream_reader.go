package client

import (
	"context"
	"errors"
	"io"
)

// Reader returns an io.Reader of the call's bytes: the chunks of its
// progressive results, then the final result's, if it carries one (see
// "Byte streams"). Read returns io.EOF after the final result, or the
// call's error if it failed (an *Error from the callee or router, or an
// error matching ErrCanceled, ErrTimeout or ErrClosed: a session lost
// mid-stream is an error, never a short stream), or an error matching
// ErrStreamChunk at a progressive result that is not a chunk.
//
// It works on any call made with ReceiveProgress (CallStream implies it):
// a download is c.Call(ctx, procedure, args, kwargs, ReceiveProgress())
// then Reader. The reader takes the call's Results: use one or the other,
// not both. Every call of Reader returns the same reader; it is not safe
// for concurrent Reads. Await still returns the final result.
//
// A reader that stops reading holds up the call (and, once its window is
// full, the session's reading): end the call's context to give up.
func (call *Call) Reader() io.Reader {
	if r := call.reader.Load(); r != nil {
		return r
	}
	call.reader.CompareAndSwap(nil, &callReader{call: call})
	return call.reader.Load()
}

// callReader reads the chunks of a call's results.
type callReader struct {
	call *Call
	ctx  context.Context // CallStream's: its cause may be a *StreamReadError; else nil
	buf  []byte          // the unread rest of the current chunk
	err  error           // sticky: io.EOF or the failure
}

func (r *callReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		r.next()
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// next takes the call's next result into buf, or sets err.
func (r *callReader) next() {
	res, ok := <-r.call.results
	if !ok {
		// Closed: the final result was taken, here or by another reader of
		// Results.
		r.err = r.failure(r.call.final.Err)
		if r.err == nil {
			r.err = io.EOF
		}
		return
	}
	if res.Err != nil {
		r.err = r.failure(res.Err)
		return
	}
	b, err := chunkOf(res.Args)
	switch {
	case res.Progress && err != nil:
		r.err = err
	case res.Progress:
		r.buf = b
	default:
		r.buf, r.err = b, io.EOF // a final result that is not a chunk has none
	}
}

// failure is the error a failed call's reader returns: the call's, or,
// when CallStream canceled the call because its input failed, that
// failure (matching ErrCanceled), whatever the router answered the CANCEL
// with.
func (r *callReader) failure(err error) error {
	if err == nil || r.ctx == nil {
		return err
	}
	var re *StreamReadError
	if cause := context.Cause(r.ctx); errors.As(cause, &re) {
		return canceledError(cause)
	}
	return err
}

// WriteTo writes the rest of the stream to w, a chunk at a time, without
// copying it through a buffer (io.Copy uses it). It returns nil at the
// stream's end, else the stream's error or w's.
func (r *callReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		for len(r.buf) > 0 {
			n, err := w.Write(r.buf)
			if err == nil && n < len(r.buf) {
				err = io.ErrShortWrite
			}
			r.buf = r.buf[n:]
			total += int64(n)
			if err != nil {
				return total, err
			}
		}
		if r.err != nil {
			if r.err == io.EOF {
				return total, nil
			}
			return total, r.err
		}
		r.next()
	}
}
