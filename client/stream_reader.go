package client

import (
	"context"
	"errors"
	"io"
	"sync"
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
// full, the session's reading): end the call's context to give up. A
// CallStream's reader that meets a message that is not a chunk cancels
// the call itself.
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
	ctx  context.Context         // CallStream's: its cause may be a *StreamReadError; else nil
	stop context.CancelCauseFunc // CallStream's: cancels the call; else nil

	mu        sync.Mutex // held by next while it takes a result, and by abandon
	abandoned bool       // guarded by mu: the rest of the results are discarded
	buf       []byte     // the unread rest of the current chunk
	err       error      // sticky: io.EOF or the failure
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
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.abandoned {
		// Chunks were discarded: never a clean end. The call's own error,
		// if it failed, says more than the cancel.
		r.err = canceledError(context.Cause(r.ctx))
		select {
		case <-r.call.done:
			if err := r.failure(r.call.final.Err); err != nil {
				r.err = err
			}
		default:
		}
		return
	}
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
		if r.stop != nil {
			r.stop(err) // nobody reads the rest: end the call
		}
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
		if err := writeBuffered(w, &r.buf, &total); err != nil {
			return total, err
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

// abandon runs when a CallStream's context ends. Unless the call has
// succeeded (its reader then gets every byte), it discards the results
// not yet read, until Results closes, so that the session never waits for
// a reader that gave up (under the Block policy it would wait even for the
// router's answer to the CANCEL); Read fails from then on with an error
// matching ErrCanceled. It runs on a goroutine of its own.
func (r *callReader) abandon() {
	r.mu.Lock()
	select {
	case <-r.call.done:
		if r.call.final.Err == nil {
			r.mu.Unlock()
			return
		}
	default:
	}
	r.abandoned = true
	r.mu.Unlock()
	for range r.call.results {
	}
}

// writeBuffered writes all of *buf to w for a WriteTo, emptying it and
// adding what was written to *total; it stops at w's error (a short write
// without one is io.ErrShortWrite).
func writeBuffered(w io.Writer, buf *[]byte, total *int64) error {
	for len(*buf) > 0 {
		n, err := w.Write(*buf)
		if err == nil && n < len(*buf) {
			err = io.ErrShortWrite
		}
		*buf = (*buf)[n:]
		*total += int64(n)
		if err != nil {
			return err
		}
	}
	return nil
}
