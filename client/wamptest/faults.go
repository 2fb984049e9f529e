package wamptest

import (
	"errors"
	"fmt"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// ErrNoSession is returned by the fault injections for a session id the
// router does not serve (never joined, or already gone).
var ErrNoSession = errors.New("wamptest: no such session")

// ErrDropped is the error a connection ended by Drop reports on the
// client's side of an in-memory pipe (Client.Err wraps it).
var ErrDropped = errors.New("wamptest: connection dropped")

// conn returns the connection of a joined session. Called with r.mu held.
func (r *Router) connOf(session protocol.ID) (*conn, error) {
	s := r.sessions[session]
	if s == nil {
		return nil, fmt.Errorf("%w: %d", ErrNoSession, session)
	}
	return s.conn, nil
}

// Drop cuts the session's connection without a word, as a network failure
// would: no GOODBYE, no ABORT. The router treats the session as lost
// (its testaments are published, wamp.session.on_leave goes out). On an
// in-memory pipe the client's side ends with ErrDropped; on WebSocket the
// connection is closed.
func (r *Router) Drop(session protocol.ID) error {
	r.mu.Lock()
	c, err := r.connOf(session)
	r.mu.Unlock()
	if err != nil {
		return err
	}
	if f, ok := c.t.(interface{ Fail(error) }); ok {
		f.Fail(ErrDropped)
		return nil
	}
	c.t.Close()
	return nil
}

// Stall freezes the session's connection: the router stops reading what
// the client sends and stops writing what it routes to the client, which
// queues, until Resume. The client sees a peer that went silent with the
// connection still open (what keepalive and call timeouts exist for). A
// stall ends with Resume, Drop, or the end of the connection.
func (r *Router) Stall(session protocol.ID) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.connOf(session)
	if err != nil {
		return err
	}
	c.gate.shut()
	return nil
}

// Resume undoes Stall: the queued messages flow again, in order.
func (r *Router) Resume(session protocol.ID) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.connOf(session)
	if err != nil {
		return err
	}
	c.gate.open()
	return nil
}

// Kill ends the session as wamp.session.kill does: GOODBYE with reason
// (wamp.close.killed when empty) and message in its details; the client
// has the close grace to answer before the connection is closed.
func (r *Router) Kill(session protocol.ID, reason protocol.URI, message string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.connOf(session)
	if err != nil {
		return err
	}
	c.goodbye(cmpOr(reason, "wamp.close.killed"), message)
	return nil
}

// Abort ends the session with ABORT reason (wamp.error.protocol_violation
// when empty) and message in its details, and closes the connection.
func (r *Router) Abort(session protocol.ID, reason protocol.URI, message string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	c, err := r.connOf(session)
	if err != nil {
		return err
	}
	c.abort(cmpOr(reason, protocol.URIErrProtocolViolation), message)
	return nil
}

// Stop takes the router down as a restart would: every session gets
// GOODBYE wamp.close.system_shutdown (ABORT before it joined) and the
// close grace to answer, then every connection is closed and the router
// forgets its realms, retained events included. Until Start, Dial fails
// with ErrStopped, Pipe returns connections that are already closed and
// the WebSocket listeners answer 503 Service Unavailable. Stop returns
// once every connection has ended; calling it on a stopped router does
// nothing.
func (r *Router) Stop() {
	r.mu.Lock()
	if r.stopped || r.closed {
		r.mu.Unlock()
		return
	}
	r.stopped = true
	r.reapHeld()
	conns := make([]*conn, 0, len(r.conns))
	for c := range r.conns {
		conns = append(conns, c)
		c.gate.open()
		c.shutdown()
	}
	r.mu.Unlock()

	grace := time.NewTimer(r.cfg.closeGrace)
	defer grace.Stop()
	for _, c := range conns {
		select {
		case <-c.ended:
			continue
		case <-grace.C:
		}
		for _, c := range conns {
			c.t.Close()
		}
		break
	}
	for _, c := range conns {
		<-c.ended
	}
	r.mu.Lock()
	clear(r.realms)
	r.mu.Unlock()
}

// Start lets a stopped router serve connections again. It does nothing on
// a running router, and after Close.
func (r *Router) Start() {
	r.mu.Lock()
	r.stopped = false
	r.mu.Unlock()
}

// Sessions returns the ids of the sessions joined to realm, in id order.
func (r *Router) Sessions(realm string) []protocol.ID {
	r.mu.Lock()
	defer r.mu.Unlock()
	rm := r.realms[realm]
	if rm == nil {
		return nil
	}
	var ids []protocol.ID
	for _, s := range sortedByID(rm.sessions) {
		ids = append(ids, s.id)
	}
	return ids
}
