package client

import (
	"context"
	"fmt"

	"github.com/wampgo/wampgo/protocol"
)

// SubscribeDecoded subscribes fn to topic through decode, the shape every
// typed event handler shares (SubscribeTyped, and package meta's On…
// functions): each event is decoded with decode, in the subscription's
// handler goroutine, and fn receives the value. An event that decode
// refuses is not passed to fn: its error, wrapped with the topic (reachable
// with errors.Is and errors.As), goes to the client's error handler
// (WithErrorHandler) and the log, so that no event is lost silently. fn
// and decode run like any EventHandler: one event at a time per
// subscription, in order, off the session loop.
func SubscribeDecoded[T any](ctx context.Context, c *Client, topic protocol.URI, decode func(*Event) (T, error), fn func(ctx context.Context, v T), opts ...SubscribeOption) (*Subscription, error) {
	if decode == nil || fn == nil {
		return nil, &ArgumentError{Op: "SubscribeDecoded", Arg: "handler", Reason: "nil decode or handler function"}
	}
	return c.Subscribe(ctx, topic, func(ctx context.Context, ev *Event) {
		v, err := decode(ev)
		if err != nil {
			c.cfg.logger.Warn("wampgo: event does not fit its typed handler", "topic", ev.Topic, "err", err)
			c.reportError(fmt.Errorf("wampgo: event on %q: %w", ev.Topic, err))
			return
		}
		fn(ctx, v)
	}, opts...)
}
