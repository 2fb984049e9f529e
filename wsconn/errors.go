package wsconn

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/protocol"
)

// ErrPingTimeout (protocol.ErrPingTimeout, the same value) is the end
// reason of a connection whose peer stopped answering: no pong, and nothing
// else, arrived within PongTimeout of a keepalive ping. It is what a
// half-open TCP connection ends with.
var ErrPingTimeout = protocol.ErrPingTimeout

// ErrMessageTooLarge (protocol.ErrMessageTooLarge, the same value) matches
// (with errors.Is) the end reason of a connection whose peer sent a message
// longer than the read limit with a head that cannot be read (see
// Options.ReadLimit); the error then also matches
// protocol.ErrProtocolViolation and codec.ErrMessageTooLarge.
var ErrMessageTooLarge = protocol.ErrMessageTooLarge

// NegotiationError reports a failed WAMP subprotocol negotiation. It is
// returned by Dial when the server selected no subprotocol or one that was
// not offered, and by Accept when the client offered none that the server
// supports (the client is then answered 400 Bad Request).
type NegotiationError struct {
	// Offered lists the subprotocols the client offered, in its order of
	// preference, such as ["wamp.2.cbor", "wamp.2.json"].
	Offered []string
	// Got is the subprotocol the server selected; "" when it selected none
	// (always "" from Accept).
	Got string
}

func (e *NegotiationError) Error() string {
	offered := "[" + strings.Join(e.Offered, ", ") + "]"
	if e.Got == "" {
		return "wsconn: no WAMP subprotocol agreed: offered " + offered + ", none selected"
	}
	return "wsconn: server selected subprotocol " + strconv.Quote(e.Got) + " that was not offered: offered " + offered
}

// CloseError reports that the peer closed the WebSocket with a close frame.
// Read it with errors.As; it matches protocol.ErrPeerClosed, and unwraps to
// the websocket.CloseError it was made from.
type CloseError struct {
	// Code is the peer's close status, such as websocket.StatusNormalClosure
	// (1000) or websocket.StatusGoingAway (1001).
	Code websocket.StatusCode
	// Reason is the peer's reason text, possibly empty.
	Reason string

	err error // what coder/websocket returned
}

func (e *CloseError) Error() string {
	s := "wsconn: peer closed the connection: " + e.Code.String()
	if e.Reason != "" {
		s += ": " + strconv.Quote(e.Reason)
	}
	return s
}

// Unwrap returns the underlying websocket error.
func (e *CloseError) Unwrap() error { return e.err }

// Is reports whether target is protocol.ErrPeerClosed.
func (e *CloseError) Is(target error) bool { return target == protocol.ErrPeerClosed }

// readError translates an error from websocket.Conn.Read into the end reason
// the transport reports. limit is the configured read limit.
func readError(err error, limit int64) error {
	var ce websocket.CloseError
	switch {
	case errors.Is(err, websocket.ErrMessageTooBig):
		return fmt.Errorf("wsconn: %w (limit %d bytes): %w", ErrMessageTooLarge, limit, err)
	case errors.As(err, &ce):
		return &CloseError{Code: ce.Code, Reason: ce.Reason, err: err}
	default:
		return fmt.Errorf("wsconn: read: %w", err)
	}
}

// ErrRedirect matches the error of a Dial whose server answered the
// opening handshake with an HTTP redirect that Options.FollowRedirects does
// not allow.
var ErrRedirect = errors.New("wsconn: redirect refused")
