package client

import (
	"context"
	"fmt"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// sessionLost is the error of operations cut off by a lost session.
func sessionLost(cause error) error {
	if cause == nil {
		return ErrSessionLost
	}
	return fmt.Errorf("%w: %w", ErrSessionLost, cause)
}

// needsSession reports whether a command needs a joined session; the loop
// holds such commands while it reconnects.
func needsSession(cmd command) bool {
	switch cmd.(type) {
	case *cmdCall, *cmdCallInput, *cmdPublish, *cmdSubscribe, *cmdRegister:
		return true
	}
	return false
}

// failCommand answers a command that will not run.
func (s *loopState) failCommand(cmd command, err error) {
	switch c := cmd.(type) {
	case *cmdCall:
		s.completeCall(c.call, Result{Err: err})
	case *cmdCallInput:
		c.reply <- err
	case *cmdPublish:
		c.reply <- publishReply{err: err}
	case *cmdSubscribe:
		c.reply <- err
	case *cmdRegister:
		c.reply <- err
	case *cmdCancelCall:
		if c.call != nil { // else a context's watch: its calls end with the loop
			s.completeCall(c.call, Result{Err: err})
		}
	case *cmdUnsubscribe:
		c.reply <- err
	case *cmdUnregister:
		c.reply <- err
	case *cmdYield:
		if c.reply != nil {
			c.reply <- err
		}
	case *cmdGoodbye, *cmdCallRetry, *cmdRestoreRetry, *cmdStaleKilled:
		// Nobody waits for an answer: Close waits for the loop's end, and
		// shutdown completes a waiting call.
	default:
		s.c.cfg.logger.Error("wampgo: unknown command", "type", fmt.Sprintf("%T", cmd), "err", err)
	}
}

// disconnect drops the dead session: in-flight operations fail with
// ErrSessionLost, registrations and subscriptions wait to be restored, and
// the reconnector starts.
func (s *loopState) disconnect(reason error) {
	if s.sess.ID != 0 {
		s.c.cfg.logger.Warn("wampgo: session lost", "session", s.sess.ID, "reason", reason)
		s.c.notifyState(StateChange{State: StateLeft, Session: s.sess.ID, Err: reason})
	} // else no session ever (RetryOnFailedConnect): nothing was lost
	s.c.setConnFailure(reason)
	s.detach(true)
	s.stopRestores()
	s.failInFlight(sessionLost(reason))
	s.parkedResult = nil // its call has failed
	// Router ids die with the session; the local objects stay.
	clear(s.subs)
	clear(s.subTopic)
	clear(s.regs)
	clear(s.regProc)
	s.c.subIndex.Clear()
	s.c.regIndex.Clear()
	for _, sub := range s.localSubs {
		sub.id.Store(0)
	}
	for _, r := range s.localRegs {
		r.id.Store(0)
	}
	s.restoreGauge()
	if s.parked != nil {
		// Deliver what was parked; its subscription lives on.
		p := s.parked
		s.parked = nil
		s.deliverEvent(p.ev, p.size, append([]*Subscription{p.sub}, p.rest...))
	}

	if time.Since(s.joinedAt) >= s.c.cfg.reconnect.ResetAfter {
		s.attempts = 0
	}
	ctx, cancel := context.WithCancel(s.ctx)
	s.stopRetry = cancel
	s.rejoinc = make(chan *rejoin, 1)
	s.rejoinEnd = make(chan struct{})
	out, end := s.rejoinc, s.rejoinEnd
	first := s.attempts + 1
	go func() {
		defer close(end)
		s.c.reconnector(ctx, first, reason, out)
	}()
}

// handleRejoin takes the reconnector's result: a new session to restore
// state on, or the end.
func (s *loopState) handleRejoin(r *rejoin) {
	<-s.rejoinEnd
	s.stopRetry()
	s.rejoinc, s.rejoinEnd, s.stopRetry = nil, nil, nil
	if r.err != nil {
		err := fmt.Errorf("%w: %w", ErrGaveUp, r.err)
		s.c.notifyState(StateChange{State: StateGaveUp, Err: r.err})
		s.stop(err)
		return
	}
	s.attempts = 0
	firstJoin := s.sess.ID == 0
	s.c.setConnFailure(nil)
	cd, _ := s.c.cfg.codecFor(r.t.Serializer()) // the reconnector checked it
	ci := &connInfo{session: r.session, serializer: r.t.Serializer(), codec: cd}
	s.sess, s.joinedAt = &ci.session, time.Now()
	ci.limit, _ = r.t.(sendChecker)
	s.c.conn.Store(ci)
	s.attach(r.t)
	if firstJoin {
		s.c.cfg.logger.Info("wampgo: joined", "url", redactURL(r.url), "realm", s.c.realm, "session", r.session.ID)
	} else {
		s.c.cfg.logger.Info("wampgo: rejoined", "url", redactURL(r.url), "session", r.session.ID)
	}
	s.restore(StateChange{State: StateJoined, Session: r.session.ID, URL: r.url})
	held := s.deferred
	s.deferred = nil
	for _, cmd := range held {
		s.handleCommand(cmd)
	}
}

// restoreRequest sends msg, a SUBSCRIBE or REGISTER that restores one,
// once it is known to fit the new connection (whose serializer or size
// limit may differ from the one it was first sent on): only then does it
// get its request id, set in *req. A message that does not fit fails at
// once, through onReply.
func (s *loopState) restoreRequest(op string, msg protocol.Message, req *protocol.ID, onReply func(protocol.Message, error)) {
	if err := s.admit(op, msg, encoded{}); err != nil {
		onReply(nil, err)
		return
	}
	*req = s.nextID()
	s.request(*req, msg, onReply)
}

// stopReconnector ends a running reconnector and closes any transport it
// produced meanwhile.
func (s *loopState) stopReconnector() {
	if s.stopRetry == nil {
		return
	}
	s.stopRetry()
	<-s.rejoinEnd
	select {
	case r := <-s.rejoinc:
		if r.t != nil {
			r.t.Close()
		}
	default:
	}
	s.rejoinc, s.rejoinEnd, s.stopRetry = nil, nil, nil
}
