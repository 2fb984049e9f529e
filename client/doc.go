// Package client is wampgo's WAMP v2 client: one session to a router
// offering RPC (Call, Register) and publish/subscribe (Publish, Subscribe).
//
// # Concurrency
//
// A Client is safe for use by many goroutines at once. One goroutine, the
// session loop, owns every piece of session state (pending calls,
// registrations, subscriptions, the request-id sequence); every method sends
// it a typed command and waits for the answer on a reply channel, selecting
// on the caller's context and on the session's end, so no method can block
// past its context or past the end of the session.
//
// User code never runs on the session loop. Every subscription and every
// registration has a mailbox (package mailbox) drained by goroutines of its
// own, which exist only while there is work (an idle subscription or
// registration holds no goroutine), so a slow handler delays only itself,
// and a handler may call, publish, subscribe and register on the same
// client without deadlock.
//
// The session loop never waits on the connection either. Callers encode
// their arguments in their own goroutine (Call, Publish, SendInput and
// SendProgress retain nothing they were passed); the loop assigns request
// ids and queues messages for a writer goroutine, which splices the encoded
// arguments in and writes as many messages as are queued at once into the
// connection itself, for as few system calls as possible. While the writer
// is behind by more than WithWriteQueue, new requests wait, but results,
// events, interrupts and cancels keep flowing. An idle session holds three
// goroutines: the session loop, the connection's reader and this writer.
//
// # Backpressure
//
// Mailboxes are bounded in bytes and messages (MailboxLimits; by default
// 64 MiB or 512k messages, like nats.go's pending limits). When an
// event finds its subscription's mailbox full, the default policy (Drop)
// drops it, counts it (Subscription.Dropped) and reports a *SlowConsumerError
// to the error handler (WithErrorHandler) and the logger: the reader never
// waits, so a handler that calls back is never stuck behind its own queue.
// The opt-in Block policy instead stops reading from the router until the
// mailbox has room, pushing back on the router; use it only for handlers
// that never call the client. An invocation that finds its registration's
// mailbox full is answered with ERROR wamp.error.unavailable. Progressive
// results that find Call.Results full wait in a queue of the call's and are
// never dropped by default (OnProgressOverflow).
//
// # Call canceling
//
// The context given to Call governs the call. When it ends before the call
// does, the client sends CANCEL (if the router announced call_canceling)
// with the call's cancel mode: with "kill" the call completes when the
// router answers; with "skip" and "killnowait" it completes at once with an
// error matching ErrCanceled, and the router's late answer is discarded.
//
// # Reconnect and resume
//
// A plain Dial is one session, like a net.Conn: when it ends, the client
// ends. WithReconnect makes the client outlive its connections: it redials
// (trying Reconnect.URLs in turn, with exponential backoff and jitter),
// rejoins, and restores every registration and subscription with the same
// handlers and options; Registration.ID and Subscription.ID report the new
// ids. Operations in flight when the connection died fail with an error
// matching ErrSessionLost; operations started while reconnecting wait,
// bounded by their context, or fail at once (Reconnect.WhileDisconnected).
// Authentication failures and ABORTs that retrying cannot fix end the
// client (ErrGaveUp). State changes (joined, left, retrying, gave up) go
// to Reconnect.OnStateChange and the logger.
//
// # State, readiness and starting before the router
//
// Client.State reports the connection state (joined, left, retrying,
// connecting, gave up, closed) without blocking; Client.WaitJoined waits
// until the client is joined with every registration and subscription
// restored. With Reconnect.RetryOnFailedConnect, Dial returns a client
// even when the router is not up yet (StateConnecting) and keeps trying
// with the reconnect policy; work asked for meanwhile waits for the
// session. Client.Serializer names the negotiated serializer.
//
// # Statistics
//
// Client.Stats returns counters (calls started, succeeded and failed,
// results, invocations, events received, delivered and dropped,
// publications, messages and bytes in and out, reconnects) and the gauge
// of pending handler work with its peak. They are atomics updated where
// things happen, without locks, cheap enough to leave on.
//
// # Draining
//
// Client.Drain ends a client gracefully: it removes every subscription and
// registration, lets queued events and running invocations finish (their
// handlers' contexts stay alive), then says GOODBYE, all bounded by its
// context. Subscribe and Register fail with ErrDraining meanwhile.
//
// # Why a handler's context ended
//
// An invocation handler's context ends when the dealer interrupts the
// call, when a forwarded call timeout passes, when the procedure is
// unregistered, and when the session ends. context.Cause tells which: an
// *InterruptError (matching ErrInterrupted, with the cancel mode and the
// reason: ErrTimeout for the dealer's timeout, ErrCanceled for the caller's
// cancel), ErrTimeout for a forwarded timeout, or the session's end reason.
//
// # Caller errors and router features
//
// A bad argument (a malformed URI, an option out of range, an option
// value or argument the session's serializer cannot carry, a message over
// the router's size limit) fails the operation in the caller's goroutine
// with an *ArgumentError matching ErrInvalidArgument, before anything
// reaches the session: a request gets its request id only once it is known
// to fit the connection, so the ids on the wire never skip one. An option
// whose feature the router did not announce in WELCOME (Retain,
// GetRetained, pattern matching, shared registration, ForwardTimeout,
// RouterTimeout, …) fails with ErrNotSupported instead of being silently
// ignored.
//
// # Interceptors
//
// WithInterceptors installs hooks around outgoing calls and publications
// and incoming invocations and events: one place for tracing, metrics and
// custom headers, which travel in Options and Details under keys starting
// with "_" (the spec's implementation-specific keys; whether a router
// forwards them is up to the router). See the OpenTelemetry example of
// WithInterceptors.
//
// # Liveness
//
// Dial pings the router every 30s and declares the connection dead when no
// pong comes within 10s (WithKeepalive), so a half-open TCP connection
// cannot hang the client. Close is bounded by its context and by
// WithCloseTimeout. A GOODBYE from the router is answered and ends the
// session cleanly.
//
// # Authentication
//
// WithAuth offers authentication methods to the router, in order of
// preference; package auth (github.com/wampgo/wampgo/client/auth) provides
// them: ticket, WAMP-CRA, WAMP-Cryptosign, WAMP-SCRAM and handlers for
// other methods. The handshake runs during Dial or Connect, before the
// session loop exists. A failure is an *AuthError matching
// ErrAuthentication; secrets never appear in errors, logs or ABORT
// messages.
//
// # Errors
//
// Every ERROR from the router reaches the caller as an *Error carrying the
// URI, arguments, keyword arguments and details. A session that ends makes
// every pending operation fail with an error matching ErrClosed that also
// wraps the reason the session ended.
//
// # Payloads and typed values
//
// Arguments and keyword arguments may hold any Go value that
// payload.Encode accepts (structs, pointers, named types, slices, arrays,
// maps): the client converts them to the value set of package protocol on
// the caller's goroutine (a value without a payload form, such as a channel,
// fails the operation with an *ArgumentError naming its path). Every
// payload carrier (Result, Event, Invocation,
// Input, *Error) has Decode and DecodeKwargs to read its arguments back into
// Go values, strictly: a 2.5 where an int is wanted is an error naming its
// path, never a silent 0. TypedHandler, RegisterTyped and CallTyped (and
// PublishTyped, SubscribeTyped for events) take and return Go values
// directly, in the shapes other WAMP peers use (see payload.Pack).
//
// # Source files
//
// For contributors, the files follow one convention: for a feature X
// (call, invocation, publish, register, subscribe, reconnect, drain), X.go holds
// its caller side, the exported API that runs on the caller's goroutine
// and sends commands to the session loop, and X_loop.go its session-loop
// side, the handlers of those commands and of the router's messages, which
// run on the loop only. X_options.go holds a feature's options when they
// are many. loop.go is the loop itself and commands.go the command types;
// join.go and join_auth.go run the opening handshake on the goroutine of
// Dial or Connect, before the loop starts.
package client
