package client

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/wampgo/wampgo/actor"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// abortSendTimeout bounds how long the end of a session waits for the
// writer to hand its last messages (ABORT, GOODBYE) to the transport before
// the transport is closed.
const abortSendTimeout = 2 * time.Second

// loopState is the session's state. Every field is owned by the session
// loop goroutine (run); nothing else reads or writes it, so no lock guards
// it.
type loopState struct {
	c      *Client
	ctx    context.Context    // the reconnector's and restores' parent; cancelled when the loop ends
	cancel context.CancelFunc // cancels ctx; nil when ctx is Background (no reconnection)

	t        protocol.Transport // the current connection; nil while reconnecting
	out      *outbound          // t's writer; nil while reconnecting
	sess     *Session           // the current session: c.conn's (its connInfo's, never changed)
	joinedAt time.Time          // when sess was joined
	closing  bool               // GOODBYE sent; waiting for the router's
	end      bool               // the loop must return endErr
	endErr   error
	lastID   protocol.ID // the last session-scope request id used in this session

	// Reconnection (see reconnect_loop.go).
	attempts  int           // consecutive failed attempts so far
	rejoinc   chan *rejoin  // written by the reconnector (room for one)
	rejoinEnd chan struct{} // closed when the reconnector has exited
	rejoined  *rejoin       // taken from rejoinc by wait, for handle
	stopRetry context.CancelFunc
	deferred  []command       // commands held until the session is back
	localSubs []*Subscription // every live subscription, for restore
	localRegs []*Registration // every live registration, for restore
	restoring restoreSet      // restores not done yet in this session (restore.go)

	// The maps are nil until the loop's first work (makeMaps).
	calls       map[protocol.ID]*Call           // by CALL request id
	watches     map[context.Context]*ctxWatch   // the contexts of pending calls (call_watch.go)
	spareWatch  *ctxWatch                       // a stopped watch, for reuse
	tombs       tombstones                      // calls completed before their answer (call_tombstone.go)
	pending     map[protocol.ID]*pendingRequest // other requests awaiting a reply
	invocations map[protocol.ID]*Invocation     // by INVOCATION request id

	subs     map[protocol.ID]*subEntry // by router subscription id
	subTopic map[protocol.URI][]protocol.ID
	regs     map[protocol.ID]*Registration // by router registration id
	regProc  map[protocol.URI][]protocol.ID

	waitingCalls map[*Call]bool // WaitForCallee calls between attempts (wait_for_callee.go)

	parked       *parkedEvent  // an event waiting for mailbox room (Block policy)
	parkedResult *parkedResult // a progressive result waiting for room (Block policy)
	parkedInput  *parkedInput  // a stream's input chunk waiting for its handler (stream_loop.go)

	// fatal is a protocol violation found inside a reply callback; the
	// message being handled then ends the session.
	fatal error
}

// nextID returns the request id for the next request: the spec's
// session-scope ids, 1, 2, 3, … wrapping to 1 after 2^53.
func (s *loopState) nextID() protocol.ID {
	s.lastID++
	if s.lastID > protocol.MaxID {
		s.lastID = 1
	}
	return s.lastID
}

// pendingRequest is a request other than CALL awaiting the router's reply.
// onReply runs on the loop with the reply (the expected message or an
// ERROR), or with nil when the session ends first.
type pendingRequest struct {
	kind    protocol.MessageType
	onReply func(msg protocol.Message, err error)
}

func newLoopState(c *Client, t protocol.Transport) *loopState {
	s := &loopState{c: c, sess: &c.conn.Load().session, joinedAt: time.Now()}
	s.attach(t)
	return s
}

// makeMaps makes the loop's maps, on its first work: an idle session holds
// none. Before, they are nil, which reads as empty.
func (s *loopState) makeMaps() {
	s.calls = map[protocol.ID]*Call{}
	s.pending = map[protocol.ID]*pendingRequest{}
	s.invocations = map[protocol.ID]*Invocation{}
	s.subs = map[protocol.ID]*subEntry{}
	s.subTopic = map[protocol.URI][]protocol.ID{}
	s.regs = map[protocol.ID]*Registration{}
	s.regProc = map[protocol.URI][]protocol.ID{}
}

// attach makes t the session's connection and starts its writer. A nil t
// (RetryOnFailedConnect: no connection yet) leaves the session without one.
func (s *loopState) attach(t protocol.Transport) {
	if t == nil {
		return
	}
	s.t = t
	s.out = newOutbound(s.c, t, s.c.conn.Load().codec, s.c.cfg.outboundBytes)
	s.lastID = 0 // session-scope request ids begin at 1 in every session
	s.tombs = tombstones{}
}

// detach gives up the connection: its writer and the transport are shut
// down off the loop (closing a transport may wait for a close handshake),
// flushing what is queued first when flush is set, as for the ABORT or
// GOODBYE that ends a session.
func (s *loopState) detach(flush bool) {
	if s.t == nil {
		return
	}
	t, out := s.t, s.out
	s.t, s.out = nil, nil
	s.c.closers.Add(1)
	go closeConnection(&s.c.closers, t, out, flush)
}

// closeConnection is the goroutine that shuts down a connection the loop
// gave up: it lets the writer write what is queued when flush is set
// (within abortSendTimeout), closes the transport, which cuts short a
// write in progress, and waits for the writer's exit.
func closeConnection(closers *sync.WaitGroup, t protocol.Transport, out *outbound, flush bool) {
	defer closers.Done()
	if flush {
		timer := time.NewTimer(abortSendTimeout)
		select {
		case <-out.close():
		case <-timer.C:
		}
		timer.Stop()
	}
	t.Close()
	<-out.stop()
}

// run is the session loop. It returns the session's end reason: nil after
// a completed GOODBYE handshake or a Stop.
//
// Its goroutine spends most of its life parked in wait, so the frames
// under wait are kept small (the handlers run in calls that return before
// the next wait): the garbage collector shrinks the stack of a goroutine
// parked in shallow frames, and an idle session keeps a small one.
func (s *loopState) run(in actor.Inbox[command]) (reason error) {
	// Shutdown, in order: fail everything pending with the end reason,
	// close every mailbox (handlers see their contexts end via Client.base
	// once reap runs), hand the connection to a closer, then cancel the
	// loop's context. Commands still queued are answered by the actor's
	// orphan function.
	defer func() { s.shutdown(reason) }()
	s.ctx = context.Background()
	if s.c.cfg.reconnect != nil {
		s.ctx, s.cancel = context.WithCancel(s.ctx)
	}
	if s.t == nil {
		s.disconnect(s.c.cfg.connectErr) // RetryOnFailedConnect: connect in the background
	}
	for !s.end {
		if s.handle(s.wait(in)) {
			return nil
		}
	}
	return s.endErr
}

// wakeKind says what woke the loop (see wait).
type wakeKind uint8

const (
	wakeCommand  wakeKind = iota // a command from Send or the control channel
	wakeMessage                  // a message from the router
	wakeConnGone                 // the transport's Receive is closed
	wakeResume                   // room for what is parked
	wakeRejoin                   // the reconnector's result
	wakeStop                     // the actor is asked to stop
)

// wait flushes the writer when the loop has nothing more to do at once,
// then waits for the next thing to handle: what woke the loop, with the
// command or message that came with it (a rejoin is left in s.rejoined).
// Urgent commands (cancels, the writer's reports) come first; the others
// only while the writer is not behind (then the loop takes no new work,
// and keeps handling the router's messages and the urgent commands).
// Between queued commands and the router's messages, both ready, it
// chooses at random, as a select does. The goroutine parks on at most
// four channels: the actor's wake-up, the router's messages, or instead
// the room a parked delivery waits for, and the reconnector's result.
func (s *loopState) wait(in actor.Inbox[command]) (kind wakeKind, cmd command, msg protocol.Message) {
	for {
		if in.Stopping() {
			return wakeStop, nil, nil
		}
		if cmd, ok := in.NextUrgent(); ok {
			return wakeCommand, cmd, nil
		}
		queued := 0
		if s.out == nil || !s.out.full() {
			queued = in.Len()
		}
		if s.out != nil && (queued == 0 || s.out.full()) {
			s.out.flush()
		}
		recv, resume := s.sources()
		wake := in.Wake
		if queued > 0 {
			if recv == nil && resume == nil && s.rejoinc == nil {
				cmd, _ = in.Next()
				return wakeCommand, cmd, nil
			}
			wake = readyChan // a command is ready: take it or what else is
		}
		select {
		case <-wake:
			if queued > 0 {
				cmd, _ = in.Next()
				return wakeCommand, cmd, nil
			}
		case m, ok := <-recv:
			if !ok {
				return wakeConnGone, nil, nil
			}
			return wakeMessage, nil, m
		case <-resume:
			return wakeResume, nil, nil
		case r := <-s.rejoinc:
			s.rejoined = r
			return wakeRejoin, nil, nil
		}
	}
}

// readyChan is always ready to receive from.
var readyChan = func() chan struct{} { c := make(chan struct{}); close(c); return c }()

// sources returns the channels wait takes from besides the actor's: the
// router's messages, unless something is parked for room (the Block
// policy's backpressure: the loop stops reading), or else the room it
// waits for.
func (s *loopState) sources() (recv <-chan protocol.Message, resume <-chan struct{}) {
	switch {
	case s.parked != nil:
		resume = s.parked.sub.mb.Space()
	case s.parkedResult != nil:
		resume = s.parkedResult.call.pq.space
	case s.parkedInput != nil:
		resume = s.parkedInput.inv.taken
	case s.t != nil:
		recv = s.t.Receive()
	}
	return recv, resume
}

// handle handles what woke the loop (see wait). It reports whether the
// loop must return at once (Stop).
func (s *loopState) handle(kind wakeKind, cmd command, msg protocol.Message) (stop bool) {
	if s.calls == nil {
		s.makeMaps()
	}
	switch kind {
	case wakeCommand:
		s.handleCommand(cmd)
	case wakeMessage:
		s.c.stats().received(msg)
		if done, err := s.handleMessage(msg); done {
			s.sessionEnded(err)
		}
	case wakeConnGone:
		s.connectionEnded()
	case wakeResume:
		switch {
		case s.parked != nil:
			s.resumeParked()
		case s.parkedResult != nil:
			s.resumeParkedResult()
		case s.parkedInput != nil:
			s.resumeParkedInput()
		}
	case wakeRejoin:
		r := s.rejoined
		s.rejoined = nil
		s.handleRejoin(r)
	case wakeStop:
		return true
	}
	return false
}

// connectionGone reports whether the transport has ended for a reason that
// also ended its write side, with no message left to receive.
func (s *loopState) connectionGone() bool {
	select {
	case <-s.t.Done():
	default:
		return false
	}
	return len(s.t.Receive()) == 0 && !errors.Is(s.t.Err(), protocol.ErrProtocolViolation)
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

// send queues msg, followed by payload p (encoded by the caller that asked
// for it), for the writer. It never blocks. Without a connection
// (reconnecting) it fails with ErrSessionLost.
func (s *loopState) send(msg protocol.Message, p codec.EncodedPayload) error {
	if s.out == nil {
		return ErrSessionLost
	}
	s.out.push(msg, p)
	s.c.stats().sent(msg)
	return nil
}

// write queues msg, a message the loop made, with no caller payload.
func (s *loopState) write(msg protocol.Message) error {
	return s.send(msg, codec.EncodedPayload{})
}

// handleWriteFailure takes the writer's report: a message it could not
// encode fails the request it carries; a failed connection ends the
// session (or starts reconnecting).
func (s *loopState) handleWriteFailure(f writeFailure) {
	if f.msg == nil {
		s.sessionEnded(fmt.Errorf("wampgo: connection lost: %w", f.err))
		return
	}
	s.c.cfg.logger.Error("wampgo: message could not be encoded", "type", f.msg.Type(), "err", f.err)
	s.rejected(f.msg, f.err)
}

// rejected fails the request whose message the writer could not encode.
// Every request is checked against the connection's codec and size limit
// before the loop gives it an id (encode.go: in the caller's goroutine, and
// again by admit after a reconnect), so nothing a caller gives ends here;
// this is the net under a codec that refuses what it accepted when checked.
func (s *loopState) rejected(msg protocol.Message, err error) {
	err = fmt.Errorf("wampgo: encoding %s: %w", msg.Type(), err)
	req, _ := protocol.RequestID(msg)
	if msg.Type() == protocol.TypeCall {
		if call := s.calls[req]; call != nil {
			delete(s.calls, req)
			s.completeCall(call, Result{Err: err})
		}
		return
	}
	if p := s.pending[req]; req != 0 && p != nil && p.kind == msg.Type() {
		delete(s.pending, req)
		p.onReply(nil, err)
		return
	}
	s.c.reportError(err)
}

func (s *loopState) handleCommand(cmd command) {
	if s.t != nil && needsSession(cmd) && s.connectionGone() {
		// The connection died and nothing more will come from it: take
		// that in first, so the command is held for the next session (or
		// fails with the end reason) instead of being written to nowhere.
		s.connectionEnded()
		if s.end {
			s.failCommand(cmd, closedError(s.endErr))
			return
		}
	}
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
	case *cmdCallRetry:
		s.handleCallRetry(c)
	case *cmdRestoreRetry:
		s.handleRestoreRetry(c)
	case *cmdStaleKilled:
		s.handleStaleKilled(c)
	case *cmdWriter:
		s.handleWriter(c)
	default:
		s.failCommand(cmd, fmt.Errorf("wampgo: unknown command %T", cmd))
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
	case *protocol.TooLarge:
		err = s.handleTooLarge(m)
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
	req, _ := protocol.RequestID(msg)
	if req == 0 {
		// UNSUBSCRIBED and UNREGISTERED without a request: the router
		// revoked the subscription or registration.
		switch m := msg.(type) {
		case *protocol.Unsubscribed:
			s.handleSubscriptionRevoked(m)
			return nil
		case *protocol.Unregistered:
			s.handleRegistrationRevoked(m)
			return nil
		}
	}
	kind, _ := protocol.RequestType(msg)
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
	s.requestWith(req, msg, codec.EncodedPayload{}, onReply)
}

// requestWith is request for a message with a payload encoded by its
// caller.
func (s *loopState) requestWith(req protocol.ID, msg protocol.Message, p codec.EncodedPayload, onReply func(protocol.Message, error)) {
	if s.closing {
		onReply(nil, closedError(errors.New("session is closing")))
		return
	}
	s.pending[req] = &pendingRequest{kind: msg.Type(), onReply: onReply}
	if err := s.send(msg, p); err != nil {
		delete(s.pending, req)
		onReply(nil, err)
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

// sendBestEffort queues a closing message (ABORT, GOODBYE); the writer
// writes it before the connection is closed, within abortSendTimeout.
func (s *loopState) sendBestEffort(msg protocol.Message) {
	if s.out != nil {
		s.out.push(msg, codec.EncodedPayload{})
		s.out.flush()
	}
}

// shutdown fails everything pending with the end reason and closes every
// mailbox. It runs on the loop as it returns; the connection is closed off
// the loop, after what is queued for it (ABORT, GOODBYE) is written.
func (s *loopState) shutdown(reason error) {
	err := closedError(reason)
	s.stopReconnector()
	s.stopRestores()
	for _, cmd := range s.deferred {
		s.failCommand(cmd, err)
	}
	s.deferred = nil
	s.failWaitingCalls(err)
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
	s.parked, s.parkedResult, s.parkedInput = nil, nil, nil
	s.detach(true)
	if s.cancel != nil {
		s.cancel()
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
