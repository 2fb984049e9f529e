package client_test

import (
	"context"
	"errors"
	"sync"
	"testing/synctest"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
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
