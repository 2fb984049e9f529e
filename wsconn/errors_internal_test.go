package wsconn

import (
	"errors"
	"testing"

	"github.com/coder/websocket"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// The transport's end reasons match the protocol package's transport
// errors, as every transport's do.
func TestEndReasonsMatchProtocolErrors(t *testing.T) {
	tooBig := readError(websocket.ErrMessageTooBig, 1024)
	for _, target := range []error{protocol.ErrMessageTooLarge, codec.ErrMessageTooLarge, ErrMessageTooLarge, websocket.ErrMessageTooBig} {
		if !errors.Is(tooBig, target) {
			t.Errorf("%v does not match %v", tooBig, target)
		}
	}
	closed := readError(websocket.CloseError{Code: websocket.StatusGoingAway}, 0)
	var ce *CloseError
	if !errors.Is(closed, protocol.ErrPeerClosed) || !errors.As(closed, &ce) || ce.Code != websocket.StatusGoingAway {
		t.Errorf("%v: want a *CloseError matching protocol.ErrPeerClosed", closed)
	}
	if !errors.Is(ErrPingTimeout, protocol.ErrPingTimeout) {
		t.Error("ErrPingTimeout does not match protocol.ErrPingTimeout")
	}
}
