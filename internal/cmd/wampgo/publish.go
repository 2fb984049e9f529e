package main

import (
	"context"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

// runPublish publishes one event. With --acknowledge it waits for the
// router's PUBLISHED and prints {"publication": ID}.
func runPublish(ctx context.Context, g *globals, args []string, io stdio) error {
	fs := newFlagSet("publish", "TOPIC [ARG...] [-k KEY=VALUE ...] [--acknowledge]", g, io)
	var kw kwargsFlag
	fs.Var(&kw, "k", "keyword argument `KEY=VALUE`, VALUE read as an ARG (repeatable)")
	ack := fs.Bool("acknowledge", false, "wait for the router's acknowledgement and print the publication id")
	pos, tail, _, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	pos = append(pos, tail...)
	g.fromEnv()
	if len(pos) == 0 {
		return usageErrorf("publish: missing TOPIC")
	}
	c, err := connect(ctx, g, io.err)
	if err != nil {
		return err
	}
	defer closeClient(c, g)
	var opts []client.PublishOption
	if *ack {
		opts = append(opts, client.Acknowledge())
	}
	pctx, cancel := context.WithTimeout(ctx, g.timeout)
	defer cancel()
	id, err := c.Publish(pctx, protocol.URI(pos[0]), parseArgs(pos[1:]), kw.d, opts...)
	if err != nil {
		return err
	}
	if *ack {
		return printLine(io.out, struct {
			Publication protocol.ID `json:"publication"`
		}{id})
	}
	return nil
}
