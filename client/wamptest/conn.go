package wamptest

import (
	"context"
	"errors"
	"fmt"
	"sync"
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
	kind  string // "memory" or "websocket", for the session meta API
	out   outbox
	log   *Log          // every message in and out
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
	return &conn{r: r, t: t, kind: kind, out: newOutbox(), log: &Log{}, gate: newValve(),
		quit: make(chan struct{}), wdone: make(chan struct{}), ended: make(chan struct{})}
}

// serve runs the connection to its end: reads, then tears down. It is the
// goroutine counted in r.wg by admit.
func (c *conn) serve() {
	defer c.r.wg.Done()
	defer close(c.ended)
	go c.writeLoop()
	c.readLoop()

	r := c.r
	r.mu.Lock()
	c.close()
	delete(r.conns, c)
	r.mu.Unlock()

	// Let the writer flush what is queued (a GOODBYE or ABORT last), but
	// not forever: a peer that stopped reading would hold it.
	c.out.close()
	grace := time.NewTimer(r.cfg.closeGrace)
	select {
	case <-c.wdone:
	case <-grace.C:
		c.t.Close()
		<-c.wdone
	}
	grace.Stop()
	c.t.Close()
}

// readLoop handles the client's messages until the session or the
// transport ends.
func (c *conn) readLoop() {
	recv := c.t.Receive()
	for {
		select {
		case <-c.gate.wait():
		case <-c.t.Done():
		case <-c.quit:
			return
		}
		select {
		case msg, ok := <-recv:
			if !ok {
				c.transportEnded()
				return
			}
			c.log.add(FromClient, msg)
			if !c.handle(msg) {
				return
			}
		case <-c.quit:
			return
		case <-c.gate.stalled():
		}
	}
}

// transportEnded reacts to the end of the read side: an undecodable message
// is a protocol violation, answered by ABORT while the transport can still
// carry it.
func (c *conn) transportEnded() {
	err := c.t.Err()
	c.r.cfg.logger.Debug("wamptest: transport ended", "err", err)
	if errors.Is(err, protocol.ErrProtocolViolation) {
		c.r.mu.Lock()
		c.abort(protocol.URIErrProtocolViolation, err.Error())
		c.r.mu.Unlock()
	}
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
	c.r.logs[s.id] = c.log
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
	if c.sess != nil {
		c.r.leave(c.sess)
	}
	if c.state != stateClosed {
		c.state = stateClosed
		close(c.quit)
	}
}

// send queues msg for the client. It never blocks.
func (c *conn) send(msg protocol.Message) { c.out.put(msg) }

// writeLoop sends queued messages in order until the outbox is closed and
// drained. A failed send is logged and the next message tried: once the
// transport has ended every send fails at once.
func (c *conn) writeLoop() {
	defer close(c.wdone)
	ctx := context.Background()
	for {
		batch, ok := c.out.take()
		if !ok {
			return
		}
		for _, m := range batch {
			select {
			case <-c.gate.wait():
			case <-c.t.Done():
			}
			c.log.add(ToClient, m)
			if err := c.t.Send(ctx, m); err != nil {
				c.r.cfg.logger.Debug("wamptest: send failed", "type", m.Type(), "err", err)
			}
		}
	}
}

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

// valve stalls a connection: while it is shut, neither the reader nor the
// writer moves a message. Its methods are safe for concurrent use.
type valve struct {
	mu     sync.Mutex
	openc  chan struct{} // closed while open
	stallc chan struct{} // closed while stalled
}

func newValve() *valve {
	o := make(chan struct{})
	close(o)
	return &valve{openc: o, stallc: make(chan struct{})}
}

func (v *valve) wait() <-chan struct{} {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.openc
}

func (v *valve) stalled() <-chan struct{} {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.stallc
}

// shut stalls the connection; it reports false if it was stalled already.
func (v *valve) shut() bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	select {
	case <-v.stallc:
		return false
	default:
	}
	v.openc = make(chan struct{})
	close(v.stallc)
	return true
}

// open resumes the connection; it is a no-op if it was not stalled.
func (v *valve) open() {
	v.mu.Lock()
	defer v.mu.Unlock()
	select {
	case <-v.openc:
		return
	default:
	}
	close(v.openc)
	v.stallc = make(chan struct{})
}

// outbox is a session's unbounded queue of outgoing messages: put never
// blocks, so routing under Router.mu never waits for a transport.
type outbox struct {
	mu     sync.Mutex
	q      []protocol.Message // guarded by mu
	closed bool               // guarded by mu
	ready  chan struct{}      // signalled (capacity 1) after put and close
}

func newOutbox() outbox { return outbox{ready: make(chan struct{}, 1)} }

func (o *outbox) put(m protocol.Message) {
	o.mu.Lock()
	if o.closed {
		o.mu.Unlock()
		return
	}
	o.q = append(o.q, m)
	o.mu.Unlock()
	o.signal()
}

// close lets take return false once the queue is drained.
func (o *outbox) close() {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
	o.signal()
}

func (o *outbox) signal() {
	select {
	case o.ready <- struct{}{}:
	default:
	}
}

// take waits for queued messages and returns them all, or returns false
// once the outbox is closed and empty.
func (o *outbox) take() ([]protocol.Message, bool) {
	for {
		o.mu.Lock()
		if q := o.q; len(q) > 0 {
			o.q = nil
			o.mu.Unlock()
			return q, true
		}
		closed := o.closed
		o.mu.Unlock()
		if closed {
			return nil, false
		}
		<-o.ready
	}
}
