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
	"github.com/wampgo/wampgo/internal/memconn"
	"github.com/wampgo/wampgo/internal/scripted"
	"github.com/wampgo/wampgo/mailbox"
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

// fuzzGen reads the input: each call takes the next byte, or 0 once the
// input is used up.
type fuzzGen struct {
	data []byte
	pos  int
}

func (g *fuzzGen) more() bool { return g.pos < len(g.data) }

func (g *fuzzGen) byte() byte {
	if g.pos >= len(g.data) {
		return 0
	}
	b := g.data[g.pos]
	g.pos++
	return b
}

func (g *fuzzGen) intn(n int) int { return int(g.byte()) % n }
func (g *fuzzGen) bool() bool     { return g.byte()&1 == 1 }

func (g *fuzzGen) bytes(n int) []byte {
	out := make([]byte, 0, n)
	for range n {
		if !g.more() {
			break
		}
		out = append(out, g.byte())
	}
	return out
}

func (g *fuzzGen) duration() time.Duration {
	return []time.Duration{time.Millisecond, 10 * time.Millisecond, 100 * time.Millisecond,
		time.Second, 10 * time.Second, time.Minute}[g.intn(6)]
}

// The op codes: a byte below opRare picks a common op (modulo
// numCommonOps); a byte from opRare up is a rare, session-changing one.
const (
	opResult = iota
	opError
	opEvent
	opInvocation
	opInterrupt
	opSubscribed
	opRegistered
	opPublished
	opUnsubscribed
	opUnregistered
	opCall
	opCancel
	opSubscribe
	opRegister
	opPublish
	opUnsubscribe
	opUnregister
	opSendInput
	opRelease
	opSleep
	numCommonOps

	opRare         = 248
	opGoodbye      = 248
	opAbort        = 249
	opWelcome      = 250
	opGarbage      = 251
	opMutated      = 252
	opClose        = 253
	opCloseAsync   = 254
	opToggleAnswer = 255
)

// outcome is what the model expects of a message from the router.
type outcome int

const (
	unknownOutcome outcome = iota
	goesOn                 // the session keeps running
	violates               // ABORT protocol_violation
	endsByGoodbye          // *GoodbyeError, after the client's GOODBYE reply
	endsByAbort            // *AbortError
)

// wireLog records what the client sent, as the router received it. The
// drain goroutine writes it; the fuzz loop reads it after synctest.Wait.
type wireLog struct {
	mu         sync.Mutex
	kindOf     map[protocol.ID]protocol.MessageType // request id → type of the request
	byKind     map[protocol.MessageType][]protocol.ID
	callOf     map[string]protocol.ID // procedure → CALL request id
	noSuchReg  map[protocol.ID]bool   // INVOCATIONs answered no_such_registration
	abort      *protocol.Abort        // the client's first ABORT
	afterAbort []string               // what the client sent after it
	goodbye    *protocol.Goodbye      // the client's last GOODBYE
	answerBye  bool                   // answer the client's GOODBYE
}

func (w *wireLog) record(m protocol.Message) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.abort != nil {
		w.afterAbort = append(w.afterAbort, scripted.Describe(m))
	}
	req := func(id protocol.ID, kind protocol.MessageType) {
		if _, seen := w.kindOf[id]; !seen {
			w.kindOf[id] = kind
			w.byKind[kind] = append(w.byKind[kind], id)
		}
	}
	switch m := m.(type) {
	case *protocol.Call:
		req(m.Request, protocol.TypeCall)
		if _, seen := w.callOf[m.Procedure]; !seen {
			w.callOf[m.Procedure] = m.Request
		}
	case *protocol.Subscribe:
		req(m.Request, protocol.TypeSubscribe)
	case *protocol.Unsubscribe:
		req(m.Request, protocol.TypeUnsubscribe)
	case *protocol.Register:
		req(m.Request, protocol.TypeRegister)
	case *protocol.Unregister:
		req(m.Request, protocol.TypeUnregister)
	case *protocol.Publish:
		if ack, _ := m.Options["acknowledge"].(bool); ack {
			req(m.Request, protocol.TypePublish)
		}
	case *protocol.Error:
		if m.RequestType == protocol.TypeInvocation && m.Error == "wamp.error.no_such_registration" {
			w.noSuchReg[m.Request] = true
		}
	case *protocol.Abort:
		if w.abort == nil {
			w.abort = m
		}
	case *protocol.Goodbye:
		w.goodbye = m
	}
}

func (w *wireLog) ids(kind protocol.MessageType) []protocol.ID {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]protocol.ID(nil), w.byKind[kind]...)
}

func (w *wireLog) kind(id protocol.ID) (protocol.MessageType, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	k, ok := w.kindOf[id]
	return k, ok
}

// fuzzCall is a call the input made.
type fuzzCall struct {
	call      *client.Call
	cancel    context.CancelFunc
	procedure string
	mayFail   bool // canceled, or with a Timeout: any outcome is fine
	inputs    bool // ProgressiveInputs
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
	c, r, rt, _ := joinRawWith(t, codec.JSON(), roles,
		client.WithCloseTimeout(time.Second),
		client.WithErrorHandler(func(error) {}))
	_ = r // from here on the drain goroutine reads the router's side
	s.c, s.rt = c, rt
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

func (s *fuzzSession) step() {
	b := s.g.byte()
	if b >= opRare {
		s.rareStep(b)
		return
	}
	switch int(b) % numCommonOps {
	case opResult:
		id, open := s.pickReply(protocol.TypeCall)
		m := &protocol.Result{Request: id, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{int64(s.g.byte())}}}
		progress := s.g.bool()
		if progress {
			m.Details["progress"] = true
		}
		s.sendReply(m, id, open, !progress, "result")
	case opError:
		kinds := []protocol.MessageType{protocol.TypeCall, protocol.TypeSubscribe, protocol.TypeUnsubscribe,
			protocol.TypePublish, protocol.TypeRegister, protocol.TypeUnregister, protocol.TypeInvocation, protocol.TypeCall}
		kind := kinds[s.g.intn(len(kinds))]
		id, open := s.pickReply(kind)
		uris := []string{"wamp.error.canceled", "wamp.error.timeout", "wamp.error.not_authorized", "com.fuzz.error"}
		m := &protocol.Error{RequestType: kind, Request: id, Details: protocol.Dict{}, Error: uris[s.g.intn(len(uris))]}
		s.sendReply(m, id, open, true, "error")
	case opEvent:
		m := &protocol.Event{Subscription: s.pickGranted(s.subIDs), Publication: protocol.ID(1 + s.g.intn(100)),
			Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{int64(s.g.byte())}}}
		s.send(m, goesOn)
	case opInvocation:
		s.invocation()
	case opInterrupt:
		var req protocol.ID
		if len(s.invIDs) > 0 && s.g.bool() {
			req = s.invIDs[s.g.intn(len(s.invIDs))]
		} else {
			req = protocol.ID(1 + s.g.intn(2000))
		}
		opts := protocol.Dict{}
		if mode := []string{"kill", "killnowait", ""}[s.g.intn(3)]; mode != "" {
			opts["mode"] = mode
		}
		s.send(&protocol.Interrupt{Request: req, Options: opts}, goesOn)
	case opSubscribed:
		id, open := s.pickReply(protocol.TypeSubscribe)
		sub := protocol.ID(1 + s.g.intn(8))
		if s.sendReply(&protocol.Subscribed{Request: id, Subscription: sub}, id, open, true, "reply") && open {
			s.subIDs = append(s.subIDs, sub)
		}
	case opRegistered:
		id, open := s.pickReply(protocol.TypeRegister)
		reg := protocol.ID(1 + s.g.intn(8))
		if s.sendReply(&protocol.Registered{Request: id, Registration: reg}, id, open, true, "reply") && open {
			s.regIDs = append(s.regIDs, reg)
			s.granted[reg] = true
		}
	case opPublished:
		id, open := s.pickReply(protocol.TypePublish)
		s.sendReply(&protocol.Published{Request: id, Publication: protocol.ID(1 + s.g.intn(100))}, id, open, true, "reply")
	case opUnsubscribed:
		if s.g.bool() {
			s.send(&protocol.Unsubscribed{Request: 0, Details: protocol.Dict{
				"subscription": int64(s.pickGranted(s.subIDs)), "reason": "wamp.error.revoked"}}, goesOn)
			return
		}
		id, open := s.pickReply(protocol.TypeUnsubscribe)
		s.sendReply(&protocol.Unsubscribed{Request: id}, id, open, true, "reply")
	case opUnregistered:
		if s.g.bool() {
			s.send(&protocol.Unregistered{Request: 0, Details: protocol.Dict{
				"registration": int64(s.pickGranted(s.regIDs)), "reason": "wamp.error.revoked"}}, goesOn)
			return
		}
		id, open := s.pickReply(protocol.TypeUnregister)
		s.sendReply(&protocol.Unregistered{Request: id}, id, open, true, "reply")
	case opCall:
		s.call()
	case opCancel:
		// Cancel a call's context, or the context of another operation
		// (the caller gives up on a Subscribe, a Register, an ack…).
		if n := len(s.calls) + len(s.ops); n > 0 {
			i := s.g.intn(n)
			if i < len(s.calls) {
				fc := s.calls[i]
				s.note("cancel %s", fc.procedure)
				fc.mayFail = true
				fc.cancel()
			} else {
				op := s.ops[i-len(s.calls)]
				s.note("cancel the context of %s", op.name)
				op.cancel()
			}
			s.settle(goesOn)
		}
	case opSubscribe:
		s.subscribe()
	case opRegister:
		s.register()
	case opPublish:
		s.publish()
	case opUnsubscribe:
		s.unsubscribe()
	case opUnregister:
		s.unregister()
	case opSendInput:
		s.sendInput()
	case opRelease:
		n := 1 + s.g.intn(4)
		s.note("release %d", n)
		for range n {
			select {
			case s.tokens <- struct{}{}:
			default:
			}
		}
		s.settle(goesOn)
	case opSleep:
		d := s.g.duration()
		s.note("sleep %v", d)
		time.Sleep(d)
		s.settle(goesOn)
	}
}

func (s *fuzzSession) rareStep(b byte) {
	switch b {
	case opGoodbye:
		s.send(&protocol.Goodbye{Reason: "wamp.close.system_shutdown", Details: protocol.Dict{}}, endsByGoodbye)
	case opAbort:
		s.send(&protocol.Abort{Reason: "wamp.close.killed", Details: protocol.Dict{"message": "fuzz"}}, endsByAbort)
	case opWelcome:
		s.send(&protocol.Welcome{Session: 7, Details: protocol.Dict{"roles": scripted.Roles()}}, violates)
	case opGarbage:
		s.sendRaw(s.g.bytes(s.g.intn(24)))
	case opMutated:
		s.mutated()
	case opClose:
		s.note("Close")
		s.closing = true
		ctx, cancel := context.WithTimeout(context.Background(), fuzzBound)
		defer cancel()
		if err := s.c.Close(ctx); err != nil && ctx.Err() != nil {
			s.fail("Close did not return within %v: %v", fuzzBound, err)
		}
		select {
		case <-s.c.Done():
		default:
			s.fail("Close returned before Done was closed")
		}
		s.settle(unknownOutcome)
	case opCloseAsync:
		s.note("Close (async)")
		s.closing = true
		// goOp fails the input if Close runs out of its bound; the input
		// may cancel its context, which Close then returns.
		s.goOp("Close", func(ctx context.Context) { s.c.Close(ctx) })
		s.settle(unknownOutcome)
	case opToggleAnswer:
		s.wire.mu.Lock()
		s.wire.answerBye = !s.wire.answerBye
		s.note("answer GOODBYE: %v", s.wire.answerBye)
		s.wire.mu.Unlock()
	}
}

// pickReply picks the request id of a reply to a request of the given
// kind: mostly one still open, sometimes one already answered, sometimes
// made up. open reports what the model says of it.
func (s *fuzzSession) pickReply(kind protocol.MessageType) (id protocol.ID, open bool) {
	sent := s.wire.ids(kind)
	var pending []protocol.ID
	for _, id := range sent {
		if s.answered[id] == "" {
			pending = append(pending, id)
		}
	}
	b := s.g.byte()
	switch {
	case b < 192 && len(pending) > 0:
		id = pending[int(b)%len(pending)]
	case b < 224 && len(sent) > 0:
		id = sent[int(b)%len(sent)]
	case b == 255:
		id = protocol.MaxID
	default:
		id = protocol.ID(1 + int(b)%40)
	}
	k, ok := s.wire.kind(id)
	return id, ok && k == kind && s.answered[id] == ""
}

// pickGranted picks a router id: mostly one granted, sometimes made up.
func (s *fuzzSession) pickGranted(ids []protocol.ID) protocol.ID {
	b := s.g.byte()
	if b < 192 && len(ids) > 0 {
		return ids[int(b)%len(ids)]
	}
	return protocol.ID(1 + int(b)%12)
}

// sendReply sends a reply (final or progressive) to request id and
// expects the session to go on if the request was open, else a violation.
// It reports whether the message reached a running session.
func (s *fuzzSession) sendReply(m protocol.Message, id protocol.ID, open, final bool, how string) bool {
	want := violates
	if open {
		want = goesOn
	}
	delivered := s.send(m, want)
	if delivered && open && final {
		s.answered[id] = how
	}
	return delivered
}

// send sends a router message and checks the client's reaction against
// want. It reports whether the message reached a running session.
func (s *fuzzSession) send(m protocol.Message, want outcome) bool {
	s.note("router: %s", scripted.Describe(m))
	running := !s.ended
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := s.rt.Send(ctx, m)
	var ee *codec.EncodeError
	switch {
	case errors.As(err, &ee):
		s.fail("the fuzzer built an invalid message: %v", err)
	case err != nil && running && ctx.Err() != nil:
		// The client stopped reading: the Block policy's backpressure.
		s.oracle = false
	}
	s.settle(want)
	return err == nil && running
}

// sendRaw injects a frame as if read from the wire. A frame that does not
// decode must end the session as a violation; one that does is some valid
// message of unknown effect.
func (s *fuzzSession) sendRaw(frame []byte) {
	s.note("router raw: %q", frame)
	want := violates
	if _, err := codec.JSON().Decode(frame); err == nil {
		want = unknownOutcome
		s.oracle = false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.rt.SendRaw(ctx, frame); err != nil && !s.ended && ctx.Err() != nil {
		s.oracle = false
	}
	s.settle(want)
}

// mutated sends a valid frame with one byte changed, cut or added.
func (s *fuzzSession) mutated() {
	id, _ := s.pickReply(protocol.TypeCall)
	frame, err := codec.JSON().Encode(&protocol.Result{Request: id, Details: protocol.Dict{"progress": true},
		Payload: protocol.Payload{Args: protocol.List{"a", int64(1)}, Kwargs: protocol.Dict{"k": 1.5}}})
	if err != nil {
		s.fail("encode: %v", err)
	}
	at := s.g.intn(len(frame))
	switch v := s.g.byte(); v % 3 {
	case 0:
		frame[at] ^= v | 1
	case 1:
		frame = frame[:at]
	default:
		frame = append(frame[:at], append([]byte{v}, frame[at:]...)...)
	}
	s.sendRaw(frame)
}

func (s *fuzzSession) invocation() {
	b := s.g.byte()
	var req protocol.ID
	fresh := b&1 == 0 || len(s.invIDs) == 0
	if fresh {
		s.nextInv++
		req = s.nextInv
		s.invIDs = append(s.invIDs, req)
	} else {
		req = s.invIDs[s.g.intn(len(s.invIDs))]
	}
	reg := s.pickGranted(s.regIDs)
	d := protocol.Dict{}
	if b&2 != 0 {
		d["receive_progress"] = true
	}
	if b&4 != 0 {
		d["progress"] = true
	}
	if b&8 != 0 {
		d["timeout"] = int64(s.g.duration() / time.Millisecond)
	}
	m := &protocol.Invocation{Request: req, Registration: reg, Details: d,
		Payload: protocol.Payload{Args: protocol.List{int64(s.g.byte())}}}
	// A fresh request id never breaks the protocol, whatever the
	// registration; a reused one may (a second INVOCATION for a running
	// request that takes no input).
	want := unknownOutcome
	if fresh {
		want = goesOn
	}
	if s.send(m, want) && fresh && !s.granted[reg] && s.oracle && !s.ended {
		s.wire.mu.Lock()
		answered := s.wire.noSuchReg[req]
		s.wire.mu.Unlock()
		if !answered {
			s.fail("INVOCATION %d for registration %d, never granted, not answered with no_such_registration", req, reg)
		}
	}
}

// settle lets the client react, then checks the reaction against want.
func (s *fuzzSession) settle(want outcome) {
	s.t.Helper()
	synctest.Wait()
	closedConn := isClosed(s.rt.Done())
	if closedConn && !isClosed(s.c.Done()) {
		s.fail("the client closed its connection but Done is not closed once everything settled")
	}
	if s.ended || s.closing || !s.oracle {
		s.ended = s.ended || closedConn
		return
	}
	err := s.c.Err()
	switch want {
	case goesOn:
		if closedConn {
			s.fail("the session ended (%v) on a step that must not end it", err)
		}
	case violates:
		if !closedConn {
			s.fail("the session goes on after a protocol violation")
		}
		if !errors.Is(err, client.ErrProtocolViolation) {
			s.fail("Err = %v, want a protocol violation", err)
		}
		s.wire.mu.Lock()
		a := s.wire.abort
		s.wire.mu.Unlock()
		if a == nil || a.Reason != "wamp.error.protocol_violation" {
			s.fail("client's ABORT = %+v, want protocol_violation", a)
		}
	case endsByGoodbye:
		var ge *client.GoodbyeError
		if !closedConn || !errors.As(err, &ge) || ge.Reason != "wamp.close.system_shutdown" {
			s.fail("after router GOODBYE: ended %v, Err = %v", closedConn, err)
		}
		s.wire.mu.Lock()
		gb := s.wire.goodbye
		s.wire.mu.Unlock()
		if gb == nil || gb.Reason != "wamp.close.goodbye_and_out" {
			s.fail("client's GOODBYE reply = %+v", gb)
		}
	case endsByAbort:
		var ae *client.AbortError
		if !closedConn || !errors.As(err, &ae) || ae.Reason != "wamp.close.killed" {
			s.fail("after router ABORT: ended %v, Err = %v", closedConn, err)
		}
	}
	s.ended = closedConn
}

// goOp runs an operation on its own goroutine with a bounded context,
// which the input may cancel (opCancel).
func (s *fuzzSession) goOp(name string, op func(ctx context.Context)) {
	ctx, cancel := context.WithTimeout(context.Background(), fuzzOpBound)
	s.ops = append(s.ops, fuzzOp{name: name, cancel: cancel})
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		op(ctx)
		if ctx.Err() == context.DeadlineExceeded {
			s.t.Errorf("%s: still running after %v", name, fuzzOpBound)
		}
	}()
}

// closedAlready reports whether the client had ended when an operation
// started: it must then fail at once with ErrClosed.
func (s *fuzzSession) closedAlready() bool { return isClosed(s.c.Done()) }

func (s *fuzzSession) checkAfterEnd(what string, before bool, err error) {
	if before && !errors.Is(err, client.ErrClosed) {
		s.t.Errorf("%s on an ended session: %v, want ErrClosed", what, err)
	}
}

func (s *fuzzSession) call() {
	b := s.g.byte()
	var opts []client.CallOption
	fc := &fuzzCall{procedure: fmt.Sprintf("p.%d", len(s.calls))}
	if b&1 != 0 {
		opts = append(opts, client.ReceiveProgress())
	}
	if b&2 != 0 {
		opts = append(opts, client.ProgressBuffer(s.g.intn(4)))
	}
	if b&4 != 0 {
		opts = append(opts, client.Timeout(s.g.duration()))
		fc.mayFail = true
	}
	if b&8 != 0 {
		modes := []client.CancelMode{client.CancelSkip, client.CancelKill, client.CancelKillNoWait}
		opts = append(opts, client.WithCancelMode(modes[s.g.intn(len(modes))]))
	}
	if b&16 != 0 {
		opts = append(opts, client.ProgressiveInputs())
		fc.inputs, fc.mayFail = true, true // ErrNotSupported without the feature
	}
	s.note("call %s (options %#x)", fc.procedure, b)
	before := s.closedAlready()
	var ctx context.Context
	ctx, fc.cancel = context.WithCancel(context.Background())
	fc.call = s.c.Call(ctx, fc.procedure, protocol.List{int64(b)}, nil, opts...)
	if before {
		select {
		case <-fc.call.Done():
			// Options are checked first: a call the router cannot serve
			// fails so even on an ended session.
			if _, err := fc.call.Await(ctx); !errors.Is(err, client.ErrNotSupported) {
				s.checkAfterEnd("Call", true, err)
			}
		default:
			s.t.Errorf("Call on an ended session did not complete at once")
		}
	}
	s.calls = append(s.calls, fc)
	if b&32 != 0 {
		s.readResults(fc)
	}
	s.settle(goesOn)
}

// readResults reads a call's Results to the end and checks the sequence:
// progressive results, then the final one, then the channel closed.
func (s *fuzzSession) readResults(fc *fuzzCall) {
	s.goOp("Results of "+fc.procedure, func(ctx context.Context) {
		var last client.Result
		n := 0
		for res := range fc.call.Results() {
			if n > 0 && !last.Progress {
				s.t.Errorf("%s: a result after the final one", fc.procedure)
			}
			last = res
			n++
		}
		if n == 0 || last.Progress {
			s.t.Errorf("%s: Results closed without a final result (%d results)", fc.procedure, n)
			return
		}
		// The final result is stored before Results is closed, so Await
		// returns at once (Done closes just after Results does).
		actx, cancel := context.WithTimeout(context.Background(), fuzzBound)
		defer cancel()
		final, err := fc.call.Await(actx)
		if actx.Err() != nil {
			s.t.Errorf("%s: Await did not return after Results was closed", fc.procedure)
			return
		}
		if fmt.Sprint(err) != fmt.Sprint(last.Err) || fmt.Sprint(final.Args) != fmt.Sprint(last.Args) {
			s.t.Errorf("%s: Await = %v, %v; last of Results = %v, %v", fc.procedure, final.Args, err, last.Args, last.Err)
		}
	})
}

func (s *fuzzSession) sendInput() {
	var with []*fuzzCall
	for _, fc := range s.calls {
		if fc.inputs {
			with = append(with, fc)
		}
	}
	if len(with) == 0 {
		return
	}
	fc := with[s.g.intn(len(with))]
	final := s.g.bool()
	s.note("input to %s (final %v)", fc.procedure, final)
	s.goOp("input", func(ctx context.Context) {
		if final {
			fc.call.FinishInput(ctx, protocol.List{"last"}, nil)
		} else {
			fc.call.SendInput(ctx, protocol.List{"more"}, nil)
		}
	})
	s.settle(goesOn)
}

func (s *fuzzSession) subscribe() {
	b := s.g.byte()
	topic := fmt.Sprintf("t.%d", b%3)
	var opts []client.SubscribeOption
	if b&4 != 0 {
		opts = append(opts, client.OnOverflow(client.Block))
		s.oracle = false // the reader may park: replies may wait
	}
	if b&8 != 0 {
		opts = append(opts, client.MailboxLimits(mailbox.Limits{MaxMessages: 1 + s.g.intn(3)}))
	}
	h := s.eventHandler(int(b>>4) % 4)
	s.note("subscribe %s (options %#x)", topic, b)
	before := s.closedAlready()
	s.goOp("Subscribe", func(ctx context.Context) {
		sub, err := s.c.Subscribe(ctx, topic, h, opts...)
		s.checkAfterEnd("Subscribe", before, err)
		if err == nil {
			s.mu.Lock()
			s.subs = append(s.subs, sub)
			s.mu.Unlock()
		}
	})
	s.settle(goesOn)
}

func (s *fuzzSession) eventHandler(kind int) client.EventHandler {
	switch kind {
	case 0:
		return func(context.Context, *client.Event) { s.events.Add(1) }
	case 1:
		return func(ctx context.Context, _ *client.Event) {
			select {
			case <-s.tokens:
			case <-ctx.Done():
			}
		}
	case 2:
		return func(context.Context, *client.Event) { panic("fuzz: event handler panic") }
	default:
		return func(ctx context.Context, ev *client.Event) {
			s.c.Publish(ctx, "t.echo", ev.Args, nil)
		}
	}
}

func (s *fuzzSession) register() {
	b := s.g.byte()
	proc := fmt.Sprintf("r.%d", b%3)
	opts := []client.RegisterOption{client.Concurrency(1 + int(b>>2)%3)}
	if b&16 != 0 {
		opts = append(opts, client.MailboxLimits(mailbox.Limits{MaxMessages: 1 + s.g.intn(2)}))
	}
	s.note("register %s (options %#x)", proc, b)
	before := s.closedAlready()
	s.goOp("Register", func(ctx context.Context) {
		reg, err := s.c.Register(ctx, proc, s.invoke, opts...)
		s.checkAfterEnd("Register", before, err)
		if err == nil {
			s.mu.Lock()
			s.regs = append(s.regs, reg)
			s.mu.Unlock()
		}
	})
	s.settle(goesOn)
}

// invoke is every registration's handler; the INVOCATION's first argument
// picks what it does.
func (s *fuzzSession) invoke(ctx context.Context, inv *client.Invocation) (client.Result, error) {
	var k int64
	if len(inv.Args) > 0 {
		k, _ = inv.Args[0].(int64)
	}
	switch k % 8 {
	case 0:
		return client.Result{Args: inv.Args}, nil
	case 1:
		return client.Result{}, client.NewError("com.fuzz.failed", protocol.List{k}, protocol.Dict{"k": k})
	case 2:
		return client.Result{}, errors.New("fuzz: plain failure")
	case 3:
		panic("fuzz: invocation handler panic")
	case 4:
		for i := range 3 {
			if inv.SendProgress(ctx, protocol.List{int64(i)}, nil) != nil {
				break
			}
		}
		return client.Result{Args: protocol.List{"done"}}, nil
	case 5:
		select {
		case <-s.tokens:
			return client.Result{}, nil
		case <-ctx.Done():
			return client.Result{}, ctx.Err()
		}
	case 6:
		// Read streamed inputs, without trusting the channel to close
		// when the session ends (TestHostileBUGSessionEndLeavesInputsOpen).
		n := int64(0)
		for {
			select {
			case in, ok := <-inv.Inputs():
				if !ok || in.Final {
					return client.Result{Args: protocol.List{n}}, nil
				}
				n++
			case <-ctx.Done():
				return client.Result{}, ctx.Err()
			}
		}
	default:
		res, err := s.c.Call(ctx, "nested", inv.Args, nil).Await(ctx)
		return client.Result{Args: res.Args}, err
	}
}

func (s *fuzzSession) publish() {
	b := s.g.byte()
	var opts []client.PublishOption
	if b&1 != 0 {
		opts = append(opts, client.Acknowledge())
	}
	s.note("publish (options %#x)", b)
	before := s.closedAlready()
	s.goOp("Publish", func(ctx context.Context) {
		_, err := s.c.Publish(ctx, "t.pub", protocol.List{int64(b)}, nil, opts...)
		s.checkAfterEnd("Publish", before, err)
	})
	s.settle(goesOn)
}

func (s *fuzzSession) unsubscribe() {
	b := s.g.byte()
	s.mu.Lock()
	subs := append([]*client.Subscription(nil), s.subs...)
	s.mu.Unlock()
	s.note("unsubscribe (%#x)", b)
	s.goOp("Unsubscribe", func(ctx context.Context) {
		if b&1 != 0 && len(subs) > 0 {
			subs[int(b>>1)%len(subs)].Unsubscribe(ctx)
			return
		}
		s.c.Unsubscribe(ctx, fmt.Sprintf("t.%d", b%3))
	})
	s.settle(goesOn)
}

func (s *fuzzSession) unregister() {
	b := s.g.byte()
	s.mu.Lock()
	regs := append([]*client.Registration(nil), s.regs...)
	s.mu.Unlock()
	s.note("unregister (%#x)", b)
	s.goOp("Unregister", func(ctx context.Context) {
		if b&1 != 0 && len(regs) > 0 {
			regs[int(b>>1)%len(regs)].Unregister(ctx)
			return
		}
		s.c.Unregister(ctx, fmt.Sprintf("r.%d", b%3))
	})
	s.settle(goesOn)
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
