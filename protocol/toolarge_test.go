package protocol_test

import (
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

// NewTooLarge places the head's ids by the message type's layout.
func TestNewTooLarge(t *testing.T) {
	for _, tc := range []struct {
		of            protocol.MessageType
		first, second protocol.ID
		want          protocol.TooLarge
	}{
		{protocol.TypeResult, 4, 0, protocol.TooLarge{Of: protocol.TypeResult, Request: 4}},
		{protocol.TypeInvocation, 4, 5, protocol.TooLarge{Of: protocol.TypeInvocation, Request: 4, Registration: 5}},
		{protocol.TypeEvent, 4, 5, protocol.TooLarge{Of: protocol.TypeEvent, Subscription: 4, Publication: 5}},
		{protocol.TypeError, 48, 5, protocol.TooLarge{Of: protocol.TypeError, RequestType: protocol.TypeCall, Request: 5}},
		{protocol.TypeError, 1 << 40, 5, protocol.TooLarge{Of: protocol.TypeError, Request: 5}},
		{protocol.TypeWelcome, 4, 0, protocol.TooLarge{Of: protocol.TypeWelcome}},
		{protocol.TypeGoodbye, 0, 0, protocol.TooLarge{Of: protocol.TypeGoodbye}},
	} {
		got := protocol.NewTooLarge(tc.of, tc.first, tc.second, 10, 5)
		tc.want.Size, tc.want.Limit = 10, 5
		if *got != tc.want || got.Type() != protocol.TypeTooLarge || got.Type().Known() {
			t.Errorf("%v %d %d: %+v", tc.of, tc.first, tc.second, got)
		}
	}
}
