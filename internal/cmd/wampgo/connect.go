package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

// connError is a failure to reach the router or to join its realm: exit
// status 3.
type connError struct{ err error }

func (e *connError) Error() string { return e.err.Error() }
func (e *connError) Unwrap() error { return e.err }

// connect joins the realm at the first router URL that accepts the
// session, trying them in order, each bounded by --timeout. With --verbose
// the client logs to stderr.
func connect(ctx context.Context, g *globals, stderr io.Writer) (*client.Client, error) {
	urls, err := g.urls()
	if err != nil {
		return nil, err
	}
	opts, err := g.options()
	if err != nil {
		return nil, err
	}
	if g.verbose && g.log == nil {
		g.log = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	log := g.log
	if log != nil {
		opts = append(opts, client.WithLogger(log), client.WithInterceptors(trafficLog(log)))
	}
	var errs []error
	for _, u := range urls {
		if log != nil {
			log.Info("dialing", "url", redactURL(u), "realm", g.realm)
		}
		dctx, cancel := context.WithTimeout(ctx, g.timeout)
		c, err := client.Dial(dctx, u, g.realm, opts...)
		cancel()
		if err == nil {
			if log != nil {
				s := c.Session()
				log.Info("joined", "url", redactURL(u), "session", s.ID, "realm", s.Realm, "authid", s.AuthID,
					"authrole", s.AuthRole, "authmethod", s.AuthMethod, "serializer", c.Serializer())
			}
			return c, nil
		}
		if log != nil {
			log.Info("dial failed", "url", redactURL(u), "err", err)
		}
		errs = append(errs, fmt.Errorf("%s: %w", redactURL(u), err))
		if errors.Is(err, client.ErrInvalidArgument) {
			return nil, &usageError{msg: errors.Join(errs...).Error()}
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil, &connError{errors.Join(errs...)}
}

// redactURL hides a password in a URL's user information.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	return u.Redacted()
}

// closeClient ends the session with GOODBYE, bounded by a context of its
// own: ctx may already be canceled by an interrupt.
func closeClient(c *client.Client, g *globals) {
	ctx, cancel := context.WithTimeout(context.Background(), g.timeout)
	defer cancel()
	c.Close(ctx)
}

// trafficLog logs every call, publication, invocation and event with its
// payload. Authentication happens before any of them, so no secret passes
// here.
func trafficLog(log *slog.Logger) client.Interceptor {
	return client.Interceptor{
		Call: func(next client.CallFunc) client.CallFunc {
			return func(ctx context.Context, proc protocol.URI, args protocol.List, kwargs protocol.Dict, opts ...client.CallOption) *client.Call {
				log.Debug("CALL", "procedure", proc, "payload", jsonLine(payloadLine(args, kwargs, nil)))
				return next(ctx, proc, args, kwargs, opts...)
			}
		},
		Publish: func(next client.PublishFunc) client.PublishFunc {
			return func(ctx context.Context, topic protocol.URI, args protocol.List, kwargs protocol.Dict, opts ...client.PublishOption) (protocol.ID, error) {
				log.Debug("PUBLISH", "topic", topic, "payload", jsonLine(payloadLine(args, kwargs, nil)))
				return next(ctx, topic, args, kwargs, opts...)
			}
		},
		Invocation: func(next client.Handler) client.Handler {
			return func(ctx context.Context, inv *client.Invocation) (client.Result, error) {
				log.Debug("INVOCATION", "procedure", inv.Procedure, "payload", jsonLine(payloadLine(inv.Args, inv.Kwargs, inv.Details)))
				res, err := next(ctx, inv)
				if err != nil {
					log.Debug("ERROR", "procedure", inv.Procedure, "err", err)
				} else {
					log.Debug("YIELD", "procedure", inv.Procedure, "payload", jsonLine(payloadLine(res.Args, res.Kwargs, nil)))
				}
				return res, err
			}
		},
		Event: func(next client.EventHandler) client.EventHandler {
			return func(ctx context.Context, ev *client.Event) {
				log.Debug("EVENT", "topic", ev.Topic, "payload", jsonLine(payloadLine(ev.Args, ev.Kwargs, ev.Details)))
				next(ctx, ev)
			}
		},
	}
}
