package rawsocket

import (
	"context"
	"fmt"
	"net"

	"github.com/wampgo/wampgo/codec"
)

// Server performs the router's side of the opening handshake on nc and
// returns the running connection. It reads the client's request within
// opts.HandshakeTimeout (and ctx) and answers it:
//
//   - no magic octet, or serializer 0: the connection is failed without a
//     reply (the spec's rule), with an error matching ErrBadHandshake;
//   - reserved bits set: reply CodeReservedBits;
//   - a serializer not in opts.Codecs: reply CodeSerializerUnsupported;
//   - otherwise the accepting reply, announcing opts.ReadLimit.
//
// An error reply makes Server return the matching *HandshakeError. On any
// failure nc is closed. opts may be nil.
func Server(ctx context.Context, nc net.Conn, opts *ServerOptions) (*Conn, error) {
	c, err := serverHandshake(ctx, nc, opts, false)
	if err != nil {
		return nil, err
	}
	c.start()
	return c, nil
}

// serverHandshake is Server without starting the connection; full makes it
// answer CodeConnectionLimit to a well-formed request.
func serverHandshake(ctx context.Context, nc net.Conn, opts *ServerOptions, full bool) (*Conn, error) {
	cfg, timeout, err := opts.config()
	if err != nil {
		nc.Close()
		return nil, err
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	var c *Conn
	err = withDeadline(ctx, nc, func() error {
		b, err := readHandshake(nc)
		if err != nil {
			return err
		}
		req, reserved, err := parseRequest(b)
		if err != nil {
			return err
		}
		cd := pickCodec(cfg.codecs, req.serializer)
		var code ErrorCode
		switch {
		case reserved:
			code = CodeReservedBits
		case cd == nil:
			code = CodeSerializerUnsupported
		case full:
			code = CodeConnectionLimit
		}
		if code != 0 {
			reply := errorReply(code)
			nc.Write(reply[:])
			return &HandshakeError{Code: code, Serializer: req.serializer}
		}
		reply := request{exp: cfg.readExp, serializer: req.serializer}.bytes()
		if _, err := nc.Write(reply[:]); err != nil {
			return fmt.Errorf("rawsocket: handshake: %w", err)
		}
		c = newConn(nc, cd, cfg, maxLength(req.exp))
		return nil
	})
	if err != nil {
		nc.Close()
		return nil, err
	}
	return c, nil
}

// pickCodec returns the codec of codecs with serializer id ser, or nil.
func pickCodec(codecs []codec.Codec, ser Serializer) codec.Codec {
	for _, cd := range codecs {
		if s, _ := SerializerOf(cd); s == ser {
			return cd
		}
	}
	return nil
}
