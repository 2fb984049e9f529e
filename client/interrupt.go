package client

import (
	"github.com/wampgo/wampgo/protocol"
)

// interruptCause builds the cause for an INTERRUPT message; mode is the
// mode already read from it (kill when absent).
func interruptCause(m *protocol.Interrupt, mode CancelMode) *InterruptError {
	reason, _ := m.Options["reason"].(string)
	return &InterruptError{Mode: mode, Reason: reason, Options: m.Options}
}
