package mailbox

// Default limits, used for any Limits field left zero. They are sized like
// a mature messaging client's pending limits (nats.go: 512k messages or
// 64 MiB per subscription), so that an ordinary burst to a consumer that
// keeps up on average is absorbed, not refused; the byte bound is the one
// that usually applies first.
const (
	DefaultMaxMessages = 512 * 1024
	DefaultMaxBytes    = 64 << 20
)

// Limits bounds what a mailbox holds before TryPut refuses an item. A zero
// or negative field takes its default. Sizes are the producer's estimates
// (package client charges codec.MemSize of a message plus 256 bytes for
// the item that carries it).
type Limits struct {
	MaxMessages int
	MaxBytes    int
}

func (l Limits) withDefaults() Limits {
	if l.MaxMessages <= 0 {
		l.MaxMessages = DefaultMaxMessages
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	return l
}
