package rawsocket

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/wampgo/wampgo/codec"
)

// Client performs the client's opening handshake on nc, requesting the
// first codec of opts.Codecs, and returns the running connection. ctx
// bounds the handshake only. On failure nc is closed and the error is a
// *HandshakeError for the router's error reply, an error matching
// ErrBadHandshake for a reply that breaks the protocol, ctx's error, or a
// network error. opts may be nil.
func Client(ctx context.Context, nc net.Conn, opts *Options) (*Conn, error) {
	cfg, err := opts.config()
	if err != nil {
		nc.Close()
		return nil, err
	}
	return clientHandshake(ctx, nc, cfg.codecs[0], cfg)
}

func clientHandshake(ctx context.Context, nc net.Conn, cd codec.Codec, cfg config) (*Conn, error) {
	ser, _ := SerializerOf(cd)
	var exp uint8
	if _, ok := ctx.Deadline(); !ok {
		// A port that is not RawSocket's may never answer four octets: an
		// HTTP server waits for the rest of a request line.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeoutCause(ctx, DefaultHandshakeTimeout, errNoReply)
		defer cancel()
	}
	err := withDeadline(ctx, nc, func() error {
		req := request{exp: cfg.readExp, serializer: ser}.bytes()
		if _, err := nc.Write(req[:]); err != nil {
			return fmt.Errorf("rawsocket: handshake: %w", err)
		}
		reply, err := readHandshake(nc)
		if err != nil {
			return err
		}
		exp, err = parseReply(reply, ser)
		return err
	})
	if err != nil {
		nc.Close()
		return nil, err
	}
	c := newConn(nc, cd, cfg, maxLength(exp))
	c.start()
	return c, nil
}

// withDeadline runs the handshake step f with nc's deadline bound to ctx,
// and clears the deadline after. When ctx ends first, it returns ctx's
// error rather than the network error it caused.
func withDeadline(ctx context.Context, nc net.Conn, f func() error) error {
	if d, ok := ctx.Deadline(); ok {
		nc.SetDeadline(d)
	}
	stop := context.AfterFunc(ctx, func() { nc.SetDeadline(time.Unix(1, 0)) })
	err := f()
	if !stop() {
		// ctx ended: its deadline may be set now or soon, whatever f did.
		return handshakeCtxError(ctx)
	}
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			if d, ok := ctx.Deadline(); ok && !time.Now().Before(d) {
				<-ctx.Done() // past its deadline: ends at once, with its cause
			}
			return handshakeCtxError(ctx)
		}
		return err
	}
	// An error here means the stream is already broken: the reader will
	// report that as the connection's end.
	nc.SetDeadline(time.Time{})
	return nil
}

// errNoReply is the cause of the client handshake's own bound, used when
// the caller's ctx has none.
var errNoReply = fmt.Errorf("no handshake reply within %v (is this a RawSocket port? a WebSocket router wants ws:// or wss://)", DefaultHandshakeTimeout)

// handshakeCtxError is the error of a handshake cut off by ctx's end (or
// by a deadline set from it): ctx's error, and its cause when that says
// more.
func handshakeCtxError(ctx context.Context) error {
	err := ctx.Err()
	if err == nil {
		err = context.DeadlineExceeded // the connection's deadline passed first
	}
	if cause := context.Cause(ctx); cause != nil && cause != err {
		return fmt.Errorf("rawsocket: handshake: %w: %w", err, cause)
	}
	return fmt.Errorf("rawsocket: handshake: %w", err)
}
