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
// Every message the session hands on waits in a queue bounded in bytes and
// messages (Limits; by default 64 MiB or 512k messages, like nats.go's
// pending limits): a subscription's or registration's mailbox
// (MailboxLimits), a call's progressive results (ProgressBuffer,
// ProgressQueueLimits), an invocation's progressive inputs (64 chunks, 16
// for RegisterStream, and the registration's MailboxLimits bytes). What
// happens to a message that finds its queue full is an OverflowPolicy:
// Drop (drop it, count it, report it), Block (stop reading from the
// router until there is room) or Fail (fail its operation).
//
// When an event finds its subscription's mailbox full, the default policy
// (Drop) drops it, counts it (Subscription.Dropped) and reports a
// *SlowConsumerError to the error handler (WithErrorHandler) and the
// logger: the reader never waits, so a handler that calls back is never
// stuck behind its own queue. The opt-in Block policy instead stops
// reading from the router until the mailbox has room, pushing back on the
// router; use it only for handlers that never call the client. An
// invocation that finds its registration's mailbox full fails: it is
// answered with ERROR wamp.error.unavailable. Progressive results wait in
// a queue of the call's and are never dropped by default
// (OnProgressOverflow: Block). Progressive inputs a handler leaves unread
// past its window fail the invocation by default (OnOverflow on Register:
// Fail), or stop the session's reading under Block (RegisterStream's).
//
// # Memory
//
// A router may be hostile, so what it can make the client hold is bounded;
// the figures are for the defaults, and they count memory as codec.MemSize
// estimates it (what the Go runtime spends on each list, dict, string and
// number; within about 10% above the live heap, never far below it).
//
//   - One message: at most the read limit on the wire (WithReadLimit,
//     16 MiB) and, decoded, at most codec.Limits.MaxDecodedSize (4 times
//     the read limit, unless the codec was built with its own: 64 MiB). Decoding charges every list and dict before
//     allocating it and fails with codec.ErrDecodedTooLarge past the bound,
//     so a short input of many small values costs no more than that either.
//     Such a message costs only its operation, as one over the read limit
//     does (see WithReadLimit; MessageTooLargeError.Decoded is set). A
//     message of many small dicts (some 450 bytes each decoded) reaches
//     the bound near 2.3 MiB of JSON at the defaults: raise it with
//     codec.Limits.MaxDecodedSize through WithSerializers when a trusted
//     peer sends such messages.
//   - A subscription: its mailbox (MailboxLimits: 64 MiB, or a single
//     message when empty) and the event its handler holds: 128 MiB.
//   - A registration: its mailbox and the invocations its handlers hold
//     (one per Concurrency): 64 MiB plus 64 MiB per handler running; and
//     each running invocation's unread progressive inputs: 64 MiB
//     (MailboxLimits' bytes) plus the one its Inputs channel holds.
//   - A progressive call: its queue of results, the one Results holds
//     included (ProgressQueueLimits: 64 MiB; under Block one more result
//     of any size when the queue's bound is reached with nothing else
//     queued). A call canceled or timed out releases its queue at once.
//   - A call completed before its answer (canceled without waiting, timed
//     out): a tombstone of about 50 bytes, at most 4,096 of them, none
//     kept more than ten minutes.
//
// In total the client holds at most the sum of these over the
// subscriptions, registrations and progressive calls the application has
// open, plus the message being decoded. Under the Block policies one more
// message waits, parked, while the session stops reading.
//
// The queues' goroutines exist only while messages wait: a subscription's
// worker, a registration's (up to Concurrency), a call's or an
// invocation's feeder each ends when its queue is empty.
//
// # Call canceling
//
// The context given to Call governs the call. When it ends before the call
// does, the client sends CANCEL (if the router announced call_canceling)
// with the call's cancel mode: with "kill" the call completes when the
// router answers (or, if it has not answered within 10 seconds, without
// it, as with "killnowait"); with "skip" and "killnowait" it completes at
// once, and the
// router's late answer is discarded. Either way the call's error matches
// both ErrCanceled and the context's own error (context.Canceled, or
// context.DeadlineExceeded when its deadline passed), through Call and
// CallTyped alike; in kill mode the router's *Error is reachable with
// errors.As.
//
// # Byte streams
//
// CallStream, Call.Reader and RegisterStream move bytes over progressive
// calls as an io.Reader and an io.Writer at each end; CallTypedStream and
// RegisterTypedStream move a stream of Go values the same way. CallStream
// sends the caller's bytes as progressive call inputs
// (advanced/rpc_progressive_call_invocations.md); the callee's come back as
// progressive results (advanced/rpc_progressive_call_results.md). The
// chunk convention, which Autobahn|Python and autobahn-js peers follow
// when they send one binary argument per progressive message:
//
//   - each progressive message (CALL or INVOCATION, YIELD or RESULT, with
//     progress=true) carries one chunk: a []byte in args[0] (no argument,
//     or a nil args[0], is an empty chunk);
//   - the final message may carry the last chunk in args[0] (a []byte), or
//     none (no argument, or a first argument that is not binary: its
//     arguments are then only the call's result, as Await returns it);
//   - a progressive message whose args[0] is neither a []byte nor nil ends
//     the read with an error matching ErrStreamChunk.
//
// Writers cut chunks of at most DefaultStreamChunk (64 KiB), less when the
// connection's peer limits a message's size (a RawSocket router's
// announced maximum), so chunking is invisible. JSON carries a binary as a
// NUL character and base64 (the spec's convention): a chunk costs 4/3 of
// its size on the wire, an encoding and a decoding more than with
// MessagePack or CBOR, and chunks are cut smaller to fit a limit after that
// growth; prefer a binary serializer for large streams.
//
// Memory is bounded end to end. A writer waits while the session's write
// queue is full (WithWriteQueue). A reader keeps a bounded window
// (CallStream: 16 results in Results and 1 MiB queued; RegisterStream: 16
// input chunks), then the session stops reading from the router, as under
// the Block policy: a slow reader slows the router, and so the writer, as
// far as the router passes backpressure on. While it waits, the session's
// other incoming traffic waits too.
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
// client (ErrGaveUp). State changes (joined, left, retrying, restoring,
// gave up) go to Reconnect.OnStateChange and the logger.
//
// A registration or subscription the user did not remove is never given up
// because a restore failed for a reason that can pass: a router that still
// holds the dead session answers wamp.error.procedure_already_exists until
// it notices, and the client retries with the reconnect backoff meanwhile
// (StateRestoring; a *RestoreError per failed attempt to the error
// handler). Reconnect.KillStaleSession shortens that wait by killing the
// client's own previous session; ForceReregister asks routers that support
// it to take the procedure over. Only refusals about the request itself
// (wamp.error.invalid_uri, wamp.error.not_authorized, …) end it.
//
// A caller rides through a callee's restart with the call option
// WaitForCallee: a call refused with wamp.error.no_such_procedure or
// wamp.error.no_available_callee (no callee saw it, so sending it again is
// always safe) is sent again with backoff until a callee answers or the
// call's context ends.
//
// # State, readiness and starting before the router
//
// Client.State reports the connection state (joined, restoring, left,
// retrying, connecting, gave up, closed) without blocking;
// Client.WaitJoined waits until the client is joined with every
// registration and subscription restored, however many retries that takes. With Reconnect.RetryOnFailedConnect, Dial returns a client
// even when the router is not up yet (StateConnecting) and keeps trying
// with the reconnect policy; work asked for meanwhile waits for the
// session. Client.Serializer names the negotiated serializer.
//
// # Statistics
//
// Client.Stats returns counters (calls started, succeeded and failed,
// results, invocations, events received, delivered and dropped,
// publications, messages and bytes in and out, reconnects, WaitForCallee
// retries) and the gauges of pending handler work with its peak and of
// pending restores. They are atomics updated where
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
// # Options
//
// Every option is a functional option: a value made by a constructor
// (WithReconnect, Timeout, Match, …) and passed variadically, applied in
// order, a later one overriding an earlier one. Option configures Dial and
// Connect; CallOption, PublishOption, RegisterOption and SubscribeOption
// configure one operation, and an option valid for several operations
// (DiscloseMe, Match, RawOptions, …) has a type that is all of those
// (CallPublishOption, RegisterSubscribeOption, AnyOption), so one
// constructor serves them all. CloseOption configures Close and Drain.
//
// An option given a value that cannot be right (a negative or zero
// duration or bound where a positive one is needed; a nil function,
// logger, codec, authenticator or TLS config; an unknown policy;
// WithTLSConfig with a URL that does not use TLS; WithHTTPHeader with no
// WebSocket URL; an option that configures the connection Dial opens,
// given to Connect) is never ignored or replaced silently: Dial and
// Connect report it before connecting, and an operation before sending
// anything, as an *ArgumentError (its Arg names the option) matching
// ErrInvalidArgument; several wrong options are reported together
// (errors.Join). A zero Reconnect field takes its documented default, and
// WithKeyRing(nil) means no key ring.
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
// Package client defines the contract of a method (Authenticator,
// AuthStarter, AuthConn, RouterAuthenticator) and does not import package
// auth, nor package e2ee (WithKeyRing takes the KeyRing interface): a
// program that uses neither links none of their cryptography
// (golang.org/x/crypto, SASLprep).
//
// # Security
//
// The client does not trust the router: a multi-tenant router, a
// partner's, one across the internet may be hostile or taken over. What
// such a router can make the client spend or reveal is bounded by default;
// each option that relaxes a bound says so.
//
//   - Key derivation: the router picks the salted WAMP-CRA and WAMP-SCRAM
//     costs within auth.KDFLimits, whose defaults bound the total cost
//     (PBKDF2 600,000 block-iterations; Argon2id 128 MiB·passes, at most
//     64 MiB) well under a second, and refuse weak parameters (PBKDF2 below
//     1000 iterations, 4096 for SCRAM; Argon2id below 19 MiB or 2 passes)
//     with an *auth.KDFCostError. The join's deadline ends a derivation
//     (PBKDF2 stops; Argon2id is abandoned), and at most four CHALLENGE
//     messages are answered (ErrTooManyChallenges). Relax: auth.LimitKDF.
//   - Secrets in plaintext: a ticket or WAMP-CRA CHALLENGE is answered only
//     over TLS, to a loopback host or over a Unix socket
//     (ErrPlaintextSecret). Relax: WithPlaintextSecrets.
//   - The router's identity: with only methods that authenticate the
//     router (auth.SCRAM; auth.Cryptosign with auth.BindChannel), a WELCOME
//     without that proof fails the join (ErrRouterNotAuthenticated).
//     Relax: WithUnverifiedRouter. Cryptosign without channel binding signs
//     a challenge of the router's choosing, which a rogue router can relay
//     from another router; binding is off by default because routers that
//     lack it would refuse every join: turn it on where the router has it.
//   - Redirects: the WebSocket handshake follows none (wsconn.ErrRedirect),
//     so wss:// is never downgraded to ws://. Relax: WithSameHostRedirects
//     (same scheme and host only).
//   - TLS: certificates are verified, with the URL's host as ServerName;
//     WithTLSConfig with a URL without TLS fails Dial with an
//     *ArgumentError rather than connect in plaintext.
//   - Text: strings from the router (ABORT messages, ERROR arguments) are
//     quoted in errors' text, and URLs in errors and logs lose their
//     password, query and fragment.
//   - Memory a router can make the client hold: see the README's Security
//     section.
//
// # Errors
//
// Every ERROR from the router reaches the caller as an *Error carrying the
// URI, arguments, keyword arguments and details.
//
// A handler's errors reach its caller as documented on Handler: an *Error
// as it is, any other error as wamp.error.runtime_error with the error's
// text (so a handler decides what it discloses by what it returns). A
// panic is different: it is the service's private state, so the caller
// gets wamp.error.runtime_error with the args ["internal error"] only,
// while the panic value and its stack go to the error handler (a
// *HandlerPanicError) and the logger. WithPanicDetails(true) sends the
// panic's text to the caller instead, for development. A session that ends makes
// every pending operation fail with an error matching ErrClosed that also
// wraps the reason the session ended.
//
// errors.go holds the package's whole list of sentinels and error types.
// Every error type has a sentinel for errors.Is (*AbortError ErrAborted,
// *GoodbyeError ErrGoodbye, *SlowConsumerError ErrSlowConsumer,
// *HandlerPanicError ErrHandlerPanic, *RestoreError ErrRestoreFailed,
// *ArgumentError ErrInvalidArgument, *AuthError ErrAuthentication,
// *InterruptError ErrInterrupted, *MessageTooLargeError
// ErrMessageTooLarge, *StreamReadError ErrStreamRead); errors.As gives the
// details. *HandlerPanicError is
// the one panic type to match: a handler's panic and a panic of the
// session loop itself both arrive as it.
//
// # Payloads and typed values
//
// Arguments and keyword arguments may hold any Go value that
// codec.Normalize accepts (structs, pointers, named types, slices, arrays,
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
// # Payload passthru mode and end-to-end encryption
//
// The client announces payload_passthru_mode (advanced/payload_passthru_mode.md)
// in all four roles. WithPassthru sends a call's or publication's payload
// in passthru mode: the args and kwargs packed as {"args": …, "kwargs": …}
// with the named ppt_serializer (json, msgpack or cbor, whatever the
// session's serializer) into one binary argument that the router forwards
// without looking into it; with PassthruNative, one []byte argument goes
// as it is (MQTT and other gateways). Encrypted does the spec's "wamp"
// scheme, end-to-end encryption: CBOR, sealed with xsalsa20poly1305 or
// aes256gcm under a key of the client's key ring (WithKeyRing, package
// e2ee; keys by id, the spec's derived id or the application's own). Both
// are CallOptions and PublishOptions, so CallTyped and PublishTyped take
// them too. The router must announce the feature: otherwise the operation
// fails with ErrNotSupported and nothing is sent.
//
// Incoming INVOCATION, EVENT, RESULT and ERROR in passthru mode are
// unpacked (and opened) before anyone sees them, so Args, Kwargs and
// Decode work as for any message; the ppt_* keys stay in Details
// (PassthruOf reads them). A callee answers with the call's attributes,
// so an encrypted call gets an encrypted result, unless its handler calls
// Invocation.AnswerWith. A payload that cannot be unpacked, for a key the
// ring lacks, tampered with, or of an unknown cipher or serializer, fails
// only its own operation with a *PassthruError (matching ErrDecrypt,
// ErrUnknownKey, ErrUnknownCipher or ErrPassthruPayload): a result's Err;
// an invocation answered with wamp.error.invalid_argument; an event
// dropped. The last two are also reported to the error handler. Keys
// never appear in errors, logs or printed values. Progressive results and
// progressive call inputs travel as the call does, each chunk packed and
// unpacked alone. Not implemented: the flatbuffers serializer, and
// Autobahn's older enc_algo form (its payload reaches handlers as the one
// []byte argument).
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
// Dial or Connect, before the loop starts; join_policy.go holds its
// defences against a hostile router.
package client
