package rawsocket

import (
	"errors"
	"io"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// The transport's errors match the protocol package's transport errors, as
// every transport's do.
func TestErrorsMatchProtocolErrors(t *testing.T) {
	for _, tc := range []struct {
		err    error
		target error
	}{
		{readError(io.EOF), protocol.ErrPeerClosed},
		{tooLargeIn(FrameMessage, 2048, 1024), protocol.ErrMessageTooLarge},
		{tooLargeIn(FrameMessage, 2048, 1024), codec.ErrMessageTooLarge},
		{tooLargeIn(FrameMessage, 2048, 1024), protocol.ErrProtocolViolation},
		{ErrPingTimeout, protocol.ErrPingTimeout},
		{&HandshakeError{Code: CodeSerializerUnsupported}, protocol.ErrSerializerUnsupported},
		{&HandshakeError{Code: CodeMaxLengthUnacceptable}, protocol.ErrMaxLengthUnacceptable},
		{&HandshakeError{Code: CodeReservedBits}, protocol.ErrReservedBits},
		{&HandshakeError{Code: CodeConnectionLimit}, protocol.ErrConnectionLimit},
	} {
		if !errors.Is(tc.err, tc.target) {
			t.Errorf("%v does not match %v", tc.err, tc.target)
		}
	}
}
