package wamptest

import (
	"fmt"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// connState is where a connection is in the session life cycle
// (basic/sessions.md). Guarded by Router.mu.
type connState int

const (
	stateHello        connState = iota // waiting for HELLO
	stateChallenged                    // CHALLENGE sent; waiting for AUTHENTICATE
	stateEstablished                   // WELCOME sent
	stateShuttingDown                  // the router sent GOODBYE; waiting for the client's
	stateClosed                        // done: the reader stops
)

// conn is one served connection and, once joined, its session.
type conn struct {
	r     *Router
	t     protocol.Transport
	kind  string // "memory", "websocket" or "rawsocket", for the session meta API
	out   outbox
	log   *Log          // every message in and out; nil WithoutMessageLog
	gate  *valve        // closed while the connection is stalled
	grace *time.Timer   // guarded by r.mu; the wait for the client's GOODBYE
	quit  chan struct{} // closed when state becomes stateClosed
	wdone chan struct{} // closed when the writer has exited
	ended chan struct{} // closed when serve has returned

	state     connState    // guarded by r.mu
	sess      *session     // guarded by r.mu; nil until WELCOME
	auth      *pendingAuth // guarded by r.mu; the CHALLENGE in flight
	sessionID protocol.ID  // guarded by r.mu; drawn at HELLO, used at WELCOME
}

func newConn(r *Router, t protocol.Transport, kind string) *conn {
	var log *Log
	if !r.cfg.noLog {
		log = newLog()
	}
	return &conn{r: r, t: t, kind: kind, out: newOutbox(), log: log, gate: newValve(),
		quit: make(chan struct{}), wdone: make(chan struct{}), ended: make(chan struct{})}
}

// handle processes one message from the client under the router's mutex.
// It returns false when the connection is done.
func (c *conn) handle(msg protocol.Message) bool {
	r := c.r
	r.mu.Lock()
	defer r.mu.Unlock()
	switch c.state {
	case stateHello:
		c.hello(msg)
	case stateChallenged:
		c.authenticate(msg)
	case stateEstablished:
		if err := protocol.Validate(msg); err != nil {
			c.violation(err)
			break
		}
		if err := c.dispatch(msg); err != nil {
			c.violation(err)
		}
	case stateShuttingDown:
		// basic/sessions.md, transition 14: anything but the GOODBYE
		// answering ours is ignored.
		switch msg.(type) {
		case *protocol.Goodbye, *protocol.Abort:
			c.close()
		}
	}
	return c.state != stateClosed
}

// hello handles the first message: HELLO opens a session, at once or
// after a CHALLENGE; anything else is a protocol violation (an ABORT just
// ends the connection).
func (c *conn) hello(msg protocol.Message) {
	switch m := msg.(type) {
	case *protocol.Hello:
		if err := protocol.Validate(m); err != nil {
			c.violation(err)
			return
		}
		c.sessionID = c.r.newSessionID()
		who, pending, ch, reason, why := c.r.chooseAuth(m, c.sessionID)
		switch {
		case who != nil:
			c.welcome(m, *who)
		case pending != nil:
			c.auth = pending
			c.state = stateChallenged
			c.send(ch)
		default:
			c.abort(reason, why)
		}
	case *protocol.Abort:
		c.close()
	default:
		c.violation(fmt.Errorf("expected HELLO, got %s", msg.Type()))
	}
}

// authenticate handles the answer to a CHALLENGE.
func (c *conn) authenticate(msg protocol.Message) {
	switch m := msg.(type) {
	case *protocol.Authenticate:
		who, err := c.auth.verify(m)
		if err != nil {
			c.r.cfg.logger.Debug("wamptest: authentication failed", "err", err)
			c.abort(protocol.URIErrAuthenticationFailed, err.Error())
			return
		}
		c.welcome(c.auth.hello, *who)
		c.auth = nil
	case *protocol.Abort:
		c.close()
	default:
		c.violation(fmt.Errorf("expected AUTHENTICATE, got %s", msg.Type()))
	}
}

// welcome joins the session and announces it.
func (c *conn) welcome(h *protocol.Hello, who identity) {
	s := c.r.join(c, h, who)
	c.sess = s
	c.state = stateEstablished
	if c.log != nil {
		c.r.logs[s.id] = c.log
	}
	c.send(&protocol.Welcome{Session: s.id, Details: s.welcomeDetails(who.authextra)})
	c.r.metaEvent(s.realm, uriOnJoin, protocol.List{s.details()}, nil)
	c.r.cfg.logger.Debug("wamptest: session joined", "realm", s.realm.name, "session", s.id)
}

// dispatch routes one message of an established session. A non-nil error
// is a protocol violation.
func (c *conn) dispatch(msg protocol.Message) error {
	r, s := c.r, c.sess
	switch m := msg.(type) {
	case *protocol.Goodbye:
		c.send(&protocol.Goodbye{Details: protocol.Dict{}, Reason: protocol.URICloseGoodbyeAndOut})
		c.close()
	case *protocol.Abort:
		c.close()
	case *protocol.Subscribe:
		if err := s.nextRequest(m.Request); err != nil {
			return err
		}
		r.subscribe(s, m)
	case *protocol.Unsubscribe:
		if err := s.nextRequest(m.Request); err != nil {
			return err
		}
		r.unsubscribe(s, m)
	case *protocol.Publish:
		if err := s.nextRequest(m.Request); err != nil {
			return err
		}
		if err := checkPassthru(s, protocol.RolePublisher, "PUBLISH", m.Options); err != nil {
			return err
		}
		r.publish(s, m)
	case *protocol.Register:
		if err := s.nextRequest(m.Request); err != nil {
			return err
		}
		r.register(s, m)
	case *protocol.Unregister:
		if err := s.nextRequest(m.Request); err != nil {
			return err
		}
		r.unregister(s, m)
	case *protocol.Call:
		return r.call(s, m)
	case *protocol.Cancel:
		r.cancel(s, m)
	case *protocol.Yield:
		return r.yield(s, m)
	case *protocol.Error:
		if m.RequestType != protocol.TypeInvocation {
			return fmt.Errorf("ERROR for a %s: a client may only answer an INVOCATION", m.RequestType)
		}
		return r.calleeError(s, m)
	default:
		return fmt.Errorf("%s is not expected from a client in an established session", msg.Type())
	}
	return nil
}

// violation aborts the session for a protocol error. Called with r.mu held.
func (c *conn) violation(err error) {
	c.r.cfg.logger.Info("wamptest: protocol violation", "err", err)
	c.abort(protocol.URIErrProtocolViolation, err.Error())
}

// abort sends ABORT and ends the connection. Called with r.mu held.
func (c *conn) abort(reason protocol.URI, message string) {
	if c.state == stateClosed {
		return
	}
	c.send(&protocol.Abort{Details: protocol.Dict{"message": message}, Reason: reason})
	c.close()
}

// shutdown starts the router-initiated end of the connection for Close
// and Stop: GOODBYE wamp.close.system_shutdown to a joined session, ABORT
// to a connection that has not joined. Called with r.mu held.
func (c *conn) shutdown() {
	switch c.state {
	case stateHello, stateChallenged:
		c.abort(protocol.URICloseSystemShutdown, "the router is closing")
	case stateEstablished:
		c.goodbye(protocol.URICloseSystemShutdown, "the router is closing")
	}
}

// goodbye ends a joined session from the router's side: GOODBYE with
// reason (and message in its details, when not empty), then the session
// leaves routing while the client has the close grace to answer. Called
// with r.mu held.
func (c *conn) goodbye(reason protocol.URI, message string) {
	if c.state != stateEstablished {
		if c.sess != nil && c.sess.held {
			c.r.leave(c.sess) // nobody to say GOODBYE to (HalfOpen)
		}
		return
	}
	details := protocol.Dict{}
	if message != "" {
		details["message"] = message
	}
	c.send(&protocol.Goodbye{Details: details, Reason: reason})
	c.r.leave(c.sess)
	c.state = stateShuttingDown
	c.r.graceTimer(c)
}

// close marks the connection done, removing its session from routing and
// waking the reader. It is idempotent. Called with r.mu held.
func (c *conn) close() {
	c.stopGrace()
	if c.sess != nil && !c.sess.held {
		c.r.leave(c.sess)
	}
	if c.state != stateClosed {
		c.state = stateClosed
		close(c.quit)
	}
}

// send queues msg for the client. It never blocks.
func (c *conn) send(msg protocol.Message) { c.out.put(msg) }

// graceTimer gives a client the router said GOODBYE to the close grace to
// answer; past it the connection is closed. The timer callback is counted
// in r.wg until it returns or is stopped. Called with r.mu held.
func (r *Router) graceTimer(c *conn) {
	r.wg.Add(1)
	c.grace = time.AfterFunc(r.cfg.closeGrace, func() {
		defer r.wg.Done()
		r.mu.Lock()
		defer r.mu.Unlock()
		if c.grace != nil {
			c.grace = nil
			c.close()
		}
	})
}

// stopGrace stops the grace timer, if one is pending. Called with r.mu
// held.
func (c *conn) stopGrace() {
	if c.grace != nil && c.grace.Stop() {
		c.r.wg.Done()
	}
	c.grace = nil
}
