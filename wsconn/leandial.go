package wsconn

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/wsframe"
)

// leanPath reports whether Dial takes its own client (dialLean) for u (an
// http:// or https:// URL): not with an HTTPClient of the caller's, with
// compression, or when an HTTP proxy applies (http.ProxyFromEnvironment),
// which coder/websocket's client over net/http handles.
func leanPath(opts *Options, u *url.URL) bool {
	if opts.HTTPClient != nil || opts.Compression != websocket.CompressionDisabled {
		return false
	}
	proxy, err := http.ProxyFromEnvironment(&http.Request{URL: u})
	return err == nil && proxy == nil
}

// httpURL parses a Dial URL and returns it with the scheme net/http would
// use (ws:// as http://, wss:// as https://).
func httpURL(rawURL string) (*url.URL, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("failed to parse url: %w", err)
	}
	switch strings.ToLower(u.Scheme) {
	case "ws", "http":
		u.Scheme = "http"
	case "wss", "https":
		u.Scheme = "https"
	default:
		return nil, fmt.Errorf("unexpected url scheme: %q", u.Scheme)
	}
	return u, nil
}

// dialLean is Dial's own client: it dials u, runs the HTTP/1.1 upgrade
// itself on the connection (following redirects as
// Options.FollowRedirects allows) and starts a Conn with the lean framing.
// Its errors are those of coder/websocket's client for the same answers,
// with the same wrapping (see Dial).
func dialLean(ctx context.Context, rawURL string, u *url.URL, opts *Options, cfg config) (*Conn, error) {
	offered := subprotocols(cfg.codecs)
	check := checkRedirect(opts.FollowRedirects, nil)
	var via []*http.Request
	for {
		nc, resp, primed, err := upgrade(ctx, u, opts, offered)
		if err != nil {
			if resp == nil && closedWithoutAnswer(err) {
				return nil, redactDialError(fmt.Errorf("wsconn: dial %s: the server closed the connection without an HTTP answer (is this a RawSocket port? use rs://, rss://, tcp:// or tcps:// for it): %w", rawURL, err), rawURL)
			}
			return nil, redactDialError(fmt.Errorf("wsconn: dial %s: %w", rawURL, err), rawURL)
		}
		if next := redirectTarget(resp, u); next != nil {
			nc.Close()
			via = append(via, &http.Request{URL: u})
			if err := check(&http.Request{URL: next}, via); err != nil {
				return nil, redactDialError(fmt.Errorf("wsconn: dial %s: %w", rawURL, err), rawURL)
			}
			u = next
			continue
		}
		cd, err := checkUpgrade(resp, cfg.codecs, offered)
		if err != nil {
			nc.Close()
			var ne *NegotiationError
			if errors.As(err, &ne) {
				return nil, err
			}
			return nil, redactDialError(fmt.Errorf("wsconn: dial %s: %w", rawURL, err), rawURL)
		}
		raw := &rawConn{ReadWriteCloser: nc}
		return newConn(raw, cd, cfg, leanFraming(raw, primed, cd.Binary(), cfg)), nil
	}
}

// redirectTarget returns where a redirect answer sends the handshake, or
// nil when resp is no redirect (it is then refused as any non-101 answer).
func redirectTarget(resp *http.Response, from *url.URL) *url.URL {
	switch resp.StatusCode {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
	default:
		return nil
	}
	loc := resp.Header.Get("Location")
	if loc == "" {
		return nil
	}
	next, err := from.Parse(loc)
	if err != nil {
		return nil
	}
	return next
}

// upgrade dials u and sends the opening handshake's request, and reads the
// answer's head. It returns the connection (open, to be closed by the
// caller unless it becomes the Conn's) and the bytes read past the
// answer's head. ctx bounds all of it; on error the connection is closed.
func upgrade(ctx context.Context, u *url.URL, opts *Options, offered []string) (net.Conn, *http.Response, []byte, error) {
	key := wsframe.NewKey()
	req, err := handshakeRequest(u, opts.HTTPHeader, offered, key)
	if err != nil {
		return nil, nil, nil, err
	}
	nc, err := dialNet(ctx, u, opts)
	if err != nil {
		return nil, nil, nil, err
	}
	// The context's end, or its deadline, cuts the exchange short.
	if d, ok := ctx.Deadline(); ok {
		nc.SetDeadline(d)
	}
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Unix(1, 0)) })
	resp, primed, err := exchange(nc, req)
	if !stop() || ctx.Err() != nil {
		err = fmt.Errorf("failed to send handshake request: %w", ctx.Err())
		resp = nil
	}
	if err != nil {
		nc.Close()
		return nil, resp, nil, err
	}
	nc.SetDeadline(time.Time{})
	if resp.StatusCode == http.StatusSwitchingProtocols {
		if got := resp.Header.Get("Sec-WebSocket-Accept"); got != wsframe.AcceptKey(key) {
			nc.Close()
			return nil, resp, nil, fmt.Errorf("WebSocket protocol violation: invalid Sec-WebSocket-Accept %q, key %q", got, key)
		}
	}
	return nc, resp, primed, nil
}

// exchange writes the request and reads the answer's head.
func exchange(nc net.Conn, req []byte) (*http.Response, []byte, error) {
	if _, err := nc.Write(req); err != nil {
		return nil, nil, fmt.Errorf("failed to send handshake request: %w", err)
	}
	br := bufio.NewReaderSize(nc, 1024)
	resp, err := http.ReadResponse(br, &http.Request{Method: http.MethodGet})
	if err != nil {
		return nil, nil, fmt.Errorf("failed to send handshake request: %w", err)
	}
	var primed []byte
	if n := br.Buffered(); n > 0 && resp.StatusCode == http.StatusSwitchingProtocols {
		b, _ := br.Peek(n)
		primed = append([]byte(nil), b...)
	}
	return resp, primed, nil
}

// dialNet opens the TCP connection to u's host, with TLS for https://.
func dialNet(ctx context.Context, u *url.URL, opts *Options) (net.Conn, error) {
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "80"
		if u.Scheme == "https" {
			port = "443"
		}
	}
	dial := (&net.Dialer{}).DialContext
	if opts.NetDial != nil {
		dial = opts.NetDial
	}
	nc, err := dial(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, fmt.Errorf("failed to send handshake request: %w", err)
	}
	if u.Scheme != "https" {
		return nc, nil
	}
	var cfg *tls.Config
	if opts.TLSConfig != nil {
		cfg = opts.TLSConfig.Clone()
	} else {
		cfg = &tls.Config{}
	}
	if cfg.ServerName == "" {
		cfg.ServerName = host
	}
	cfg.NextProtos = []string{"http/1.1"} // never h2: the upgrade is HTTP/1.1's
	tc := tls.Client(nc, cfg)
	if err := tc.HandshakeContext(ctx); err != nil {
		nc.Close()
		return nil, fmt.Errorf("failed to send handshake request: %w", err)
	}
	return tc, nil
}

// handshakeRequest writes the opening handshake's request: the caller's
// headers (those of the handshake itself and Host excepted), basic
// authorization from the URL's user info as net/http sends it, then the
// handshake's own.
func handshakeRequest(u *url.URL, header http.Header, offered []string, key string) ([]byte, error) {
	b := make([]byte, 0, 256)
	b = append(b, "GET "...)
	b = append(b, u.RequestURI()...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, u.Host...)
	b = append(b, "\r\n"...)
	for name, values := range header {
		canon := http.CanonicalHeaderKey(name)
		switch canon {
		case "Host", "Connection", "Upgrade", "Sec-Websocket-Version", "Sec-Websocket-Key",
			"Sec-Websocket-Protocol", "Sec-Websocket-Extensions":
			continue
		}
		if !validHeaderName(name) {
			return nil, fmt.Errorf("invalid header field name %q", name)
		}
		for _, v := range values {
			if !validHeaderValue(v) {
				return nil, fmt.Errorf("invalid header field value for %q", name)
			}
			b = append(b, canon...)
			b = append(b, ": "...)
			b = append(b, v...)
			b = append(b, "\r\n"...)
		}
	}
	if u.User != nil && header.Get("Authorization") == "" {
		pw, _ := u.User.Password()
		b = append(b, "Authorization: Basic "...)
		b = append(b, base64.StdEncoding.EncodeToString([]byte(u.User.Username()+":"+pw))...)
		b = append(b, "\r\n"...)
	}
	b = append(b, "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "...)
	b = append(b, key...)
	if len(offered) > 0 {
		b = append(b, "\r\nSec-WebSocket-Protocol: "...)
		b = append(b, strings.Join(offered, ",")...)
	}
	b = append(b, "\r\n\r\n"...)
	return b, nil
}

// validHeaderName reports whether name is an HTTP token.
func validHeaderName(name string) bool {
	if name == "" {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c <= ' ' || c >= 0x7F || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// validHeaderValue reports whether v can be sent as a header value: no
// control characters but tab.
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < ' ' && c != '\t') || c == 0x7F {
			return false
		}
	}
	return true
}

// checkUpgrade checks a handshake's answer as coder/websocket's client
// does, and returns the codec of the subprotocol the server selected.
func checkUpgrade(resp *http.Response, codecs []codec.Codec, offered []string) (codec.Codec, error) {
	if resp.StatusCode != http.StatusSwitchingProtocols {
		return nil, fmt.Errorf("failed to WebSocket dial: expected handshake response status code %v but got %v",
			http.StatusSwitchingProtocols, resp.StatusCode)
	}
	if !headerHasToken(resp.Header, "Connection", "upgrade") {
		return nil, fmt.Errorf("WebSocket protocol violation: Connection header %q does not contain Upgrade", resp.Header.Get("Connection"))
	}
	if !headerHasToken(resp.Header, "Upgrade", "websocket") {
		return nil, fmt.Errorf("WebSocket protocol violation: Upgrade header %q does not contain websocket", resp.Header.Get("Upgrade"))
	}
	if ext := resp.Header.Get("Sec-WebSocket-Extensions"); ext != "" {
		return nil, fmt.Errorf("WebSocket protocol violation: unsupported extensions from server: %q", ext)
	}
	got := resp.Header.Get("Sec-WebSocket-Protocol")
	cd := pick(codecs, got)
	if cd == nil {
		return nil, &NegotiationError{Offered: offered, Got: got}
	}
	return cd, nil
}

// headerHasToken reports whether a comma-separated header has token,
// ignoring case.
func headerHasToken(h http.Header, name, token string) bool {
	for _, v := range h.Values(name) {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}
