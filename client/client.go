package client

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/wampgo/wampgo/actor"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/mailbox"
	"github.com/wampgo/wampgo/protocol"
)

// Client is a joined WAMP session. All methods are safe for concurrent use
// by many goroutines; see the package documentation for the model.
type Client struct {
	cfg   *config
	realm protocol.URI
	loop  *actor.Actor[command]

	// conn describes the current session and its transport; the session
	// loop replaces it on every (re)join.
	conn atomic.Pointer[connInfo]

	// base is the parent context of every handler's context; cancelled when
	// the session ends.
	base       context.Context
	cancelBase context.CancelFunc

	err error // the end reason; written by reap before done is closed
	// done is closed by reap (on the loop's goroutine, last) when
	// everything has stopped; made by the first caller of Done (an idle
	// session nobody waits on holds none). Both guarded by doneMu.
	doneMu   sync.Mutex
	done     chan struct{}
	reaped   bool
	handlers sync.WaitGroup // handler goroutines of subscriptions and registrations; Add on the loop only
	closers  sync.WaitGroup // goroutines closing a connection the loop gave up; Add on the loop only

	watch stateWatch // the connection state (state.go)
	// noSession is why there is no session now, nil while joined
	// (conn_failure.go).
	noSession atomic.Pointer[connFailure]
	chains    chains // the interceptors (interceptor.go)

	subIndex idIndex // topic → subscription ids; written by the session loop only
	regIndex idIndex // procedure → registration ids; written by the session loop only

	states *mailbox.Mailbox[StateChange] // OnStateChange deliveries; nil without
	errs   *mailbox.Mailbox[error]       // WithErrorHandler deliveries; nil without
}

// commandBuffer is how many commands the loop's queue takes before
// callers wait: a burst of callers (128 concurrent calls) queue without
// each waiting for the loop, which takes them all before its writer
// flushes. The queue holds no buffer while empty.
const commandBuffer = 32

// idIndex maps a URI to an immutable []protocol.ID (see ids.go).
type idIndex = sync.Map

// connInfo is an immutable description of one joined session.
type connInfo struct {
	session    Session
	serializer string
	codec      codec.Codec // the serializer's: callers encode payloads with it
	limit      sendChecker // the connection's limit on one outgoing message; nil: none
}

// Connect joins realm over an established transport: it sends HELLO and
// waits for WELCOME (or ABORT, returned as *AbortError). On failure the
// transport is closed. The client owns t from then on.
//
// With WithReconnect, later connections are opened with Reconnect.Dial to
// Reconnect.URLs (both required with Connect).
//
// A wrong option (see Options in the package doc), and an option that
// configures the connection Dial opens (WithTLSConfig, WithHTTPHeader,
// WithReadLimit, WithKeepalive), fail Connect with an *ArgumentError
// matching ErrInvalidArgument before HELLO is sent.
func Connect(ctx context.Context, t protocol.Transport, realm string, opts ...Option) (*Client, error) {
	cfg := newConfig(opts)
	if err := cfg.optionsError("Connect"); err != nil {
		t.Close()
		return nil, err
	}
	if r := cfg.reconnect; r != nil && (len(r.URLs) == 0 || r.Dial == nil) {
		t.Close()
		return nil, &ArgumentError{Op: "Connect", Arg: "WithReconnect", Reason: "Connect needs Reconnect.URLs and Reconnect.Dial"}
	}
	if _, ok := cfg.codecFor(t.Serializer()); !ok {
		t.Close()
		return nil, &ArgumentError{Op: "Connect", Arg: "transport",
			Reason: fmt.Sprintf("no codec for its serializer %q (WithSerializers)", t.Serializer())}
	}
	sess, err := join(ctx, t, "", realm, cfg)
	if err != nil {
		t.Close()
		return nil, err
	}
	return start(t, "", realm, sess, cfg), nil
}

// start creates the client around a joined transport and starts its
// goroutines.
func start(t protocol.Transport, url, realm string, sess Session, cfg *config) *Client {
	c := &Client{cfg: cfg, realm: realm}
	ci := &connInfo{session: sess, serializer: serializerOf(t), codec: startCodec(t, cfg)}
	ci.limit, _ = t.(sendChecker)
	c.conn.Store(ci)
	c.base, c.cancelBase = context.WithCancel(context.WithValue(context.Background(), handlerKey{}, c))
	if cfg.onError != nil {
		c.errs = mailbox.New(mailbox.Limits{MaxMessages: 1 << 16}, 1, cfg.onError, func(p *mailbox.PanicError) {
			cfg.logger.Error("wampgo: error handler panicked", "panic", p.Value)
		})
	}
	if r := cfg.reconnect; r != nil && r.OnStateChange != nil {
		c.states = mailbox.New(mailbox.Limits{}, 1, r.OnStateChange, func(p *mailbox.PanicError) {
			c.reportPanic("OnStateChange", p)
		})
	}
	st := newLoopState(c, t)
	if t == nil {
		c.watch.set(StateConnecting) // retry_connect.go: no session yet
	}
	c.loop = actor.New(commandBuffer, func(cmd command, reason error) {
		// Accepted while the loop was ending: answered like every
		// command refused after the end.
		st.failCommand(cmd, closedError(reason))
	})
	// c.loop is set before the loop runs: the loop's writers report
	// through c.control, which watches c.loop's end.
	c.loop.Start(st.run, c.reap)
	if t == nil {
		return c
	}
	cfg.logger.Info("wampgo: joined", "realm", realm, "session", sess.ID,
		"authid", sess.AuthID, "serializer", t.Serializer())
	if cfg.reconnect != nil {
		c.notifyState(StateChange{State: StateJoined, Session: sess.ID, URL: url})
	}
	return c
}

// reap is the session loop goroutine's last work, once the loop has ended
// (it hands its connection to a closer goroutine on its way out): it waits
// for the closers and every handler goroutine and records the end reason.
// No goroutine of its own waits for the loop's end.
func (c *Client) reap(reason error) {
	c.closers.Wait()
	c.cancelBase()
	if c.states != nil {
		c.states.CloseWhenDrained() // the last change (gave up, …) must arrive
	}
	if c.errs != nil {
		c.errs.CloseWhenDrained()
	}
	// Only the loop starts handler goroutines, and it has ended.
	c.handlers.Wait()
	if c.states != nil {
		<-c.states.Done()
	}
	if c.errs != nil {
		<-c.errs.Done()
	}
	reason = userPanic(reason) // a loop panic: the one panic type users match
	c.err = reason
	c.doneMu.Lock()
	c.reaped = true
	if c.done != nil {
		close(c.done)
	}
	c.doneMu.Unlock()
	if reason != nil {
		c.cfg.logger.Info("wampgo: session ended", "session", c.Session().ID, "reason", reason)
	}
}

// Session returns what the router's WELCOME said of the current session
// (of the latest one, for a reconnecting client).
func (c *Client) Session() Session { return c.conn.Load().session }

// Done is closed once the session has ended and every goroutine of the
// client (loop, transport, handlers) has exited.
func (c *Client) Done() <-chan struct{} {
	c.doneMu.Lock()
	defer c.doneMu.Unlock()
	if c.done == nil {
		c.done = make(chan struct{})
		if c.reaped {
			close(c.done)
		}
	}
	return c.done
}

// Err returns why the session ended: nil while it runs and after Close
// completed the GOODBYE handshake; *GoodbyeError when the router closed it;
// *AbortError when the router aborted it; a transport error when the
// connection failed; an error matching ErrProtocolViolation when the router
// broke the protocol (the client then sent ABORT).
func (c *Client) Err() error {
	select {
	case <-c.Done():
		return c.err
	default:
		return nil
	}
}

// Wait blocks until the session has ended (see Done) or ctx ends, and
// returns Err, or ctx's error.
func (c *Client) Wait(ctx context.Context) error {
	select {
	case <-c.Done():
		return c.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// String describes the client: realm, session id and state.
func (c *Client) String() string {
	state := "open"
	select {
	case <-c.Done():
		state = "closed"
	default:
	}
	ci := c.conn.Load()
	return fmt.Sprintf("wampgo.Client{realm=%q session=%d authid=%q serializer=%s %s}",
		ci.session.Realm, ci.session.ID, ci.session.AuthID, ci.serializer, state)
}

// CloseOption configures Close.
type CloseOption func(*protocol.Goodbye)

// CloseReason sets the GOODBYE reason URI (default wamp.close.normal).
func CloseReason(uri protocol.URI) CloseOption { return func(g *protocol.Goodbye) { g.Reason = uri } }

// CloseDetails sets GOODBYE.Details (for example {"message": "…"}).
func CloseDetails(d protocol.Dict) CloseOption { return func(g *protocol.Goodbye) { g.Details = d } }

// Close ends the session: it sends GOODBYE, waits for the router's GOODBYE
// (bounded by ctx and by WithCloseTimeout), fails every pending operation
// with ErrClosed, closes the transport and waits until every goroutine of
// the client has exited. It is safe to call more than once; later calls
// wait for the same end. It returns nil after a clean handshake, ctx's
// error if ctx ended first, or the error that ended the session otherwise.
//
// A handler may call Close with its own context (or one derived from it):
// Close then returns once the session has ended, without waiting for the
// handlers, itself among them. Called from a handler with an unrelated
// context, Close would wait for that handler to return, which it cannot:
// use the handler's context, or call Close on a new goroutine.
func (c *Client) Close(ctx context.Context, opts ...CloseOption) error {
	g := &protocol.Goodbye{Reason: uriCloseNormal, Details: protocol.Dict{}}
	for _, o := range opts {
		o(g)
	}
	bounded, cancel := context.WithTimeout(ctx, c.cfg.closeTimeout)
	defer cancel()
	if err := c.loop.Send(bounded, &cmdGoodbye{msg: g}); err == nil {
		select {
		case <-c.loop.Done():
		case <-bounded.Done():
		}
	}
	// Whether the handshake completed, timed out or never started, stop the
	// loop; Stop is idempotent.
	if ctx.Value(handlerKey{}) == c {
		// From a handler: the loop ends promptly once asked to stop (a stuck
		// write is cut short); do not wait for the handlers, ourselves among
		// them, nor let the handler's context, which ends with the session,
		// turn a clean close into an error.
		c.loop.Stop(context.Background())
	} else {
		c.loop.Stop(ctx)
		select {
		case <-c.Done():
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := c.loop.Err(); err != nil && !errors.Is(err, ErrClosed) {
		return err
	}
	return nil
}

// handlerKey marks the contexts given to handlers (see Close).
type handlerKey struct{}

// send asks the loop to run cmd, failing with ErrClosed (wrapping the end
// reason) once the session has ended.
func (c *Client) send(ctx context.Context, cmd command) error {
	return c.mapSendErr(c.loop.Send(ctx, cmd))
}

// ask sends the command mk builds around a reply channel and returns the
// loop's answer, or why there was none (ctx ended, session closed).
func (c *Client) ask(ctx context.Context, mk func(actor.Reply[error]) command) error {
	err, aerr := actor.Ask(ctx, c.loop, mk)
	if aerr != nil {
		return c.mapSendErr(aerr)
	}
	return err
}

// endReason is the loop's end reason; call it only once the loop has
// ended (Send failed with actor.ErrStopped).
func (c *Client) endReason() error { return c.loop.Err() }

// control hands the loop a command it takes even while its writer is
// behind: a call's cancel (from context watchers and timers), a writer's
// report. It never waits; once the loop has ended it drops cmd (shutdown
// completes every call then).
func (c *Client) control(cmd command) {
	c.loop.SendUrgent(cmd)
}

// reportError hands err to the error handler, if any.
//
// The handler runs on a goroutine of its own, in order; if it falls more
// than 65,536 reports behind, further ones are only logged.
func (c *Client) reportError(err error) {
	if c.errs != nil && !c.errs.TryPut(err, 1) {
		c.cfg.logger.Warn("wampgo: error handler too slow; error not delivered", "err", err)
	}
}
