package wamptest

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// This file is the glue between a connection and its protocol.Transport:
// the goroutines that read and write it, the outbox between the routing
// and the writer, and the valve that stalls both. It is the only code that
// calls the transport's methods, besides Close, Drop and Stop closing it.

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
