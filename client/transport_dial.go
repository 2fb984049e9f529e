package client

import (
	"context"
	"fmt"
	"strings"

	"github.com/wampgo/wampgo/internal/rawsocket"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// dialTransport opens a transport to url with the client's options,
// choosing it by the URL's scheme:
//
//   - ws://, wss:// (and http://, https://): WebSocket (package wsconn);
//   - rs://, tcp://, rss://, tcps:// (TLS) and unix:///path: RawSocket.
//
// Both get the same serializers (offered in WithSerializers order), TLS
// configuration, read limit, keepalive, logger and byte counters (the
// client's Stats.BytesIn and BytesOut); WithHTTPHeader applies
// to WebSocket only. Both transports report their TLS state, so channel
// binding works over wss:// and rss:// alike.
func dialTransport(ctx context.Context, url string, cfg *config) (protocol.Transport, error) {
	scheme, _, _ := strings.Cut(url, "://")
	switch strings.ToLower(scheme) {
	case "ws", "wss", "http", "https":
		return wsconn.Dial(ctx, url, &wsconn.Options{
			Codecs:       cfg.codecs,
			TLSConfig:    cfg.tlsConfig,
			HTTPHeader:   cfg.header,
			ReadLimit:    cfg.readLimit,
			PingInterval: cfg.pingInterval,
			PongTimeout:  cfg.pongTimeout,
			Logger:       cfg.logger,
			Traffic:      &cfg.stats.traffic,
		})
	}
	if !rawsocket.IsURL(url) {
		return nil, fmt.Errorf("wampgo: dial %q: unsupported URL scheme (want ws, wss, rs, rss, tcp, tcps or unix)", url)
	}
	return rawsocket.Dial(ctx, url, &rawsocket.Options{
		Codecs:       cfg.codecs,
		TLSConfig:    cfg.tlsConfig,
		ReadLimit:    cfg.readLimit,
		PingInterval: cfg.pingInterval,
		PongTimeout:  cfg.pongTimeout,
		Logger:       cfg.logger,
		Traffic:      &cfg.stats.traffic,
	})
}
