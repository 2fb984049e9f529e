package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

// cancelGrace bounds the wait for the router's answer to a CANCEL after an
// interrupt; past it the command ends without it.
const cancelGrace = 5 * time.Second

// maxInputLine bounds one line of call --stdin.
const maxInputLine = 16 << 20

// runCall calls a procedure and prints every result, progressive ones as
// they arrive. An interrupt (ctx's end) cancels the call in kill mode and
// waits for the router's answer, at most cancelGrace.
func runCall(ctx context.Context, g *globals, args []string, io stdio) error {
	fs := newFlagSet("call", "PROC [ARG...] [-k KEY=VALUE ...] [--stdin]", g, io)
	var kw kwargsFlag
	fs.Var(&kw, "k", "keyword argument `KEY=VALUE`, VALUE read as an ARG (repeatable)")
	stdin := fs.Bool("stdin", false, "stream stdin as progressive call inputs, one per line")
	pos, tail, _, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	pos = append(pos, tail...)
	g.fromEnv()
	if len(pos) == 0 {
		return usageErrorf("call: missing PROC")
	}
	c, err := connect(ctx, g, io.err)
	if err != nil {
		return err
	}
	defer closeClient(c, g)

	opts := []client.CallOption{client.WithCancelMode(client.CancelKill)}
	if c.Session().HasFeature("dealer", "progressive_call_results") {
		opts = append(opts, client.ReceiveProgress())
	}
	callCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	if *stdin {
		opts = append(opts, client.ProgressiveInputs())
	} else {
		// A one-shot call is bounded by --timeout; a streamed one lasts
		// as long as its input.
		callCtx, cancel = context.WithTimeout(callCtx, g.timeout)
		defer cancel()
	}
	call := c.Call(callCtx, protocol.URI(pos[0]), parseArgs(pos[1:]), kw.d, opts...)
	feedErr := make(chan error, 1)
	if *stdin {
		go func() {
			err := feedInputs(callCtx, call, io.in)
			feedErr <- err // before the cancel, so that it is seen below
			if err != nil {
				cancel()
			}
		}()
	}
	err = printResults(ctx, call, io.out, g.log)
	if *stdin {
		select {
		case ferr := <-feedErr:
			if ferr != nil {
				err = ferr
			}
		default: // the callee answered before the input ended
		}
	}
	return err
}

// printResults prints the call's results until the final one, whose error
// it returns. Once ctx ends it waits at most cancelGrace for the final
// result.
func printResults(ctx context.Context, call *client.Call, out io.Writer, log *slog.Logger) error {
	results, done := call.Results(), ctx.Done()
	var grace <-chan time.Time
	for {
		select {
		case res, ok := <-results:
			if !ok {
				return nil
			}
			if res.Err != nil {
				if log != nil {
					log.Debug("call failed", "err", res.Err)
				}
				return res.Err
			}
			details := res.Details
			if res.Progress {
				details = withProgress(details)
			}
			l := payloadLine(res.Args, res.Kwargs, details)
			if log != nil {
				log.Debug("RESULT", "payload", jsonLine(l))
			}
			if err := printLine(out, l); err != nil {
				return err
			}
			if !res.Progress {
				return nil
			}
		case <-done:
			if log != nil {
				log.Info("interrupted: canceling the call (kill mode)")
			}
			done, grace = nil, time.After(cancelGrace)
		case <-grace:
			return fmt.Errorf("call canceled; no answer from the router within %v", cancelGrace)
		}
	}
}

// withProgress returns a copy of details with "progress": true.
func withProgress(details protocol.Dict) protocol.Dict {
	d := make(protocol.Dict, len(details)+1)
	for k, v := range details {
		d[k] = v
	}
	d["progress"] = true
	return d
}

// feedInputs sends each line of in as one more input chunk of call, and
// the end of in as the final chunk (with no payload). It returns a read
// error, on which the caller cancels the call. It may stay blocked reading in after the call
// ended; the command then exits without waiting for it.
func feedInputs(ctx context.Context, call *client.Call, in io.Reader) error {
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 64<<10), maxInputLine)
	for sc.Scan() {
		if err := call.SendInput(ctx, protocol.List{parseValue(sc.Text())}, nil); err != nil {
			return nil // the call ended; its result says why
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return usageErrorf("call --stdin: a line is longer than %d bytes", maxInputLine)
		}
		return fmt.Errorf("call --stdin: %w", err)
	}
	call.FinishInput(ctx, nil, nil)
	return nil
}
