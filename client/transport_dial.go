package client

import (
	"context"
	"fmt"
	neturl "net/url"
	"strings"

	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// dialTransport opens a transport to url with the client's options,
// choosing it by the URL's scheme:
//
//   - ws://, wss://, and http://, https:// taken as them: WebSocket
//     (package wsconn);
//   - rs://, tcp://, rss://, tcps:// (TLS) and unix:///path: RawSocket.
//
// Both get the same serializers (offered in WithSerializers order), TLS
// configuration, read limit, keepalive, logger and byte counters (the
// client's Stats.BytesIn and BytesOut); WithHTTPHeader applies
// to WebSocket only. Both transports report their TLS state, so channel
// binding works over wss:// and rss:// alike.
//
// The text of its errors shows url redacted (see redactURL).
func dialTransport(ctx context.Context, url string, cfg *config) (protocol.Transport, error) {
	t, err := dialURL(ctx, url, cfg)
	if err != nil {
		return nil, redactError(err, url)
	}
	return t, nil
}

func dialURL(ctx context.Context, url string, cfg *config) (protocol.Transport, error) {
	if err := checkURL(url, cfg); err != nil {
		return nil, err
	}
	scheme, _, _ := strings.Cut(url, "://")
	switch strings.ToLower(scheme) {
	case "ws", "wss", "http", "https":
		return wsconn.Dial(ctx, url, &wsconn.Options{
			Codecs:          cfg.codecs,
			TLSConfig:       cfg.tlsConfig,
			HTTPHeader:      cfg.header,
			ReadLimit:       cfg.readLimit,
			PingInterval:    cfg.pingInterval,
			PongTimeout:     cfg.pongTimeout,
			Logger:          cfg.logger,
			Traffic:         &cfg.stats.traffic,
			FollowRedirects: cfg.policy.sameHostRedirect,
		})
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

// schemes lists the URL schemes Dial accepts, for its error.
const schemes = "ws, wss, http or https (WebSocket), rs, tcp, rss, tcps or unix (RawSocket)"

// checkURL refuses, with an *ArgumentError, a URL whose scheme no transport
// takes, and the options that do not fit the URL (checkTLSConfig).
func checkURL(url string, cfg *config) error {
	scheme, _, _ := strings.Cut(url, "://")
	switch strings.ToLower(scheme) {
	case "ws", "wss", "http", "https":
	default:
		if !rawsocket.IsURL(url) {
			return &ArgumentError{Op: "Dial", Arg: "url",
				Reason: fmt.Sprintf("%s: unsupported scheme (want %s)", redactURL(url), schemes)}
		}
		if _, err := rawsocket.ParseURL(url); err != nil {
			return &ArgumentError{Op: "Dial", Arg: "url", Reason: redactError(err, url).Error()}
		}
	}
	return checkTLSConfig(url, cfg)
}

// checkTLSConfig refuses WithTLSConfig with a URL whose scheme does not
// use TLS (ws://, rs://, tcp://, unix://): the caller asked for TLS, and
// connecting in plaintext would ignore it silently.
func checkTLSConfig(url string, cfg *config) error {
	if cfg.tlsConfig == nil || usesTLS(url) {
		return nil
	}
	return &ArgumentError{Op: "Dial", Arg: "WithTLSConfig",
		Reason: fmt.Sprintf("%s does not use TLS (use wss://, rss:// or tcps://)", redactURL(url))}
}

// usesTLS reports whether url's scheme runs over TLS.
func usesTLS(url string) bool {
	scheme, _, _ := strings.Cut(url, "://")
	switch strings.ToLower(scheme) {
	case "wss", "https", "rss", "tcps":
		return true
	}
	return false
}

// redactURL returns url fit for errors and logs: a password replaced by
// "xxxxx" (url.URL.Redacted), the query and fragment, which may carry
// tokens, dropped. Text that does not parse as a URL is returned as is
// when it holds no "@", "?" or "#", and as "<unparsable URL>" otherwise.
func redactURL(url string) string {
	u, err := neturl.Parse(url)
	if err != nil {
		if strings.ContainsAny(url, "@?#") {
			return "<unparsable URL>"
		}
		return url
	}
	u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = "", false, "", ""
	return u.Redacted()
}

// redactedError is an error whose text hides the secrets of a URL (see
// redactURL); Unwrap gives the original, for errors.Is and errors.As.
type redactedError struct {
	err  error
	text string
}

func (e *redactedError) Error() string { return e.text }
func (e *redactedError) Unwrap() error { return e.err }

// redactError returns err with the query, fragment and password of url
// removed from its text, wherever the transports or the libraries under
// them quoted it (net/http quotes the URL it rewrote to http://).
func redactError(err error, url string) error {
	u, perr := neturl.Parse(url)
	if perr != nil {
		if strings.ContainsAny(url, "@?#") {
			return &redactedError{err, strings.ReplaceAll(err.Error(), url, "<unparsable URL>")}
		}
		return err
	}
	text := strings.ReplaceAll(err.Error(), url, redactURL(url))
	if u.RawQuery != "" || u.ForceQuery {
		text = strings.ReplaceAll(text, "?"+u.RawQuery, "")
	}
	if u.Fragment != "" {
		text = strings.ReplaceAll(text, "#"+u.EscapedFragment(), "")
	}
	if pw, ok := u.User.Password(); ok && pw != "" {
		text = strings.ReplaceAll(text, ":"+pw+"@", ":xxxxx@")
		if esc := (&neturl.URL{User: neturl.UserPassword("", pw)}).String(); esc != "" {
			// the escaped form, as URL.String writes it: "//:pw@"
			text = strings.ReplaceAll(text, strings.TrimPrefix(esc, "//"), ":xxxxx@")
		}
	}
	if text == err.Error() {
		return err
	}
	return &redactedError{err, text}
}
