package client

import "github.com/wampgo/wampgo/mailbox"

// Default queue limits, used for any Limits field left zero: sized like a
// mature messaging client's pending limits (nats.go: 512k messages or
// 64 MiB per subscription), so that an ordinary burst to a consumer that
// keeps up on average is absorbed; the byte bound usually applies first.
const (
	DefaultMaxMessages = mailbox.DefaultMaxMessages
	DefaultMaxBytes    = mailbox.DefaultMaxBytes
)

// Limits bounds one of the client's queues: a subscription's or a
// registration's mailbox (MailboxLimits), a call's progressive results
// (ProgressQueueLimits). A zero or negative field takes its default
// (DefaultMaxMessages, DefaultMaxBytes).
//
// A message is counted at what it holds in memory: its details, arguments
// and keyword arguments at codec.MemSize's cost (every list, dict, string
// and number as the Go runtime lays it out), plus 256 bytes for the item
// that carries it. A queue holding nothing takes one message of any size,
// so that no single message is undeliverable.
type Limits struct {
	MaxMessages int
	MaxBytes    int
}

// mailbox converts l for package mailbox.
func (l Limits) mailbox() mailbox.Limits {
	return mailbox.Limits{MaxMessages: l.MaxMessages, MaxBytes: l.MaxBytes}
}
