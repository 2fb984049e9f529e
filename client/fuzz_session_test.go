package client_test

// FuzzSession drives a whole session from a fake router: the fuzz input is
// a program for a small deterministic generator that interleaves router
// messages (valid and invalid, with request ids drawn from those the client
// really sent plus made-up ones, and raw garbage frames) with client
// operations (calls, cancels, subscribes, registrations with handlers that
// return, fail, panic, stream progress or call back, publishes, removals,
// Close).
//
// Everything runs inside a synctest bubble, which memconn allows since it
// starts no goroutines. After every step synctest.Wait lets the client
// finish reacting, so each input replays the same way, and the router's
// model of what is pending stays exact; time only moves when the program
// sleeps or everything is blocked, so bounds cost nothing.
//
// Properties checked for every input:
//   - no panic escapes the client (handlers' panics are recovered);
//   - a message that breaks the protocol (a reply to nothing pending, a
//     second final reply, WELCOME, an undecodable frame) ends the session
//     with ABORT protocol_violation as the client's last message and an end
//     reason matching ErrProtocolViolation; a message that does not (a reply
//     to a pending request, any EVENT or INTERRUPT, a revocation, an
//     INVOCATION with a fresh request id) leaves the session running, and an
//     INVOCATION for a registration the router never granted is answered
//     with ERROR no_such_registration; router GOODBYE and ABORT end it with
//     *GoodbyeError and *AbortError; client operations never end it;
//   - once the client has closed its connection and everything settled,
//     Done is closed;
//   - every operation returns, Close returns within its bound, every Call
//     future completes (with ErrClosed if the router never answered it),
//     and Results ends with the final result;
//   - no goroutine outlives the input: synctest.Test fails if any goroutine
//     of the bubble is still blocked when the input's function returns.
//
// The oracle is switched off where the client's reaction depends on timing
// that the model does not track: after a Block-policy subscription exists
// (the reader may be parked), after a garbage frame that happens to decode,
// and once Close has started.

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/clienttest"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/internal/transport/memconn"
	"github.com/wampgo/wampgo/protocol"
)

const (
	fuzzMaxInput = 4096
	fuzzMaxSteps = 200
	// fuzzBound bounds every wait of the fuzz loop. It is bubble time: it
	// passes only when everything is blocked, so a hang costs nothing.
	fuzzBound = time.Minute
	// fuzzOpBound bounds every operation's context: longer than all the
	// sleeps an input can ask for, so an operation that hits it was stuck.
	fuzzOpBound = 24 * time.Hour
)

func FuzzSession(f *testing.F) {
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > fuzzMaxInput {
			data = data[:fuzzMaxInput]
		}
		synctest.Test(t, func(t *testing.T) { runFuzzSession(t, data) })
	})
}

type fuzzSession struct {
	t    *testing.T
	g    *fuzzGen
	c    *client.Client
	rt   *memconn.Conn
	wire *wireLog

	drained chan struct{}  // closed when the drain goroutine has ended
	running sync.WaitGroup // operation goroutines
	tokens  chan struct{}  // releases handlers that wait
	events  atomic.Int64
	trace   []string

	mu   sync.Mutex // guards subs and regs, appended by op goroutines
	subs []*client.Subscription
	regs []*client.Registration

	// Owned by the fuzz loop.
	calls    []*fuzzCall
	answered map[protocol.ID]string // request id → "result"/"error"/"reply": finally answered
	subIDs   []protocol.ID          // ids granted in SUBSCRIBED
	regIDs   []protocol.ID          // ids granted in REGISTERED
	granted  map[protocol.ID]bool   // registration ids granted
	lastID   protocol.ID            // the last id freshID handed out
	invIDs   []protocol.ID          // INVOCATION request ids sent
	nextInv  protocol.ID
	ended    bool // the session has ended
	oracle   bool // the model's expectations hold
	closing  bool // Close has been called
	ops      []fuzzOp
}

// fuzzOp is an operation running on its own goroutine.
type fuzzOp struct {
	name   string
	cancel context.CancelFunc
}

func runFuzzSession(t *testing.T, data []byte) {
	g := &fuzzGen{data: data}
	flags := g.byte()
	roles := scripted.Roles()
	if flags&1 != 0 {
		roles = scripted.RolesWith(nil, nil) // no call canceling, no progressive inputs
	}
	s := &fuzzSession{
		t:        t,
		g:        g,
		wire:     &wireLog{kindOf: map[protocol.ID]protocol.MessageType{}, byKind: map[protocol.MessageType][]protocol.ID{}, callOf: map[string]protocol.ID{}, noSuchReg: map[protocol.ID]bool{}, answerBye: flags&2 == 0},
		drained:  make(chan struct{}),
		tokens:   make(chan struct{}, 16),
		answered: map[protocol.ID]string{},
		granted:  map[protocol.ID]bool{},
		nextInv:  1000,
		oracle:   true,
	}
	// From here on the drain goroutine reads the router's side.
	c, j := clienttest.JoinedWith(t, clienttest.Setup{Codec: codec.JSON(), Roles: roles},
		client.WithCloseTimeout(time.Second),
		client.WithErrorHandler(func(error) {}))
	s.c, s.rt = c, j.Raw
	go s.drain()
	for step := 0; step < fuzzMaxSteps && g.more(); step++ {
		s.step()
	}
	s.finish()
}

// drain reads everything the client sends, records it, and answers the
// client's GOODBYE when told to.
func (s *fuzzSession) drain() {
	defer close(s.drained)
	for m := range s.rt.Receive() {
		s.wire.record(m)
		if gb, ok := m.(*protocol.Goodbye); ok && gb.Reason != "wamp.close.goodbye_and_out" {
			s.wire.mu.Lock()
			answer := s.wire.answerBye
			s.wire.mu.Unlock()
			if answer {
				s.rt.Send(context.Background(), &protocol.Goodbye{Reason: "wamp.close.goodbye_and_out", Details: protocol.Dict{}})
			}
		}
	}
}

func (s *fuzzSession) fail(format string, args ...any) {
	s.t.Helper()
	s.t.Errorf("after steps:\n  %s", strings.Join(s.trace, "\n  "))
	// Let every goroutine go, so that the bubble can end; whatever stays
	// blocked is a finding too, and synctest reports it with stacks.
	s.rt.Close()
	for _, op := range s.ops {
		op.cancel()
	}
	for _, fc := range s.calls {
		fc.cancel()
	}
	s.t.Fatalf(format, args...)
}

func (s *fuzzSession) note(format string, args ...any) {
	s.trace = append(s.trace, fmt.Sprintf(format, args...))
}

// finish closes the client and checks that everything ended.
func (s *fuzzSession) finish() {
	s.note("finish")
	ctx, cancel := context.WithTimeout(context.Background(), fuzzBound)
	defer cancel()
	if err := s.c.Close(ctx); err != nil && ctx.Err() != nil {
		s.fail("Close did not return within %v: %v", fuzzBound, err)
	}
	select {
	case <-s.c.Done():
	case <-time.After(fuzzBound):
		s.fail("Done not closed %v after Close", fuzzBound)
	}
	opsDone := make(chan struct{})
	go func() {
		s.running.Wait()
		close(opsDone)
	}()
	select {
	case <-opsDone:
	case <-time.After(fuzzBound):
		s.fail("operations still running %v after the client's end", fuzzBound)
	}
	for _, fc := range s.calls {
		select {
		case <-fc.call.Done():
		default:
			s.fail("call %s never completed", fc.procedure)
		}
		_, err := fc.call.Await(ctx)
		s.wire.mu.Lock()
		id, sent := s.wire.callOf[fc.procedure]
		s.wire.mu.Unlock()
		how := s.answered[id]
		switch {
		case fc.mayFail || !s.oracle:
		case !sent || how == "":
			if !errors.Is(err, client.ErrClosed) {
				s.fail("call %s, never answered: %v, want ErrClosed", fc.procedure, err)
			}
		case how == "result" && err != nil:
			s.fail("call %s answered by RESULT: %v", fc.procedure, err)
		case how == "error":
			var we *client.Error
			if !errors.As(err, &we) {
				s.fail("call %s answered by ERROR: %v, want *client.Error", fc.procedure, err)
			}
		}
	}
	for _, op := range s.ops {
		op.cancel()
	}
	for _, fc := range s.calls {
		fc.cancel()
	}
	s.rt.Close()
	<-s.drained
	s.wire.mu.Lock()
	defer s.wire.mu.Unlock()
	if len(s.wire.afterAbort) > 0 {
		s.fail("the client sent %v after its ABORT", s.wire.afterAbort)
	}
}

func isClosed(c <-chan struct{}) bool {
	select {
	case <-c:
		return true
	default:
		return false
	}
}

// freshID returns a router id never used before in this session.
func (s *fuzzSession) freshID() protocol.ID {
	s.lastID++
	return s.lastID
}
