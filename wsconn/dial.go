package wsconn

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"syscall"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/codec"
)

// Dial opens a WebSocket connection to url (ws://, wss://, or http(s)://
// taken as ws(s)://) and negotiates a WAMP subprotocol: it offers the
// subprotocols of opts.Codecs in order, and the connection uses the codec of
// the one the server selects. If the server selects none, or one that was
// not offered, Dial fails with a *NegotiationError.
//
// ctx bounds the handshake only; the connection lives until Close or until
// it fails. opts may be nil. On success the connection's goroutines are
// running and the caller must eventually call Close.
func Dial(ctx context.Context, url string, opts *Options) (*Conn, error) {
	cfg, err := opts.config()
	if err != nil {
		return nil, err
	}
	if opts == nil {
		opts = &Options{}
	}
	if u, err := httpURL(url); err == nil && leanPath(opts, u) {
		return dialLean(ctx, url, u, opts, cfg)
	}
	offered := subprotocols(cfg.codecs)

	client, capture, cleanup := handshakeClient(opts, cfg.codecs)
	defer cleanup()
	ws, resp, err := websocket.Dial(ctx, url, &websocket.DialOptions{
		HTTPClient:      client,
		HTTPHeader:      opts.HTTPHeader,
		Subprotocols:    offered,
		CompressionMode: opts.Compression,
	})
	if err != nil {
		if resp != nil && resp.StatusCode == http.StatusSwitchingProtocols {
			// coder/websocket refuses a subprotocol that was not offered.
			if got := resp.Header.Get("Sec-WebSocket-Protocol"); got != "" && pick(cfg.codecs, got) == nil {
				return nil, &NegotiationError{Offered: offered, Got: got}
			}
		}
		if resp == nil && closedWithoutAnswer(err) {
			return nil, redactDialError(fmt.Errorf("wsconn: dial %s: the server closed the connection without an HTTP answer (is this a RawSocket port? use rs://, rss://, tcp:// or tcps:// for it): %w", url, err), url)
		}
		return nil, redactDialError(fmt.Errorf("wsconn: dial %s: %w", url, err), url)
	}
	cd := pick(cfg.codecs, ws.Subprotocol())
	if cd == nil || capture.raw == nil {
		ws.CloseNow()
		if cd == nil {
			return nil, &NegotiationError{Offered: offered, Got: ws.Subprotocol()}
		}
		return nil, errors.New("wsconn: dial: the HTTP client's transport did not return the connection as the body of the 101 response")
	}
	return newConn(capture.raw, cd, cfg, coderFraming(ws, capture.raw, cd.Binary(), cfg)), nil
}

// handshakeClient returns the HTTP client for the handshake, wrapped to
// catch the connection, and a cleanup that closes the idle connections of a
// transport made here (a failed handshake may leave one).
func handshakeClient(opts *Options, offered []codec.Codec) (*http.Client, *captureTransport, func()) {
	if opts.HTTPClient != nil {
		c := *opts.HTTPClient
		base := c.Transport
		if base == nil {
			base = http.DefaultTransport
		}
		capture := &captureTransport{base: base, offered: offered}
		c.Transport = capture
		c.CheckRedirect = checkRedirect(opts.FollowRedirects, c.CheckRedirect)
		return &c, capture, func() {}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	if opts.TLSConfig != nil {
		tr.TLSClientConfig = opts.TLSConfig.Clone()
	}
	if opts.NetDial != nil {
		tr.DialContext = opts.NetDial
	}
	capture := &captureTransport{base: tr, offered: offered}
	return &http.Client{Transport: capture, CheckRedirect: checkRedirect(opts.FollowRedirects, nil)},
		capture, tr.CloseIdleConnections
}

// pick returns the codec whose subprotocol is sp (compared as WebSocket
// does, ignoring case), or nil.
func pick(codecs []codec.Codec, sp string) codec.Codec {
	if sp == "" {
		return nil
	}
	for _, c := range codecs {
		if strings.EqualFold(c.Subprotocol(), sp) {
			return c
		}
	}
	return nil
}

// closedWithoutAnswer reports whether a failed handshake's error is the
// server ending the connection before any HTTP response: what a RawSocket
// router does with a request that does not start with its magic octet.
func closedWithoutAnswer(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET)
}
