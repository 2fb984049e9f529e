package mailbox

// Overflow is what the producer does with an item that TryPut refused: the
// one vocabulary of every queue of the client (events, invocations,
// progressive results, progressive inputs); package client's
// OverflowPolicy names the same three.
type Overflow int

const (
	// Drop: the item is dropped; the producer counts and reports it and
	// never waits.
	Drop Overflow = iota
	// Block: the producer keeps the item and waits for Space before it
	// tries again (the session stops reading from the router meanwhile).
	Block
	// Fail: the operation the item belongs to fails (the invocation is
	// answered with an error).
	Fail
)

// String returns the policy's name.
func (o Overflow) String() string {
	switch o {
	case Drop:
		return "drop"
	case Block:
		return "block"
	case Fail:
		return "fail"
	}
	return "unknown"
}
