package wsconn

import (
	"net/http"
	"net/textproto"
	"strings"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/codec"
)

// Accept upgrades an HTTP request to a WebSocket connection carrying WAMP,
// for a server (a router, or a test's scripted peer). It selects the first
// of opts.Codecs, in the server's order of preference, whose subprotocol the
// client offered. If the client offered none of them, Accept answers 400 Bad
// Request and returns a *NegotiationError; on any other failure it answers
// with an HTTP error too and returns it.
//
// Call it from an http.Handler; the ResponseWriter must support hijacking
// (HTTP/1.1). The request's context does not bound the connection, which
// lives until Close or until it fails. opts may be nil. On success the
// caller must eventually call Close.
func Accept(w http.ResponseWriter, r *http.Request, opts *AcceptOptions) (*Conn, error) {
	cfg, err := opts.config()
	if err != nil {
		http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		return nil, err
	}
	if opts == nil {
		opts = &AcceptOptions{}
	}
	offered := offeredSubprotocols(r.Header)
	cd := choose(cfg.codecs, offered)
	if cd == nil {
		err := &NegotiationError{Offered: offered}
		http.Error(w, "no supported WAMP subprotocol: server supports "+
			strings.Join(subprotocols(cfg.codecs), ", "), http.StatusBadRequest)
		return nil, err
	}

	hc := &hijackCapture{ResponseWriter: w}
	ws, err := websocket.Accept(hc, r, &websocket.AcceptOptions{
		Subprotocols:       []string{cd.Subprotocol()},
		OriginPatterns:     opts.OriginPatterns,
		InsecureSkipVerify: opts.InsecureSkipVerify,
		CompressionMode:    opts.Compression,
	})
	if err != nil {
		return nil, err
	}
	return newConn(hc.raw, cd, cfg, coderFraming(ws, hc.raw, cd.Binary(), cfg)), nil
}

// offeredSubprotocols lists the subprotocols of a handshake request in the
// client's order.
func offeredSubprotocols(h http.Header) []string {
	var sp []string
	for _, v := range h[textproto.CanonicalMIMEHeaderKey("Sec-WebSocket-Protocol")] {
		for t := range strings.SplitSeq(v, ",") {
			if t = strings.TrimSpace(t); t != "" {
				sp = append(sp, t)
			}
		}
	}
	return sp
}

// choose returns the first of codecs (server preference) offered, or nil.
func choose(codecs []codec.Codec, offered []string) codec.Codec {
	for _, c := range codecs {
		for _, sp := range offered {
			if strings.EqualFold(c.Subprotocol(), sp) {
				return c
			}
		}
	}
	return nil
}
