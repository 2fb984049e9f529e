package client

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// State is a client's connection state (Client.State); a reconnecting
// client also reports its changes to Reconnect.OnStateChange, except
// StateConnecting and StateClosed (OnStateChange ends instead).
type State int

// The states. A client that joined at once starts in StateJoined; one
// started with Reconnect.RetryOnFailedConnect in StateConnecting until its
// first join. A reconnecting client goes StateLeft → StateRetrying (per
// attempt) → StateRestoring (when it has something to restore) →
// StateJoined, or ends in StateGaveUp; every client ends in StateClosed.
const (
	// StateJoined: a session is established, and every registration and
	// subscription is served (restored, after a rejoin).
	StateJoined State = iota + 1
	// StateLeft: the session was lost; StateRetrying follows unless the
	// client gives up.
	StateLeft
	// StateRetrying: waiting before the next attempt to connect and join.
	StateRetrying
	// StateGaveUp: no more attempts; the client has ended.
	StateGaveUp
	// StateConnecting: the first connection failed and is being retried
	// (Reconnect.RetryOnFailedConnect); no session has been joined yet.
	StateConnecting
	// StateClosed: the session has ended (Close, Drain, or an end that
	// reconnecting does not fix) and the client will not join again.
	StateClosed
	// StateRestoring: a reconnecting client has rejoined (StateChange.Session
	// is the new session) and is restoring its registrations and
	// subscriptions; StateJoined follows once each one is restored, has
	// failed for good, or was removed. A restore the router refuses for a
	// reason that can pass (see RestoreError) is retried with the reconnect
	// backoff, so the client may stay here for a while: Stats.RestoresPending
	// says how many are left, and every failed attempt reaches the error
	// handler. Calls and publications work meanwhile.
	StateRestoring
)

func (s State) String() string {
	switch s {
	case StateJoined:
		return "joined"
	case StateLeft:
		return "left"
	case StateRetrying:
		return "retrying"
	case StateGaveUp:
		return "gave-up"
	case StateConnecting:
		return "connecting"
	case StateClosed:
		return "closed"
	case StateRestoring:
		return "restoring"
	}
	return "unknown"
}

// StateChange reports one change of a reconnecting client's state.
type StateChange struct {
	State   State
	Session protocol.ID   // StateJoined, StateRestoring: the new session's id
	URL     string        // StateJoined, StateRestoring, StateRetrying: the router (to be) tried; empty after Connect, which is given a transport
	Attempt int           // StateRetrying: 1 for the first retry
	Delay   time.Duration // StateRetrying: the wait before the attempt
	Err     error         // StateLeft, StateGaveUp, StateRetrying: the last failure
}

// stateWatch holds the client's connection state for State and
// WaitJoined. It is written by whoever reports a state change (the session
// loop, the reconnector, start) and read by any goroutine. Changes are
// rare, so a mutex orders them; State reads the atomic without it.
type stateWatch struct {
	state      atomic.Int32 // a State; 0 means StateJoined (the first join precedes the loop)
	joinedOnce atomic.Bool  // a StateJoined was reported
	restoring  atomic.Bool  // StateRestoring was reported, StateJoined not yet
	draining   atomic.Bool  // Drain has begun (drain.go)

	mu      sync.Mutex
	changed chan struct{} // guarded by mu: closed and replaced on every change; nil until first needed
}

// set records a new state and wakes every WaitJoined.
func (w *stateWatch) set(s State) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.state.Store(int32(s))
	if w.changed != nil {
		close(w.changed)
		w.changed = nil
	}
}

// wait returns the current state and a channel closed at its next change.
func (w *stateWatch) wait() (State, <-chan struct{}) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.changed == nil {
		w.changed = make(chan struct{})
	}
	return w.current(), w.changed
}

func (w *stateWatch) current() State {
	if s := State(w.state.Load()); s != 0 {
		return s
	}
	return StateJoined
}

// State returns the client's connection state: StateJoined while a session
// is up (for a reconnecting client, once everything was restored after the
// latest rejoin); StateRestoring while a rejoined session is still
// restoring registrations or subscriptions (retrying those the router
// refused for a reason that can pass); StateLeft or StateRetrying while a
// reconnecting client has no session; StateConnecting while the first connection is being retried
// (Reconnect.RetryOnFailedConnect); StateGaveUp or StateClosed once the
// client has ended. It never blocks and may be called from any goroutine.
func (c *Client) State() State {
	select {
	case <-c.loop.Done():
		if s := c.watch.current(); s == StateGaveUp {
			return s
		}
		return StateClosed
	default:
		return c.watch.current()
	}
}

// WaitJoined blocks until the client is joined with every registration and
// subscription restored (State is StateJoined), and returns nil at once if
// it is already. It keeps waiting through StateRestoring: a registration
// the router refuses to restore for a reason that can pass (such as
// wamp.error.procedure_already_exists while the router still holds the
// dead session) is retried, and WaitJoined returns once it succeeds. It returns an error matching ErrClosed (wrapping the end
// reason) if the client ends first, or ctx's error if ctx ends first.
//
// It is meant for a service that starts before its router
// (Reconnect.RetryOnFailedConnect) or that must not act while a
// reconnecting client is away. Any goroutine may call it.
func (c *Client) WaitJoined(ctx context.Context) error {
	for {
		s, changed := c.watch.wait()
		select {
		case <-c.loop.Done():
			return closedError(c.endReason())
		default:
		}
		if s == StateJoined {
			return nil
		}
		select {
		case <-changed:
		case <-c.loop.Done():
			return closedError(c.endReason())
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// Serializer names the serializer negotiated for the current connection
// ("json", "msgpack", "cbor"; empty before the first join).
func (c *Client) Serializer() string { return c.conn.Load().serializer }

// stateChanged records a reported state change; a join after the first
// counts as a reconnect.
func (c *Client) stateChanged(sc StateChange) {
	switch sc.State {
	case StateRestoring:
		// Only a rejoin restores: it counts now, its StateJoined not again.
		c.watch.restoring.Store(true)
		c.watch.joinedOnce.Store(true)
		c.stats().reconnects.Add(1)
	case StateJoined:
		if c.watch.restoring.Swap(false) {
			break
		}
		if c.watch.joinedOnce.Swap(true) {
			c.stats().reconnects.Add(1)
		}
	case StateLeft, StateRetrying:
		c.watch.restoring.Store(false)
		if !c.watch.joinedOnce.Load() {
			return // still connecting for the first time
		}
	}
	c.watch.set(sc.State)
}
