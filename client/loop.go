package client

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/wampgo/wampgo/actor"
	"github.com/wampgo/wampgo/protocol"
)

// abortSendTimeout bounds the best-effort ABORT and GOODBYE replies.
const abortSendTimeout = 2 * time.Second

// loopState is the session's state. Every field is owned by the session
// loop goroutine (run); nothing else reads or writes it, so no lock guards
// it.
type loopState struct {
	c   *Client
	ctx context.Context // cancelled when the loop is asked to stop or ends

	t        protocol.Transport // the current connection; nil while reconnecting
	sess     Session            // the current session
	joinedAt time.Time          // when sess was joined
	closing  bool               // GOODBYE sent; waiting for the router's
	end      bool               // the loop must return endErr
	endErr   error

	// Reconnection (see reconnect_loop.go).
	attempts  int           // consecutive failed attempts so far
	rejoinc   chan rejoin   // written by the reconnector (room for one)
	rejoinEnd chan struct{} // closed when the reconnector has exited
	stopRetry context.CancelFunc
	deferred  []command       // commands held until the session is back
	localSubs []*Subscription // every live subscription, for restore
	localRegs []*Registration // every live registration, for restore

	calls       map[protocol.ID]*Call           // by CALL request id
	pending     map[protocol.ID]*pendingRequest // other requests awaiting a reply
	invocations map[protocol.ID]*Invocation     // by INVOCATION request id

	subs     map[protocol.ID]*subEntry // by router subscription id
	subTopic map[protocol.URI][]protocol.ID
	regs     map[protocol.ID]*Registration // by router registration id
	regProc  map[protocol.URI][]protocol.ID

	parked *parkedEvent // an event waiting for mailbox room (Block policy)

	// fatal is a protocol violation found inside a reply callback; the
	// message being handled then ends the session.
	fatal error

	// spareID is a request id taken for a message that was never sent (it
	// could not be encoded); the next request reuses it, so the router sees
	// ids increase by exactly one, as the spec requires.
	spareID protocol.ID
}

// nextID returns the request id for the next request.
func (s *loopState) nextID() protocol.ID {
	if id := s.spareID; id != 0 {
		s.spareID = 0
		return id
	}
	return s.c.cfg.ids.Next()
}

// unsent gives back the id of a request whose message was refused before
// it reached the connection.
func (s *loopState) unsent(id protocol.ID, err error) {
	if callerFault(err) {
		s.spareID = id
	}
}

// pendingRequest is a request other than CALL awaiting the router's reply.
// onReply runs on the loop with the reply (the expected message or an
// ERROR), or with nil when the session ends first.
type pendingRequest struct {
	kind    protocol.MessageType
	onReply func(msg protocol.Message, err error)
}

func newLoopState(c *Client, t protocol.Transport) *loopState {
	return &loopState{
		c:           c,
		t:           t,
		sess:        c.Session(),
		joinedAt:    time.Now(),
		calls:       map[protocol.ID]*Call{},
		pending:     map[protocol.ID]*pendingRequest{},
		invocations: map[protocol.ID]*Invocation{},
		subs:        map[protocol.ID]*subEntry{},
		subTopic:    map[protocol.URI][]protocol.ID{},
		regs:        map[protocol.ID]*Registration{},
		regProc:     map[protocol.URI][]protocol.ID{},
	}
}

// run is the session loop. It returns the session's end reason: nil after
// a completed GOODBYE handshake or a Stop.
func (s *loopState) run(in actor.Inbox[command]) (reason error) {
	ctx, cancel := context.WithCancel(context.Background())
	s.ctx = ctx
	go func() {
		select {
		case <-in.Stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	// Shutdown, in order: fail everything pending with the end reason,
	// close every mailbox (handlers see their contexts end via Client.base
	// once reap runs), then release the stop watcher.
	defer cancel()
	defer func() { s.shutdown(reason) }()
	if s.t == nil {
		s.disconnect(s.c.cfg.connectErr) // RetryOnFailedConnect: connect in the background
	}

	for !s.end {
		var recv <-chan protocol.Message
		var space <-chan struct{}
		switch {
		case s.parked != nil:
			// Stop reading: the Block policy's backpressure.
			space = s.parked.sub.mb.Space()
		case s.t != nil:
			recv = s.t.Receive()
		}
		select {
		case cmd := <-in.Commands:
			s.handleCommand(cmd)
		case msg, ok := <-recv:
			if !ok {
				s.connectionEnded()
				continue
			}
			s.c.stats().received(msg)
			if done, err := s.handleMessage(msg); done {
				s.sessionEnded(err)
			}
		case <-space:
			s.resumeParked()
		case r := <-s.rejoinc:
			s.handleRejoin(r)
		case <-in.Stop:
			return nil
		}
	}
	return s.endErr
}

// connectionEnded handles the transport's end (Receive closed).
func (s *loopState) connectionEnded() {
	err := s.t.Err()
	if errors.Is(err, protocol.ErrProtocolViolation) {
		// The router sent something undecodable; the connection can still
		// carry our ABORT.
		s.sendBestEffort(&protocol.Abort{Reason: uriProtocolViolation, Details: protocol.Dict{"message": err.Error()}})
		s.sessionEnded(err)
		return
	}
	if err == nil {
		err = protocol.ErrTransportClosed
	}
	s.sessionEnded(fmt.Errorf("wampgo: connection lost: %w", err))
}

// sessionEnded ends the loop with reason, or, for a reconnecting client
// whose session ended for a reason retrying may fix, starts reconnecting.
func (s *loopState) sessionEnded(reason error) {
	if s.closing {
		// We were closing anyway: a connection that dies before the
		// router's GOODBYE still ends the session as asked.
		s.stop(nil)
		return
	}
	if s.c.cfg.reconnect == nil || reason == nil || permanent(reason) {
		s.stop(reason)
		return
	}
	s.disconnect(reason)
}

// stop makes the loop return reason.
func (s *loopState) stop(reason error) {
	s.end, s.endErr = true, reason
}

// write sends msg to the router. A failure means the transport is ending;
// the loop learns that from Receive closing.
func (s *loopState) write(msg protocol.Message) error {
	if s.t == nil {
		return ErrSessionLost
	}
	err := s.t.Send(s.ctx, msg)
	if err == nil {
		s.c.stats().sent(msg)
	}
	return err
}

func (s *loopState) handleCommand(cmd command) {
	if s.t == nil && needsSession(cmd) {
		if s.c.cfg.reconnect.WhileDisconnected == FailFast {
			s.failCommand(cmd, sessionLost(errors.New("reconnecting")))
			return
		}
		s.deferred = append(s.deferred, cmd)
		if c, ok := cmd.(*cmdCall); ok {
			s.watchCall(c)
		}
		return
	}
	s.dispatch(cmd)
}

// dispatch runs a command's handler.
func (s *loopState) dispatch(cmd command) {
	switch c := cmd.(type) {
	case *cmdCall:
		s.handleCall(c)
	case *cmdCallInput:
		s.handleCallInput(c)
	case *cmdCancelCall:
		s.handleCancelCall(c)
	case *cmdPublish:
		s.handlePublish(c)
	case *cmdSubscribe:
		s.handleSubscribe(c)
	case *cmdUnsubscribe:
		s.handleUnsubscribe(c)
	case *cmdRegister:
		s.handleRegister(c)
	case *cmdUnregister:
		s.handleUnregister(c)
	case *cmdYield:
		s.handleYield(c)
	case *cmdGoodbye:
		s.handleGoodbye(c)
	case *cmdDrain:
		s.handleDrain(c)
	default:
		s.c.cfg.logger.Error("wampgo: unknown command", "type", fmt.Sprintf("%T", cmd))
	}
}

// handleMessage dispatches one message from the router. It returns done
// when the session must end, with the reason.
func (s *loopState) handleMessage(msg protocol.Message) (done bool, reason error) {
	var err error
	switch m := msg.(type) {
	case *protocol.Result:
		err = s.handleResult(m)
	case *protocol.Error:
		err = s.handleError(m)
	case *protocol.Event:
		s.handleEvent(m)
	case *protocol.Invocation:
		err = s.handleInvocation(m)
	case *protocol.Interrupt:
		s.handleInterrupt(m)
	case *protocol.Published, *protocol.Subscribed, *protocol.Unsubscribed,
		*protocol.Registered, *protocol.Unregistered:
		err = s.handleReply(msg)
	case *protocol.Goodbye:
		if s.closing {
			return true, nil
		}
		s.sendBestEffort(&protocol.Goodbye{Reason: uriGoodbyeAndOut, Details: protocol.Dict{}})
		return true, &GoodbyeError{Reason: m.Reason, Details: m.Details}
	case *protocol.Abort:
		return true, &AbortError{Reason: m.Reason, Details: m.Details, Args: m.Args, Kwargs: m.Kwargs}
	default:
		err = violation(msg.Type(), "", "not expected by a joined client")
	}
	if err == nil && s.fatal != nil {
		err, s.fatal = s.fatal, nil
	}
	if err != nil {
		s.sendBestEffort(&protocol.Abort{Reason: uriProtocolViolation, Details: protocol.Dict{"message": err.Error()}})
		return true, err
	}
	return false, nil
}

// handleReply routes PUBLISHED, SUBSCRIBED, UNSUBSCRIBED, REGISTERED and
// UNREGISTERED to the request they answer.
func (s *loopState) handleReply(msg protocol.Message) error {
	var req protocol.ID
	var kind protocol.MessageType
	switch m := msg.(type) {
	case *protocol.Published:
		req, kind = m.Request, protocol.TypePublish
	case *protocol.Subscribed:
		req, kind = m.Request, protocol.TypeSubscribe
	case *protocol.Unsubscribed:
		if m.Request == 0 {
			s.handleSubscriptionRevoked(m)
			return nil
		}
		req, kind = m.Request, protocol.TypeUnsubscribe
	case *protocol.Registered:
		req, kind = m.Request, protocol.TypeRegister
	case *protocol.Unregistered:
		if m.Request == 0 {
			s.handleRegistrationRevoked(m)
			return nil
		}
		req, kind = m.Request, protocol.TypeUnregister
	}
	p, ok := s.pending[req]
	if !ok || p.kind != kind {
		return violation(msg.Type(), "Request", fmt.Sprintf("%d answers no pending %s", req, kind))
	}
	delete(s.pending, req)
	p.onReply(msg, nil)
	return nil
}

// handleError routes an ERROR to the request it answers.
func (s *loopState) handleError(m *protocol.Error) error {
	if m.RequestType == protocol.TypeCall {
		return s.handleCallError(m)
	}
	p, ok := s.pending[m.Request]
	if !ok || p.kind != m.RequestType {
		return violation(protocol.TypeError, "Request", fmt.Sprintf("%d answers no pending %s", m.Request, m.RequestType))
	}
	delete(s.pending, m.Request)
	p.onReply(nil, errorFromMessage(m))
	return nil
}

// request sends msg and records how its reply is handled. A send failure is
// reported to onReply at once.
func (s *loopState) request(req protocol.ID, msg protocol.Message, onReply func(protocol.Message, error)) {
	if s.closing {
		onReply(nil, closedError(errors.New("session is closing")))
		return
	}
	s.pending[req] = &pendingRequest{kind: msg.Type(), onReply: onReply}
	if err := s.write(msg); err != nil {
		delete(s.pending, req)
		s.unsent(req, err)
		onReply(nil, s.sendError(err))
	}
}

func (s *loopState) handleGoodbye(c *cmdGoodbye) {
	if s.closing {
		return
	}
	if s.t == nil {
		s.stop(nil) // reconnecting: there is no session to close
		return
	}
	s.closing = true
	if err := s.write(c.msg); err != nil {
		s.c.cfg.logger.Debug("wampgo: sending GOODBYE failed", "err", err)
	}
}

// sendBestEffort sends a closing message without letting a stuck transport
// hold the loop for long.
func (s *loopState) sendBestEffort(msg protocol.Message) {
	if s.t == nil {
		return
	}
	ctx, cancel := context.WithTimeout(s.ctx, abortSendTimeout)
	defer cancel()
	s.t.Send(ctx, msg)
}

// shutdown fails everything pending with the end reason and closes every
// mailbox. It runs on the loop as it returns.
func (s *loopState) shutdown(reason error) {
	err := closedError(reason)
	s.stopReconnector()
	for _, cmd := range s.deferred {
		s.failCommand(cmd, err)
	}
	s.deferred = nil
	s.failInFlight(err)
	for id, e := range s.subs {
		delete(s.subs, id)
		for _, sub := range e.subs {
			sub.end(err)
		}
	}
	for id, r := range s.regs {
		delete(s.regs, id)
		r.end(err)
	}
	for _, sub := range s.localSubs {
		sub.end(err)
	}
	for _, r := range s.localRegs {
		r.end(err)
	}
	s.localSubs, s.localRegs = nil, nil
	s.parked = nil
	if s.t != nil {
		s.t.Close()
		s.t = nil
	}
}

// fail records a protocol violation found while handling a router
// message; handleMessage ends the session with it.
func (s *loopState) fail(err error) {
	if s.fatal == nil {
		s.fatal = err
	}
}

// failInFlight fails every call and request awaiting the router with err,
// and ends every running invocation's context with it.
func (s *loopState) failInFlight(err error) {
	for id, call := range s.calls {
		delete(s.calls, id)
		s.completeCall(call, Result{Err: err})
	}
	for id, p := range s.pending {
		delete(s.pending, id)
		p.onReply(nil, err)
	}
	for _, inv := range s.invocations {
		s.endInvocation(inv, err)
	}
}

// violation returns the error for a router message that breaks the
// protocol.
func violation(t protocol.MessageType, field, reason string) error {
	return &protocol.ValidationError{Type: t, Field: field, Reason: reason}
}
