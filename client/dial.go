package client

import (
	"context"
	"errors"

	"github.com/wampgo/wampgo/protocol"
)

// Dial connects to the router at url and joins realm (see Connect). The
// URL's scheme picks the transport: WebSocket for ws:// and wss:// (and
// for http:// and https://, taken as ws:// and wss://),
// RawSocket for rs:// and tcp:// (TCP), rss:// and tcps:// (TLS), and
// unix:///path/to.sock (a Unix domain socket). The serializer is
// negotiated from the configured codecs in their order (WithSerializers):
// over WebSocket the router picks among those offered; over RawSocket,
// which names one serializer per connection, Dial requests the first and
// tries the next only when the router answers that it does not support
// it. The connection is closed if the join fails.
//
// A URL of another scheme, and WithTLSConfig with a URL whose scheme does
// not use TLS (ws://, rs://, tcp://, unix://), fail with an *ArgumentError
// (matching ErrInvalidArgument) before any connection. The
// text of the errors shows the URLs without their query, fragment and
// password, which may carry tokens.
//
// With WithReconnect, url comes first in the list of routers (which may
// mix WebSocket and RawSocket URLs); the first join tries each of them
// once, in turn, and later ones back off as Reconnect describes.
func Dial(ctx context.Context, url, realm string, opts ...Option) (*Client, error) {
	cfg := newConfig(opts)
	cfg.codecs = cfg.dialCodecs()
	dial := func(ctx context.Context, url string) (protocol.Transport, error) {
		return dialTransport(ctx, url, cfg)
	}
	urls := []string{url}
	if r := cfg.reconnect; r == nil || r.Dial == nil {
		// Every URL is dialled by dialTransport: refuse the options that
		// do not fit one of them before connecting anywhere.
		for _, u := range append(urls, reconnectURLs(r)...) {
			if err := checkURL(u, cfg); err != nil {
				return nil, err
			}
		}
	}
	if r := cfg.reconnect; r != nil {
		rc := *r
		rc.URLs = append([]string{url}, r.URLs...)
		if rc.Dial == nil {
			rc.Dial = dial
		}
		cfg.reconnect = &rc
		urls, dial = rc.URLs, rc.Dial
	}
	var errs []error
	for _, u := range urls {
		t, err := dial(ctx, u)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		sess, err := join(ctx, t, u, realm, cfg)
		if err != nil {
			t.Close()
			if permanent(err) || ctx.Err() != nil {
				return nil, err
			}
			errs = append(errs, err)
			continue
		}
		return start(t, u, realm, sess, cfg), nil
	}
	if c := retryFailedConnect(ctx, realm, cfg, errs); c != nil {
		return c, nil
	}
	if len(errs) == 1 {
		return nil, errs[0]
	}
	return nil, errors.Join(errs...)
}

// reconnectURLs returns r's URLs; none when r is nil.
func reconnectURLs(r *Reconnect) []string {
	if r == nil {
		return nil
	}
	return r.URLs
}
