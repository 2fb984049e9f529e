package client

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// WhileDisconnected is what happens to an operation started while a
// reconnecting client has no session.
type WhileDisconnected int

const (
	// WaitForSession holds the operation until the session is back, bounded
	// by the operation's context. This is the default.
	WaitForSession WhileDisconnected = iota
	// FailFast fails the operation at once with an error matching
	// ErrSessionLost.
	FailFast
)

// Reconnect configures automatic reconnection; pass it to WithReconnect.
// Zero fields take the documented defaults.
type Reconnect struct {
	// URLs are the routers tried in turn (a cluster behind several
	// addresses). Dial puts its own url first; Connect needs at least one.
	URLs []string
	// Dial opens a transport to url. The default dials WebSocket or
	// RawSocket by the URL's scheme (see Dial), with the client's options
	// (serializers, TLS, headers, keepalive).
	Dial func(ctx context.Context, url string) (protocol.Transport, error)
	// MinDelay and MaxDelay bound the backoff between attempts (defaults
	// 500ms and 30s); the delay doubles after each failure, with jitter
	// (each delay is drawn uniformly from [d/2, d]).
	MinDelay, MaxDelay time.Duration
	// ResetAfter is how long a session must last to count as healthy, so
	// that the next outage starts again from MinDelay (default 10s).
	ResetAfter time.Duration
	// AttemptTimeout bounds one attempt: dial plus join (default 10s), so
	// a router that accepts connections but never answers (a black hole)
	// cannot stall reconnection.
	AttemptTimeout time.Duration
	// MaxAttempts stops retrying after this many consecutive failures
	// (0: never stop).
	MaxAttempts int
	// WhileDisconnected chooses between waiting and failing fast for
	// operations started with no session (default WaitForSession).
	WhileDisconnected WhileDisconnected
	// OnStateChange, if set, receives every state change in order. It runs
	// on a goroutine of its own, never on the session loop.
	OnStateChange func(StateChange)
	// RetryOnFailedConnect makes Dial return a client, in StateConnecting,
	// when its first connection fails for a reason retrying may fix (the
	// router is not up yet), and keep connecting in the background with
	// this policy, so that a service may start before its router.
	// Operations wait for the session meanwhile (see WhileDisconnected);
	// WaitJoined waits for it. Dial still fails at once on an
	// authentication failure, an ABORT that retrying cannot fix, an invalid
	// realm, or when its context ends.
	RetryOnFailedConnect bool
	// KillStaleSession is for routers that do not notice a dead session on
	// their own (no ping): when restoring a registration is answered
	// wamp.error.procedure_already_exists, the client calls
	// wamp.session.kill on its own previous session, the one the
	// registration was last registered on (never any other session), and
	// retries at once when the kill succeeds or finds that session gone. The
	// router must let this client call wamp.session.kill; a kill that fails
	// is reported to the error handler and the restore goes on retrying
	// with the backoff. Each stale session is killed at most once.
	KillStaleSession bool
}

// WithReconnect makes the client reconnect and rejoin on its own when the
// connection dies or the router ends the session, restoring every
// registration and subscription (same handlers, same options; new ids).
// A rejoined client is in StateRestoring until every restore has
// succeeded; a restore the router refuses for a reason that can pass
// (wamp.error.procedure_already_exists because it still holds the dead
// session, wamp.error.unavailable, …; see RestoreError) is retried with
// this backoff until it succeeds, the user removes it, or the client
// ends, and is never given up. Only refusals about the request itself
// (wamp.error.invalid_uri, wamp.error.not_authorized, …) end a
// registration or subscription, closing its Done. Every failed attempt
// reaches the error handler as a *RestoreError.
// It does not retry after an authentication failure or an ABORT that
// retrying cannot fix, nor after Close. Without it a client is one session,
// like a net.Conn.
//
// A negative duration or MaxAttempts, a MaxDelay below a MinDelay that is
// given, and an unknown WhileDisconnected are wrong (see Options in the
// package doc).
func WithReconnect(r Reconnect) Option {
	return func(c *config) {
		checkReconnect(c, &r)
		if r.MinDelay <= 0 {
			r.MinDelay = 500 * time.Millisecond
		}
		if r.MaxDelay <= 0 {
			r.MaxDelay = 30 * time.Second
		}
		if r.MaxDelay < r.MinDelay {
			r.MaxDelay = r.MinDelay
		}
		if r.ResetAfter <= 0 {
			r.ResetAfter = 10 * time.Second
		}
		if r.AttemptTimeout <= 0 {
			r.AttemptTimeout = 10 * time.Second
		}
		c.reconnect = &r
	}
}

// backoff returns the delay before attempt n (1-based).
func (r *Reconnect) backoff(n int) time.Duration {
	d := r.MinDelay
	for i := 1; i < n && d < r.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, r.MaxDelay)
	half := d / 2
	return half + rand.N(d-half+1)
}

// permanent reports whether a join failure or an ABORT cannot be fixed by
// trying again.
func permanent(err error) bool {
	var ae *AbortError
	if errors.As(err, &ae) {
		switch ae.Reason {
		case "wamp.error.not_authorized", "wamp.error.authentication_failed",
			"wamp.error.authorization_failed", "wamp.error.no_such_realm",
			"wamp.error.no_such_role", "wamp.error.no_auth_method",
			"wamp.error.no_such_principal", "wamp.close.killed":
			return true
		}
	}
	return errors.Is(err, ErrAuthentication)
}

// rejoin is what the reconnector hands the loop: a joined transport, or
// the error it gave up on.
type rejoin struct {
	t       protocol.Transport
	session Session
	url     string
	err     error
}

// reconnector dials and joins until it succeeds, gives up or ctx ends. It
// runs on its own goroutine, started by the loop, and reports on out (a
// channel with room for its one result).
//
// lost is why there is no session (the lost session's end, or the first
// connection's failure); the first StateRetrying reports it. Each failed
// attempt is kept for connFailure until the loop takes a rejoin.
func (c *Client) reconnector(ctx context.Context, firstAttempt int, lost error, out chan<- *rejoin) {
	r := c.cfg.reconnect
	last := lost
	for attempt := firstAttempt; ; attempt++ {
		if r.MaxAttempts > 0 && attempt > r.MaxAttempts {
			out <- &rejoin{err: last}
			return
		}
		url := r.URLs[(attempt-1)%len(r.URLs)]
		delay := r.backoff(attempt)
		c.notifyState(StateChange{State: StateRetrying, URL: url, Attempt: attempt, Delay: delay, Err: last})
		timer := time.NewTimer(delay)
		select {
		case <-timer.C:
		case <-ctx.Done():
			timer.Stop()
			out <- &rejoin{err: ctx.Err()}
			return
		}
		t, sess, err := c.attempt(ctx, url)
		if err == nil {
			out <- &rejoin{t: t, session: sess, url: url}
			return
		}
		last = err
		c.setConnFailure(err)
		c.cfg.logger.Warn("wampgo: reconnect attempt failed", "url", redactURL(url), "attempt", attempt, "err", err)
		if permanent(err) || ctx.Err() != nil { // ctx: the loop is stopping
			out <- &rejoin{err: err}
			return
		}
	}
}

// attempt dials url and joins, within AttemptTimeout.
func (c *Client) attempt(ctx context.Context, url string) (protocol.Transport, Session, error) {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.reconnect.AttemptTimeout)
	defer cancel()
	t, err := c.cfg.reconnect.Dial(ctx, url)
	if err != nil {
		return nil, Session{}, err
	}
	if _, ok := c.cfg.codecFor(t.Serializer()); !ok {
		t.Close()
		return nil, Session{}, fmt.Errorf("wampgo: no codec for the transport's serializer %q", t.Serializer())
	}
	sess, err := join(ctx, t, url, c.realm, c.cfg)
	if err != nil {
		t.Close()
		return nil, Session{}, err
	}
	return t, sess, nil
}

// notifyState logs a state change and hands it to OnStateChange.
func (c *Client) notifyState(sc StateChange) {
	c.cfg.logger.Info("wampgo: state", "state", sc.State.String(), "session", sc.Session,
		"url", redactURL(sc.URL), "attempt", sc.Attempt, "delay", sc.Delay, "err", sc.Err)
	c.stateChanged(sc)
	if c.states != nil {
		c.states.TryPut(sc, 1)
	}
}
