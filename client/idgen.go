package client

import (
	"sync/atomic"

	"github.com/wampgo/wampgo/protocol"
)

// IDGenerator produces the session-scope request ids of outgoing requests.
// The session loop calls Next for every request; an IDGenerator shared with
// other goroutines must be safe for concurrent use.
type IDGenerator interface {
	Next() protocol.ID
}

// SequentialIDs is the spec's session-scope generator: 1, 2, 3, … wrapping
// to 1 after 2^53. The zero value is ready to use and safe for concurrent
// use.
type SequentialIDs struct {
	last atomic.Uint64
}

// Next returns the next id in sequence.
func (g *SequentialIDs) Next() protocol.ID {
	for {
		old := g.last.Load()
		next := old + 1
		if next > protocol.MaxID {
			next = 1
		}
		if g.last.CompareAndSwap(old, next) {
			return next
		}
	}
}

// Reset restarts the sequence at 1. A reconnecting client calls it for
// every new session, since session-scope ids begin at 1 in each session.
func (g *SequentialIDs) Reset() { g.last.Store(0) }
