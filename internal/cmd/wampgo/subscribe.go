package main

import (
	"context"
	"fmt"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

// runSubscribe prints every event on a topic until interrupted, until
// --count events arrived, or until the session is lost (exit status 3).
func runSubscribe(ctx context.Context, g *globals, args []string, io stdio) error {
	fs := newFlagSet("subscribe", "TOPIC [--count N] [--match prefix|wildcard]", g, io)
	count := fs.Int("count", 0, "exit after `N` events (0: run until interrupted)")
	match := fs.String("match", "", "pattern-based subscription: prefix or wildcard")
	pos, tail, _, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	pos = append(pos, tail...)
	g.fromEnv()
	if len(pos) != 1 {
		return usageErrorf("subscribe: want exactly one TOPIC, got %d arguments", len(pos))
	}
	if *count < 0 {
		return usageErrorf("subscribe: --count must not be negative")
	}
	m, err := matchOption(*match)
	if err != nil {
		return err
	}
	var opts []client.SubscribeOption
	if m != nil {
		opts = append(opts, m)
	}
	c, err := connect(ctx, g, io.err)
	if err != nil {
		return err
	}
	defer closeClient(c, g)

	// The handler runs on the subscription's goroutine, one event at a
	// time; seen and stopped are its own. It reports the end (count
	// reached or output failed) on end, once, and ignores later events.
	end := make(chan error, 1)
	seen, stopped := 0, false
	handler := func(_ context.Context, ev *client.Event) {
		if stopped {
			return
		}
		seen++
		err := printLine(io.out, payloadLine(ev.Args, ev.Kwargs, ev.Details))
		if err != nil || seen == *count {
			stopped = true
			end <- err
		}
	}
	sctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	if _, err := c.Subscribe(sctx, protocol.URI(pos[0]), handler, opts...); err != nil {
		return err
	}
	fmt.Fprintf(io.err, "wampgo: subscribed %s\n", pos[0])
	return serve(ctx, c, end)
}

// matchOption turns --match into the subscription's or registration's
// option (nil for exact matching, the default).
func matchOption(m string) (client.RegisterSubscribeOption, error) {
	switch m {
	case "", "exact":
		return nil, nil
	case "prefix":
		return client.Match(client.MatchPrefix), nil
	case "wildcard":
		return client.Match(client.MatchWildcard), nil
	}
	return nil, usageErrorf("--match %q: want prefix or wildcard", m)
}

// serve waits for the end of a long-running command: an interrupt (a
// success), a result on end, or the loss of the session (exit status 3).
func serve(ctx context.Context, c *client.Client, end <-chan error) error {
	select {
	case <-ctx.Done():
		return nil
	case err := <-end:
		return err
	case <-c.Done():
		return &connError{fmt.Errorf("session ended: %w", c.Err())}
	}
}
