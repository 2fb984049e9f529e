package main

import (
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

// runRegister serves a procedure until interrupted (or until the session is
// lost: exit status 3), answering with the call's own payload (--echo) or
// with what a command prints (-- COMMAND [ARG...]). It prints each
// invocation on stdout.
func runRegister(ctx context.Context, g *globals, args []string, io stdio) error {
	fs := newFlagSet("register", "PROC (--echo | -- COMMAND [ARG...]) [--concurrency N] [--match prefix|wildcard]", g, io)
	echo := fs.Bool("echo", false, "answer with the call's args and kwargs")
	concurrency := fs.Int("concurrency", 1, "run at most `N` invocations at once")
	match := fs.String("match", "", "pattern-based registration: prefix or wildcard")
	pos, tail, dashed, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	g.fromEnv()
	switch {
	case len(pos) != 1:
		return usageErrorf("register: want exactly one PROC before --, got %d arguments", len(pos))
	case *echo == (dashed && len(tail) > 0):
		return usageErrorf("register: give either --echo or -- COMMAND [ARG...]")
	case *concurrency < 1:
		return usageErrorf("register: --concurrency must be at least 1")
	}
	m, err := matchOption(*match)
	if err != nil {
		return err
	}
	opts := []client.RegisterOption{client.Concurrency(*concurrency)}
	if m != nil {
		opts = append(opts, m)
	}
	out := &lockedWriter{w: io.out}
	var answer client.Handler = echoHandler
	if !*echo {
		answer = commandHandler(tail, io.err)
	}
	handler := func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
		l := payloadLine(inv.Args, inv.Kwargs, inv.Details)
		l.Procedure = inv.Procedure
		printLine(out, l) // a closed stdout must not stop the service
		return answer(ctx, inv)
	}

	c, err := connect(ctx, g, io.err)
	if err != nil {
		return err
	}
	defer closeClient(c, g)
	rctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	if _, err := c.Register(rctx, protocol.URI(pos[0]), handler, opts...); err != nil {
		return err
	}
	fmt.Fprintf(io.err, "wampgo: registered %s\n", pos[0])
	return serve(ctx, c, nil)
}

// echoHandler answers with the call's args and kwargs. A call that streams
// its inputs gets each chunk back as a progressive result (when it accepts
// them) and the last chunk as the result.
func echoHandler(ctx context.Context, inv *client.Invocation) (client.Result, error) {
	inputs := inv.Inputs()
	if inputs == nil {
		return client.Result{Args: inv.Args, Kwargs: inv.Kwargs}, nil
	}
	last := client.Result{Args: inv.Args, Kwargs: inv.Kwargs}
	if inv.ReceiveProgress {
		if err := inv.SendProgress(ctx, inv.Args, inv.Kwargs); err != nil {
			return client.Result{}, err
		}
	}
	for in := range inputs {
		if in.Final {
			last = client.Result{Args: in.Args, Kwargs: in.Kwargs}
			break
		}
		if inv.ReceiveProgress {
			if err := inv.SendProgress(ctx, in.Args, in.Kwargs); err != nil {
				return client.Result{}, err
			}
		}
	}
	if err := ctx.Err(); err != nil {
		return client.Result{}, err
	}
	return last, nil
}

// lockedWriter serializes the lines that concurrent invocations print.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
