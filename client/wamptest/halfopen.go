package wamptest

import (
	"fmt"

	"github.com/wampgo/wampgo/protocol"
)

// HalfOpen cuts the session's connection as Drop does, but the router
// does not notice, as behind a TCP connection gone half-open (no FIN, no
// RST) with no ping to detect it: the session stays joined, its
// registrations and subscriptions stay, and what is routed to it goes
// nowhere. It lasts until Reap, a kill (Kill, wamp.session.kill and the
// other kill procedures), Stop or Close. A client that rejoins meanwhile
// finds its procedures still held: REGISTER is answered
// wamp.error.procedure_already_exists (unless the registration is shared).
func (r *Router) HalfOpen(session protocol.ID) error {
	r.mu.Lock()
	s := r.sessions[session]
	if s == nil {
		r.mu.Unlock()
		return fmt.Errorf("%w: %d", ErrNoSession, session)
	}
	s.held = true
	r.mu.Unlock()
	return r.Drop(session)
}

// Reap ends a session kept by HalfOpen, as a router that finally notices
// the dead connection does: it leaves routing (testaments, registrations
// and subscriptions end, wamp.session.on_leave goes out). It returns an
// error matching ErrNoSession for a session that is not held.
func (r *Router) Reap(session protocol.ID) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.sessions[session]
	if s == nil || !s.held {
		return fmt.Errorf("%w: %d is not held open", ErrNoSession, session)
	}
	r.leave(s)
	return nil
}

// reapHeld ends every session kept by HalfOpen. Called with r.mu held.
func (r *Router) reapHeld() {
	for _, s := range sortedByID(r.sessions) {
		if s.held {
			r.leave(s)
		}
	}
}
