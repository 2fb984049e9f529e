package wamptest

import (
	"context"
	"fmt"
	"slices"
	"sync"

	"github.com/wampgo/wampgo/protocol"
)

// Direction tells who sent a logged message.
type Direction int

const (
	// FromClient is a message the router received from the client.
	FromClient Direction = iota
	// ToClient is a message the router sent to the client.
	ToClient
)

func (d Direction) String() string {
	if d == FromClient {
		return "client→router"
	}
	return "router→client"
}

// Record is one logged message.
type Record struct {
	Dir Direction
	Msg protocol.Message
}

func (rec Record) String() string { return fmt.Sprintf("%s %s %+v", rec.Dir, rec.Msg.Type(), rec.Msg) }

// Log is the record of every message of one connection, in the order the
// router received or sent them: from HELLO (and the authentication that
// follows) to the end of the session. A message from the client is logged
// when the router takes it, one to the client when the router hands it to
// the transport. Its methods are safe for concurrent use; the messages
// must not be modified.
type Log struct {
	mu      sync.Mutex
	recs    []Record      // guarded by mu
	changed chan struct{} // guarded by mu; closed and replaced by each add
}

func newLog() *Log { return &Log{changed: make(chan struct{})} }

// add records a message; a nil Log (WithoutMessageLog) records nothing.
func (l *Log) add(d Direction, m protocol.Message) {
	if l == nil {
		return
	}
	l.mu.Lock()
	l.recs = append(l.recs, Record{Dir: d, Msg: m})
	close(l.changed)
	l.changed = make(chan struct{})
	l.mu.Unlock()
}

// Await waits for the first record, from the start of the log, that match
// accepts, and returns it; or returns ctx's error. It lets a test wait for
// a message without sleeping, inside a testing/synctest bubble too.
func (l *Log) Await(ctx context.Context, match func(Record) bool) (Record, error) {
	seen := 0
	for {
		l.mu.Lock()
		recs, changed := l.recs[seen:], l.changed
		l.mu.Unlock()
		for _, rec := range recs {
			if match(rec) {
				return rec, nil
			}
		}
		seen += len(recs)
		select {
		case <-changed:
		case <-ctx.Done():
			return Record{}, ctx.Err()
		}
	}
}

// Records returns a copy of the records so far.
func (l *Log) Records() []Record {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.recs)
}

// Sent returns, in order, the messages the client sent of type t, or all
// of them when t is 0.
func (l *Log) Sent(t protocol.MessageType) []protocol.Message { return l.filter(FromClient, t) }

// Received returns, in order, the messages the client was sent of type t,
// or all of them when t is 0.
func (l *Log) Received(t protocol.MessageType) []protocol.Message { return l.filter(ToClient, t) }

func (l *Log) filter(d Direction, t protocol.MessageType) []protocol.Message {
	var out []protocol.Message
	for _, rec := range l.Records() {
		if rec.Dir == d && (t == 0 || rec.Msg.Type() == t) {
			out = append(out, rec.Msg)
		}
	}
	return out
}

// Log returns the message log of the session with the given id, joined
// now or in the past, or nil if the router never welcomed that session or
// runs WithoutMessageLog.
// The log of a session keeps growing until its connection ends.
func (r *Router) Log(session protocol.ID) *Log {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.logs[session]
}
