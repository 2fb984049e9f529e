package client_test

import (
	"context"
	"time"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

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
		// A fresh id: one that stood for another topic, or a registration
		// id granted twice, is a violation the regression tests cover.
		sub := s.freshID()
		if s.sendReply(&protocol.Subscribed{Request: id, Subscription: sub}, id, open, true, "reply") && open {
			s.subIDs = append(s.subIDs, sub)
		}
	case opRegistered:
		id, open := s.pickReply(protocol.TypeRegister)
		reg := s.freshID()
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
