package client

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// restoreLogEvery bounds how often the log hears of one registration or
// subscription whose restore keeps failing; the error handler hears of
// every attempt.
const restoreLogEvery = time.Minute

// RestoreError reports a registration or subscription that a rejoined
// session could not restore: one report per failed attempt, to the error
// handler. While Retrying, the client tries again after the reconnect
// backoff and stays in StateRestoring; otherwise the registration or
// subscription has ended (its Done is closed) and Err says why.
type RestoreError struct {
	Kind     string       // "registration" or "subscription"
	URI      protocol.URI // the procedure or topic
	Attempt  int          // 1 for the first failure in this session
	Retrying bool         // it will be tried again
	Err      error        // the router's *Error, or why the request could not be sent
}

func (e *RestoreError) Error() string {
	what := "registration of "
	if e.Kind == "subscription" {
		what = "subscription to "
	}
	verdict := "given up"
	if e.Retrying {
		verdict = "retrying"
	}
	return fmt.Sprintf("wampgo: restoring %s%s after reconnect (attempt %d, %s): %v", what, e.URI, e.Attempt, verdict, e.Err)
}

func (e *RestoreError) Unwrap() error { return e.Err }

// restoreRetryable reports whether a restore that failed with err may
// succeed later. Only answers that describe the request itself are final:
// wamp.error.invalid_uri, wamp.error.not_authorized,
// wamp.error.invalid_argument, wamp.error.option_not_allowed and
// wamp.error.option_disallowed.*, and a request refused before sending (it
// does not fit the new connection). Every other ERROR is retried: among
// them wamp.error.procedure_already_exists (the router still holds the
// dead session), wamp.error.unavailable, wamp.error.authorization_failed
// (an authorizer that failed) and routers' own transient errors.
func restoreRetryable(err error) bool {
	var e *Error
	if !errors.As(err, &e) {
		return false
	}
	switch e.URI {
	case protocol.URIErrInvalidURI, protocol.URIErrNotAuthorized,
		protocol.URIErrInvalidArgument, protocol.URIErrOptionNotAllowed:
		return false
	}
	return !strings.HasPrefix(string(e.URI), "wamp.error.option_disallowed.")
}

// restoreSet tracks the registrations and subscriptions a rejoined session
// has not restored yet. It is owned by the session loop.
type restoreSet struct {
	epoch   uint64               // bumped at every rejoin and loss: older timers are stale
	pending map[any]*restoreItem // by *Registration or *Subscription
	joined  StateChange          // reported once nothing is pending
	killed  map[protocol.ID]bool // stale sessions of ours wamp.session.kill was sent for
}

// restoreItem is one pending restore.
type restoreItem struct {
	attempts int         // failures so far in this session
	seq      int         // the retry armed last; older ones are stale
	inFlight bool        // its SUBSCRIBE or REGISTER awaits the router
	timer    *time.Timer // the armed retry; nil when none
	logged   time.Time   // when the log last heard of it
}

// cmdRestoreRetry is posted by a restore's retry timer, or by a kill of a
// stale session, to send a restore again.
type cmdRestoreRetry struct {
	item  any
	epoch uint64
	seq   int
}

// cmdStaleKilled carries the outcome of wamp.session.kill for one of this
// client's previous sessions.
type cmdStaleKilled struct {
	session protocol.ID
	epoch   uint64
	err     error
}

func (*cmdRestoreRetry) isCommand() {}
func (*cmdStaleKilled) isCommand()  {}

// restore re-subscribes and re-registers everything the user had, with the
// same handlers and options; the objects get the router's new ids. joined
// is reported once every one is restored or has failed for good (at once
// when there is nothing to restore); until then the client is in
// StateRestoring, so that StateJoined means "ready, with everything
// restored".
func (s *loopState) restore(joined StateChange) {
	s.stopRestores()
	rs := &s.restoring
	rs.joined = joined
	if rs.pending == nil {
		rs.pending = map[any]*restoreItem{}
	}
	for _, sub := range s.localSubs {
		rs.pending[sub] = &restoreItem{}
	}
	for _, reg := range s.localRegs {
		rs.pending[reg] = &restoreItem{}
	}
	s.restoreGauge()
	if len(rs.pending) == 0 {
		s.c.notifyState(joined)
		return
	}
	s.c.notifyState(StateChange{State: StateRestoring, Session: joined.Session, URL: joined.URL})
	for _, sub := range slices.Clone(s.localSubs) {
		s.restoreSub(sub)
	}
	for _, reg := range slices.Clone(s.localRegs) {
		s.restoreReg(reg)
	}
}

func (s *loopState) restoreSub(sub *Subscription) {
	epoch := s.restoring.epoch
	if it := s.restoring.pending[sub]; it != nil {
		it.inFlight = true
	}
	msg := &protocol.Subscribe{Options: sub.cfg.options(), Topic: sub.topic}
	s.restoreRequest("Subscribe", msg, &msg.Request, func(m protocol.Message, err error) {
		if errors.Is(err, ErrSessionLost) || epoch != s.restoring.epoch {
			return // lost again: the next rejoin restores it
		}
		if err != nil {
			s.restoreFailed(sub, &RestoreError{Kind: "subscription", URI: sub.topic, Err: err}, func() {
				s.forgetSub(sub)
				sub.removed = true
				sub.end(err)
			})
			return
		}
		id := m.(*protocol.Subscribed).Subscription
		if sub.removed {
			// Unsubscribed meanwhile: withdraw what the router made for it.
			if s.subs[id] == nil {
				s.sendUnsubscribe(id, func(error) {})
			}
			return
		}
		if err := s.attachSub(sub, id); err != nil {
			s.fail(err) // a protocol violation: the session ends, the next one restores it
			return
		}
		s.restored(sub)
	})
}

func (s *loopState) restoreReg(reg *Registration) {
	epoch := s.restoring.epoch
	if it := s.restoring.pending[reg]; it != nil {
		it.inFlight = true
	}
	msg := &protocol.Register{Options: reg.cfg.options(), Procedure: reg.procedure}
	s.restoreRequest("Register", msg, &msg.Request, func(m protocol.Message, err error) {
		if errors.Is(err, ErrSessionLost) || epoch != s.restoring.epoch {
			return // lost again: the next rejoin restores it
		}
		if err == nil {
			id := m.(*protocol.Registered).Registration
			if reg.removed {
				// Unregistered meanwhile: withdraw it at the router.
				req := s.nextID()
				s.request(req, &protocol.Unregister{Request: req, Registration: id}, func(protocol.Message, error) {})
				return
			}
			if err := s.attachReg(reg, id); err != nil {
				s.fail(err) // a protocol violation: the session ends, the next one restores it
				return
			}
			s.restored(reg)
			return
		}
		s.restoreFailed(reg, &RestoreError{Kind: "registration", URI: reg.procedure, Err: err}, func() {
			s.forgetReg(reg)
			reg.removed = true
			reg.end(err)
		})
		var e *Error
		if errors.As(err, &e) && e.URI == protocol.URIErrProcedureAlreadyExists && s.restoring.pending[reg] != nil {
			s.killStale(reg)
		}
	})
}

// restoreFailed reports a failed restore of item and either arms its retry
// or, for an error that cannot pass, ends it with end.
func (s *loopState) restoreFailed(item any, rerr *RestoreError, end func()) {
	it := s.restoring.pending[item]
	if it == nil {
		return // removed by the user meanwhile
	}
	it.inFlight = false
	it.attempts++
	rerr.Attempt, rerr.Retrying = it.attempts, restoreRetryable(rerr.Err)
	s.c.reportError(rerr)
	now := time.Now()
	switch {
	case !rerr.Retrying:
		s.c.cfg.logger.Error("wampgo: could not restore "+rerr.Kind, "uri", rerr.URI, "attempt", it.attempts, "err", rerr.Err)
	case it.attempts == 1 || now.Sub(it.logged) >= restoreLogEvery:
		it.logged = now
		s.c.cfg.logger.Warn("wampgo: restore failed; retrying", "kind", rerr.Kind, "uri", rerr.URI,
			"attempt", it.attempts, "err", rerr.Err)
	}
	if !rerr.Retrying {
		end()
		s.restored(item)
		return
	}
	it.seq++
	cmd := &cmdRestoreRetry{item: item, epoch: s.restoring.epoch, seq: it.seq}
	cl := s.c
	it.timer = time.AfterFunc(s.c.cfg.reconnect.backoff(it.attempts), func() { cl.control(cmd) })
}

// handleRestoreRetry sends a pending restore again, unless the retry is
// stale (the session changed, the item was restored or removed, or a newer
// retry was armed) or the restore is at the router already.
func (s *loopState) handleRestoreRetry(c *cmdRestoreRetry) {
	it := s.restoring.pending[c.item]
	if c.epoch != s.restoring.epoch || s.t == nil || it == nil || it.inFlight || it.seq != c.seq {
		return
	}
	if it.timer != nil {
		it.timer.Stop()
		it.timer = nil
	}
	switch x := c.item.(type) {
	case *Subscription:
		s.restoreSub(x)
	case *Registration:
		s.restoreReg(x)
	}
}

// restored settles item: restored, ended for good, or removed by the
// user. The last one settled reports the rejoin as StateJoined.
func (s *loopState) restored(item any) {
	rs := &s.restoring
	it := rs.pending[item]
	if it == nil {
		s.restoreGauge() // removed while disconnected, or not pending
		return
	}
	if it.timer != nil {
		it.timer.Stop()
	}
	delete(rs.pending, item)
	s.restoreGauge()
	if len(rs.pending) == 0 && s.t != nil {
		clear(rs.killed)
		s.c.notifyState(rs.joined)
	}
}

// restoreGauge publishes how many restores are pending: those of the
// current session, or, with no session, everything the next one restores.
func (s *loopState) restoreGauge() {
	n := len(s.restoring.pending)
	if s.t == nil {
		n = len(s.localSubs) + len(s.localRegs)
	}
	s.c.stats().restoresPending.Store(int64(n))
}

// stopRestores forgets the pending restores of a session that ended (or
// is replaced) and stops their retries.
func (s *loopState) stopRestores() {
	rs := &s.restoring
	rs.epoch++
	for item, it := range rs.pending {
		if it.timer != nil {
			it.timer.Stop()
		}
		delete(rs.pending, item)
	}
}

// killStale asks the router, once per session, to kill the previous
// session of this client that still holds reg's procedure
// (Reconnect.KillStaleSession). Only an id this client itself had is ever
// killed, never the current session's. A kill that succeeds (or finds the
// session gone) sends the restores waiting on it again at once.
func (s *loopState) killStale(reg *Registration) {
	old := reg.session
	if !s.c.cfg.reconnect.KillStaleSession || old == 0 || old == s.sess.ID || s.restoring.killed[old] {
		return
	}
	if s.restoring.killed == nil {
		s.restoring.killed = map[protocol.ID]bool{}
	}
	s.restoring.killed[old] = true
	s.c.cfg.logger.Warn("wampgo: killing this client's stale session", "session", old, "procedure", reg.procedure)
	cl, ctx, epoch := s.c, s.ctx, s.restoring.epoch
	s.c.closers.Add(1)
	go func() {
		defer cl.closers.Done()
		kwargs := protocol.Dict{"message": "wampgo: a stale session of this client, replaced by a new one"}
		_, err := cl.call(ctx, "wamp.session.kill", protocol.List{int64(old)}, kwargs).Await(ctx)
		cl.control(&cmdStaleKilled{session: old, epoch: epoch, err: err})
	}()
}

// handleStaleKilled takes the outcome of killStale.
func (s *loopState) handleStaleKilled(c *cmdStaleKilled) {
	var e *Error
	if c.err != nil && !(errors.As(c.err, &e) && e.URI == protocol.URIErrNoSuchSession) {
		s.c.cfg.logger.Warn("wampgo: could not kill this client's stale session", "session", c.session, "err", c.err)
		s.c.reportError(fmt.Errorf("wampgo: killing this client's stale session %d: %w", c.session, c.err))
		return
	}
	if c.epoch != s.restoring.epoch {
		return
	}
	for item, it := range s.restoring.pending {
		if reg, ok := item.(*Registration); ok && reg.session == c.session {
			s.handleRestoreRetry(&cmdRestoreRetry{item: reg, epoch: c.epoch, seq: it.seq})
		}
	}
}
