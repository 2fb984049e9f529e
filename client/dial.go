package client

import (
	"context"

	"github.com/wampgo/wampgo/wsconn"
)

// Dial connects to the router at url (ws:// or wss://) over WebSocket,
// negotiating a serializer from the configured codecs (WithSerializers),
// and joins realm (see Connect). The connection is closed if the join
// fails.
func Dial(ctx context.Context, url, realm string, opts ...Option) (*Client, error) {
	cfg := newConfig(opts)
	t, err := wsconn.Dial(ctx, url, &wsconn.Options{
		Codecs:       cfg.codecs,
		TLSConfig:    cfg.tlsConfig,
		HTTPHeader:   cfg.header,
		ReadLimit:    cfg.readLimit,
		PingInterval: cfg.pingInterval,
		PongTimeout:  cfg.pongTimeout,
		Logger:       cfg.logger,
	})
	if err != nil {
		return nil, err
	}
	return Connect(ctx, t, realm, opts...)
}
