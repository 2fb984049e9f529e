// Package oversize is what both transports (wsconn and internal/transport/rawsocket)
// do with a message longer than their read limit: read it through in
// bounded memory, keeping only its head, and tell the session what it was
// (a *protocol.TooLarge on the Receive channel) instead of ending the
// connection. The session then fails the operation the message belongs
// to; a message whose head cannot be read still ends the read side, as a
// protocol violation.
//
// The package starts no goroutines and holds no state.
package oversize

import (
	"errors"
	"fmt"
	"io"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// HeadSize is how many bytes of an oversized message are kept to read its
// head: the type and two ids take a few dozen bytes in every serializer.
const HeadSize = 4 << 10

// ReadMessage reads r, one message, to its end. When the message is at most
// limit bytes long (or limit is negative: no limit), it returns the whole
// message and its length. Otherwise it returns the first HeadSize bytes
// (at most), the whole length, and over set; the rest was read into
// io.Discard, so an oversized message costs the limit in memory at most,
// whatever its length. An error of r is returned as is, with what was read.
func ReadMessage(r io.Reader, limit int64) (data []byte, size int64, over bool, err error) {
	if limit < 0 {
		data, err = io.ReadAll(r)
		return data, int64(len(data)), false, err
	}
	data, err = io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil || int64(len(data)) <= limit {
		return data, int64(len(data)), false, err
	}
	n, err := io.Copy(io.Discard, r)
	return data[:min(len(data), HeadSize):min(len(data), HeadSize)], int64(len(data)) + n, true, err
}

// Skip reads n bytes of r into io.Discard, after the caller kept the head:
// for a transport that knows the message's length from its framing.
func Skip(r io.Reader, n int64) error {
	if n <= 0 {
		return nil
	}
	_, err := io.CopyN(io.Discard, r, n)
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return err
}

// Item reads head, the first bytes of a message of size bytes that broke
// limit, with cd's head reader (codec.ReadHead), and returns what the
// transport delivers in the message's place. When the head cannot be read
// the error says why; it matches codec.ErrMessageTooLarge,
// codec.ErrHeadUnreadable and protocol.ErrProtocolViolation, and the
// transport ends its read side with it, as for any message it cannot
// decode.
func Item(cd codec.Codec, head []byte, size, limit int64) (*protocol.TooLarge, error) {
	h, err := codec.ReadHead(cd, head)
	if err != nil {
		return nil, fmt.Errorf("%w: %d bytes, over the read limit of %d bytes, and %w: %w",
			codec.ErrMessageTooLarge, size, limit, err, protocol.ErrProtocolViolation)
	}
	return protocol.NewTooLarge(h.Type, h.IDs[0], h.IDs[1], size, limit), nil
}

// Refused handles a message that the transport read whole but that cd's
// Decode refused with err: when the codec refused it for its size alone
// (its own size limit, codec.Limits.MaxMessageSize, lower than the
// transport's read limit, or the memory it would decode to,
// codec.Limits.MaxDecodedSize), it is a message over a limit like any other,
// and Refused returns Item's result for it with handled set. Otherwise
// handled is false and err stands.
func Refused(cd codec.Codec, data []byte, err error) (m *protocol.TooLarge, itemErr error, handled bool) {
	if !errors.Is(err, codec.ErrMessageTooLarge) {
		return nil, nil, false
	}
	decoded := errors.Is(err, codec.ErrDecodedTooLarge)
	limit := int64(-1)
	if l, ok := cd.(interface{ Limits() codec.Limits }); ok {
		limit = int64(l.Limits().MaxMessageSize)
		if decoded {
			limit = int64(l.Limits().MaxDecodedSize)
		}
	}
	m, itemErr = Item(cd, data[:min(len(data), HeadSize)], int64(len(data)), limit)
	if m != nil {
		m.Decoded = decoded
	}
	return m, itemErr, true
}
