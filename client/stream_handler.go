package client

import (
	"context"
	"io"

	"github.com/wampgo/wampgo/actor"
	"github.com/wampgo/wampgo/protocol"
)

// StreamHandler implements a procedure registered with RegisterStream. in
// reads the call's input bytes; out sends bytes to the caller as
// progressive results. It returns the final result, sent after everything
// written to out, or an error, as a Handler does.
//
// in and out belong to the handler's goroutine (neither is safe for
// concurrent use; in and out may be used from two goroutines, one each)
// and must not be used after the handler returns. Both fail once ctx ends,
// with ctx's cause: an *InterruptError (matching ErrInterrupted) when the
// caller canceled, ErrTimeout when the call's timeout passed, the
// session's end reason (matching ErrClosed or ErrSessionLost) when the
// session ended.
type StreamHandler func(ctx context.Context, inv *Invocation, in io.Reader, out io.Writer) (Result, error)

// RegisterStream registers h for procedure as a byte stream (see "Byte
// streams"): in reads the input bytes (args[0] of the call, if binary,
// then the chunks the caller streams with progressive call inputs; a
// plain call's input is its args[0] alone), and out writes progressive
// results, split into chunks. Up to 16 input chunks wait for in's reader;
// past that the session stops reading from the router until it reads on
// (its inputs are under OnOverflow(Block), whatever opts say).
// out.Write returns once its chunks are queued for the connection, waiting
// while the session's write queue is full; it fails with an error
// matching ErrNoProgress when the caller did not ask for progressive
// results. Otherwise RegisterStream is Register.
//
// Stream invocations run 16 at once unless a Concurrency option says
// otherwise. One that waits in the mailbox behind that many running ones
// does not hold up the session: if its caller streams more than 16 chunks
// before it runs, it fails as a plain handler's does when it leaves its
// Inputs unread (ERROR wamp.error.invalid_argument).
func (c *Client) RegisterStream(ctx context.Context, procedure protocol.URI, h StreamHandler, opts ...RegisterOption) (*Registration, error) {
	if h == nil {
		return nil, &ArgumentError{Op: "RegisterStream", Arg: "handler", Reason: "nil"}
	}
	all := make([]RegisterOption, 0, len(opts)+2)
	all = append(append(append(all, Concurrency(streamConcurrency)), opts...), streamRegistration{})
	return c.Register(ctx, procedure, func(ctx context.Context, inv *Invocation) (Result, error) {
		in := &invocationReader{ctx: ctx, inv: inv}
		in.buf, in.err = chunkOf(inv.Args)
		if in.err == nil && inv.inputs == nil {
			in.done = true
		}
		return h(ctx, inv, in, &invocationWriter{ctx: ctx, inv: inv})
	}, all...)
}

// streamRegistration marks a registration as RegisterStream's.
type streamRegistration struct{}

func (streamRegistration) applyRegister(c *registerConfig) {
	c.stream, c.inputOverflow = true, Block
}

// streamConcurrency is how many invocations of a RegisterStream procedure
// run at once by default.
const streamConcurrency = 16

// streamInputWindow is how many input chunks of a RegisterStream
// invocation wait for its handler (about 1 MiB at the default chunk size)
// before the session stops reading from the router.
const streamInputWindow = 16

// invocationReader reads a stream invocation's input chunks.
type invocationReader struct {
	ctx  context.Context
	inv  *Invocation
	buf  []byte
	done bool  // the final chunk was taken
	err  error // sticky
}

func (r *invocationReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if r.done {
			return 0, io.EOF
		}
		r.next()
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// next takes the next input chunk, or sets err.
func (r *invocationReader) next() {
	select {
	case in, ok := <-r.inv.inputs:
		if !ok {
			// Closed before the final chunk: the invocation has ended.
			r.err = r.cause()
			return
		}
		r.buf, r.err = chunkOf(in.Args)
		r.done = in.Final
	case <-r.ctx.Done():
		r.err = r.cause()
	}
}

// cause is why the stream cannot go on: ctx's cause, or, were ctx still
// live, an input stream cut short.
func (r *invocationReader) cause() error {
	if err := context.Cause(r.ctx); err != nil {
		return err
	}
	return io.ErrUnexpectedEOF
}

// invocationWriter sends a stream invocation's bytes as progressive
// results.
type invocationWriter struct {
	ctx   context.Context
	inv   *Invocation
	chunk int
}

func (w *invocationWriter) Write(p []byte) (int, error) {
	if !w.inv.ReceiveProgress {
		return 0, ErrNoProgress
	}
	if w.chunk == 0 {
		w.chunk = w.inv.c.streamChunk()
	}
	written := 0
	for len(p) > 0 {
		n := min(len(p), w.chunk)
		if err := w.send(p[:n]); err != nil {
			return written, err
		}
		p, written = p[n:], written+n
	}
	return written, nil
}

// send sends one chunk; it fails with ctx's cause once ctx has ended.
func (w *invocationWriter) send(b []byte) error {
	inv := w.inv
	e, err := inv.c.encodeAnswer("Write", inv.yield(true), protocol.List{b}, nil)
	if err != nil {
		return err
	}
	err = inv.c.ask(w.ctx, func(r actor.Reply[error]) command {
		return &cmdYield{inv: inv, payload: e, progress: true, reply: r}
	})
	if err != nil && w.ctx.Err() != nil {
		return context.Cause(w.ctx)
	}
	return err
}

// WriteTo writes the rest of the input to w, a chunk at a time (io.Copy
// uses it). It returns nil at the input's end, else the input's error or
// w's.
func (r *invocationReader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		if err := writeBuffered(w, &r.buf, &total); err != nil {
			return total, err
		}
		switch {
		case r.err != nil:
			return total, r.err
		case r.done:
			return total, nil
		}
		r.next()
	}
}
