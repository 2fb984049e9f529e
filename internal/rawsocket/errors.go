package rawsocket

import (
	"errors"
	"fmt"
	"io"
	"net"

	"github.com/wampgo/wampgo/protocol"
)

// ErrPingTimeout (protocol.ErrPingTimeout) is the end reason of a
// connection whose peer stopped answering: no PONG, and nothing else,
// arrived within PongTimeout of a keepalive PING. It is what a half-open
// TCP connection ends with.
var ErrPingTimeout = protocol.ErrPingTimeout

// ErrPeerClosed (protocol.ErrPeerClosed) matches the end reason of a
// connection that the peer closed between two frames (RawSocket has no
// closing handshake: closing the stream is how a peer ends the
// connection). A stream cut within a frame ends with io.ErrUnexpectedEOF,
// wrapped, instead.
var ErrPeerClosed = protocol.ErrPeerClosed

// readError translates a stream error of the reader into the end reason.
func readError(err error) error {
	switch {
	case errors.Is(err, io.EOF):
		return fmt.Errorf("rawsocket: %w: %w", ErrPeerClosed, err)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("rawsocket: read: stream ended within a frame: %w", err)
	default:
		return fmt.Errorf("rawsocket: read: %w", err)
	}
}

// violation makes err match protocol.ErrProtocolViolation, wrapping it when
// it does not already.
func violation(err error) error {
	if errors.Is(err, protocol.ErrProtocolViolation) {
		return err
	}
	return fmt.Errorf("rawsocket: %w: %w", err, protocol.ErrProtocolViolation)
}

// closedErr reports whether err is the error of an operation on a
// connection closed by this side.
func closedErr(err error) bool { return errors.Is(err, net.ErrClosed) }
