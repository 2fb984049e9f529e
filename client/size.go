package client

import (
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// queuedItemMem is what a queued message costs beyond its values: the
// Event, Invocation or Result that carries it, its queue entry, and an
// invocation's contexts.
const queuedItemMem = 256

// messageSize estimates the memory a received message holds while it
// waits in a mailbox or a progress queue, for their byte limits: its
// details, arguments and keyword arguments as codec.MemSize counts them
// (every list, dict, string and number at what the Go runtime spends on
// it, so that a message of many small values costs what it holds), its raw
// payload, and the item that carries it.
func messageSize(details protocol.Dict, p protocol.Payload) int {
	return queuedItemMem + codec.MemSize(details) + codec.MemSize(p.Args) + codec.MemSize(p.Kwargs) + len(p.Payload)
}
