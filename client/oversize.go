package client

import (
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
)

// URIPayloadSizeExceeded is the ERROR URI (Crossbar's) with which the
// client answers an INVOCATION over its read limit, so that the caller
// learns at once that its call was too large for the callee.
const URIPayloadSizeExceeded = "wamp.error.payload_size_exceeded"

func tooLargeError(m *protocol.TooLarge) *MessageTooLargeError {
	return &MessageTooLargeError{Type: m.Of, Request: m.Request, Subscription: m.Subscription,
		Publication: m.Publication, Size: m.Size, Limit: m.Limit, Decoded: m.Decoded}
}

// tooLargeSessionError is the session's end reason for a session-level
// message over the read limit (or one whose operation cannot be told).
func tooLargeSessionError(m *protocol.TooLarge) error {
	return fmt.Errorf("%w: %w", tooLargeError(m), protocol.ErrProtocolViolation)
}

// sendLimitReason words the refusal of a message over the router's
// announced maximum length (RawSocket) for an *ArgumentError: the message
// encodes fine, the router would not take it.
func sendLimitReason(err error) (string, bool) {
	var le *rawsocket.SendLimitError
	if !errors.As(err, &le) {
		return "", false
	}
	return fmt.Sprintf("%s of %d bytes is over the router's limit of %d bytes (its RawSocket maximum message length); not sent",
		le.What(), le.Size, le.Limit), true
}

// handleTooLarge handles a message the transport discarded for being over
// the read limit: it fails the operation the message belongs to, and
// returns an error (ending the session) only for a message that belongs to
// none. It runs on the loop.
//
//   - INVOCATION: answered with ERROR wamp.error.payload_size_exceeded; a
//     progressive input chunk ends its running invocation so.
//   - RESULT, ERROR: the call (or other request) fails with a
//     *MessageTooLargeError.
//   - EVENT: dropped, counted in Stats.EventsDropped once per local
//     subscription, and reported to the error handler.
//   - anything else: the session ends.
func (s *loopState) handleTooLarge(m *protocol.TooLarge) error {
	e := tooLargeError(m)
	switch m.Of {
	case protocol.TypeInvocation:
		if m.Request == 0 {
			break
		}
		s.refuseTooLargeInvocation(m, e)
		return nil
	case protocol.TypeResult:
		if m.Request == 0 {
			break
		}
		return s.failTooLargeReply(protocol.TypeCall, m, e)
	case protocol.TypeError:
		if m.Request == 0 || m.RequestType == 0 {
			break
		}
		return s.failTooLargeReply(m.RequestType, m, e)
	case protocol.TypeEvent:
		if m.Subscription == 0 {
			break
		}
		s.dropTooLargeEvent(m, e)
		return nil
	}
	return tooLargeSessionError(m)
}

// refuseTooLargeInvocation answers an INVOCATION over the read limit with
// ERROR wamp.error.payload_size_exceeded.
func (s *loopState) refuseTooLargeInvocation(m *protocol.TooLarge, e *MessageTooLargeError) {
	if reg := s.regs[m.Registration]; reg != nil {
		e.Procedure = reg.procedure
	}
	refusal := NewError(URIPayloadSizeExceeded, protocol.List{fmt.Sprintf(
		"INVOCATION of %d bytes is over the callee's read limit of %d bytes", m.Size, m.Limit)}, nil)
	s.c.cfg.logger.Warn("wampgo: invocation over the read limit refused", "procedure", e.Procedure,
		"request", m.Request, "size", m.Size, "limit", m.Limit)
	if inv, ok := s.invocations[m.Request]; ok {
		// A progressive input chunk of a running invocation: it cannot
		// go on without it.
		s.finishInvocation(inv, refusal)
		return
	}
	err := s.write(&protocol.Error{RequestType: protocol.TypeInvocation, Request: m.Request, Details: protocol.Dict{},
		Error: refusal.URI, Payload: protocol.Payload{Args: refusal.Args}})
	if err != nil {
		s.c.cfg.logger.Debug("wampgo: sending ERROR payload_size_exceeded failed", "err", err)
	}
}

// failTooLargeReply fails the request of type kind that a RESULT or ERROR
// over the read limit answered. Like any reply, it must answer a request
// in flight.
func (s *loopState) failTooLargeReply(kind protocol.MessageType, m *protocol.TooLarge, e *MessageTooLargeError) error {
	if kind == protocol.TypeCall {
		call, ok := s.calls[m.Request]
		if !ok {
			return violation(m.Of, "Request", fmt.Sprintf("%d answers no pending CALL", m.Request))
		}
		e.Procedure = call.procedure
		s.c.cfg.logger.Warn("wampgo: call answer over the read limit", "procedure", call.procedure,
			"request", m.Request, "type", m.Of, "size", m.Size, "limit", m.Limit)
		if m.Of == protocol.TypeResult && call.cfg.receiveProgress {
			// Maybe a progressive result, with more to come: cancel the
			// call, and keep its entry so that the rest is discarded (a
			// final RESULT or the ERROR of the cancel removes it; if this
			// one was final, it stays until the session ends).
			if !call.completed && s.sess.HasFeature("dealer", "call_canceling") {
				s.write(&protocol.Cancel{Request: call.req, Options: protocol.Dict{"mode": string(CancelKillNoWait)}})
			}
		} else {
			delete(s.calls, m.Request)
		}
		s.completeCall(call, Result{Err: e})
		return nil
	}
	p, ok := s.pending[m.Request]
	if !ok || p.kind != kind {
		return violation(m.Of, "Request", fmt.Sprintf("%d answers no pending %s", m.Request, kind))
	}
	delete(s.pending, m.Request)
	p.onReply(nil, e)
	return nil
}

// dropTooLargeEvent drops an EVENT over the read limit as a full mailbox
// drops one: counted per local subscription and reported.
func (s *loopState) dropTooLargeEvent(m *protocol.TooLarge, e *MessageTooLargeError) {
	entry := s.subs[m.Subscription]
	if entry == nil {
		s.c.cfg.logger.Debug("wampgo: event over the read limit for unknown subscription", "subscription", m.Subscription)
		return
	}
	e.Topic = entry.topic
	s.c.stats().eventsReceived.Add(1)
	for _, sub := range entry.subs {
		if !sub.removed {
			sub.dropped.Add(1)
			s.c.stats().dropped()
		}
	}
	s.c.cfg.logger.Warn("wampgo: event over the read limit dropped", "topic", entry.topic,
		"subscription", m.Subscription, "publication", m.Publication, "size", m.Size, "limit", m.Limit)
	s.c.reportError(e)
}
