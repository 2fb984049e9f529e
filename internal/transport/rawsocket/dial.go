package rawsocket

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
)

// Endpoint is where a RawSocket URL points.
type Endpoint struct {
	Network string // "tcp" or "unix"
	Address string // host:port, or the socket's path
	TLS     bool   // rss:// and tcps://
	Host    string // the host name, for TLS's ServerName ("" for unix)
}

// Schemes lists the URL schemes ParseURL accepts.
var Schemes = []string{"rs", "rss", "tcp", "tcps", "unix"}

// IsURL reports whether rawURL has a RawSocket scheme (compared ignoring
// case).
func IsURL(rawURL string) bool {
	scheme, _, ok := strings.Cut(rawURL, "://")
	if !ok {
		return false
	}
	for _, s := range Schemes {
		if strings.EqualFold(scheme, s) {
			return true
		}
	}
	return false
}

// ParseURL parses a RawSocket URL: rs://host:port or tcp://host:port (TCP),
// rss://host:port or tcps://host:port (TLS over TCP), unix:///path/to.sock
// (a Unix domain socket; unix://relative/path is taken as relative). A
// TCP URL needs a port; a path, query or fragment are refused there.
func ParseURL(rawURL string) (Endpoint, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return Endpoint{}, fmt.Errorf("rawsocket: %w", err)
	}
	switch strings.ToLower(u.Scheme) {
	case "unix":
		path := u.Host + u.Path
		if path == "" {
			return Endpoint{}, fmt.Errorf("rawsocket: %q: no socket path", rawURL)
		}
		return Endpoint{Network: "unix", Address: path}, nil
	case "rs", "tcp", "rss", "tcps":
	default:
		return Endpoint{}, fmt.Errorf("rawsocket: %q: not a RawSocket URL (schemes: %s)", rawURL, strings.Join(Schemes, ", "))
	}
	if u.Port() == "" || u.Hostname() == "" {
		return Endpoint{}, fmt.Errorf("rawsocket: %q: want host:port", rawURL)
	}
	if (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return Endpoint{}, fmt.Errorf("rawsocket: %q: a RawSocket URL has no path, query, fragment or user", rawURL)
	}
	scheme := strings.ToLower(u.Scheme)
	return Endpoint{
		Network: "tcp",
		Address: u.Host,
		TLS:     scheme == "rss" || scheme == "tcps",
		Host:    u.Hostname(),
	}, nil
}

// Dial connects to the router at rawURL (see ParseURL), with TLS for rss://
// and tcps://, and performs the opening handshake. It requests the first
// codec of opts.Codecs; when the router answers that it does not support
// it, Dial connects again requesting the next, and so on. ctx bounds the
// whole of it; the connection lives until Close or until it fails. opts
// may be nil. On success the caller must eventually call Close.
//
// Errors: a *HandshakeError for the router's error reply (the last one when
// no codec was accepted), an error matching ErrBadHandshake for a reply
// that breaks the protocol, or a network or TLS error, wrapped.
func Dial(ctx context.Context, rawURL string, opts *Options) (*Conn, error) {
	ep, err := ParseURL(rawURL)
	if err != nil {
		return nil, err
	}
	cfg, err := opts.config()
	if err != nil {
		return nil, err
	}
	var tlsConfig *tls.Config
	if ep.TLS {
		if opts != nil && opts.TLSConfig != nil {
			tlsConfig = opts.TLSConfig.Clone()
		} else {
			tlsConfig = &tls.Config{}
		}
		if tlsConfig.ServerName == "" {
			tlsConfig.ServerName = ep.Host
		}
	}
	var last error
	for _, cd := range cfg.codecs {
		nc, err := dialStream(ctx, ep, tlsConfig)
		if err != nil {
			return nil, fmt.Errorf("rawsocket: dial %s: %w", rawURL, err)
		}
		c, err := clientHandshake(ctx, nc, cd, cfg)
		if err == nil {
			return c, nil
		}
		if !errors.Is(err, ErrSerializerUnsupported) {
			return nil, fmt.Errorf("rawsocket: dial %s: %w", rawURL, err)
		}
		last = err
	}
	return nil, fmt.Errorf("rawsocket: dial %s: no serializer accepted: %w", rawURL, last)
}

// dialStream opens the stream: TCP or Unix, and the TLS handshake.
func dialStream(ctx context.Context, ep Endpoint, tlsConfig *tls.Config) (net.Conn, error) {
	var d net.Dialer
	nc, err := d.DialContext(ctx, ep.Network, ep.Address)
	if err != nil || tlsConfig == nil {
		return nc, err
	}
	tc := tls.Client(nc, tlsConfig)
	if err := tc.HandshakeContext(ctx); err != nil {
		nc.Close()
		return nil, err
	}
	return tc, nil
}
