package clienttest

import (
	"context"
	"errors"
	"fmt"
	"net"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/memconn"
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
)

// Transport is the connection the harness makes between a client and its
// scripted router (Setup.Transport, NewDialerOver). The zero value is the
// in-memory pipe of package memconn.
type Transport struct {
	// RawSocket, when set, connects over RawSocket instead: the
	// rawsocket.Client and rawsocket.Server handshakes on the two ends of
	// a net.Pipe, this codec on both sides. The router's end is then a
	// *rawsocket.Conn. Everything stays in memory, so that it works inside
	// a testing/synctest bubble.
	RawSocket codec.Codec
	// ReadLimit is the largest message the client announces over
	// RawSocket (rawsocket.Options.ReadLimit; 0: the default).
	ReadLimit int64
}

// Transports returns the transports a suite that must hold over every
// transport runs over: the in-memory JSON pipe and RawSocket with
// MessagePack (a binary codec, for variety).
func Transports() []Transport {
	return []Transport{{}, {RawSocket: codec.MsgPack()}}
}

// Name names tr for a subtest: "pipe" or "rawsocket-" and the codec.
func (tr Transport) Name() string {
	if tr.RawSocket == nil {
		return "pipe"
	}
	return "rawsocket-" + tr.RawSocket.Name()
}

// Serializer is the serializer a client connected over tr reports
// (client.Client.Serializer) when the pipe carries messages by pointer.
func (tr Transport) Serializer() string {
	if tr.RawSocket == nil {
		return "json"
	}
	return tr.RawSocket.Name()
}

// connect returns the two ends of a new connection, the client's and the
// router's. pipeCodec is the memconn codec (nil: messages by pointer); a
// RawSocket transport ignores it. ctx bounds the RawSocket handshakes;
// when connect returns, no goroutine of its own is left running.
func (tr Transport) connect(ctx context.Context, pipeCodec codec.Codec) (ct, rt protocol.Transport, err error) {
	if tr.RawSocket == nil {
		if pipeCodec != nil {
			ct, rt = memconn.PipeCodec(pipeCodec)
		} else {
			ct, rt = memconn.Pipe("json")
		}
		return ct, rt, nil
	}
	return rawSocketPair(ctx, tr.RawSocket, tr.ReadLimit)
}

// rawSocketPair runs the RawSocket handshakes on a net.Pipe, the router's
// on a goroutine that ends before rawSocketPair returns. A failed
// handshake closes its end of the pipe, which fails the other.
func rawSocketPair(ctx context.Context, cd codec.Codec, readLimit int64) (ct, rt *rawsocket.Conn, err error) {
	cn, sn := net.Pipe()
	type server struct {
		c   *rawsocket.Conn
		err error
	}
	sc := make(chan server, 1)
	go func() {
		c, err := rawsocket.Server(ctx, sn, &rawsocket.ServerOptions{Codecs: []codec.Codec{cd}})
		sc <- server{c, err}
	}()
	ct, cerr := rawsocket.Client(ctx, cn, &rawsocket.Options{Codecs: []codec.Codec{cd}, ReadLimit: readLimit})
	s := <-sc
	if cerr == nil && s.err == nil {
		return ct, s.c, nil
	}
	for _, c := range []*rawsocket.Conn{ct, s.c} {
		if c != nil {
			c.Close()
		}
	}
	return nil, nil, fmt.Errorf("clienttest: RawSocket handshake: %w", errors.Join(cerr, s.err))
}
