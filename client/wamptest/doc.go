// Package wamptest is a test kit for code that uses wampgo: an in-process
// WAMP v2 router, clients joined to it in one call over in-memory pipes or
// a loopback WebSocket, fault injection for resilience tests, and a log of
// every message each session sent and received. It plays for WAMP the part
// net/http/httptest plays for HTTP.
//
// # Testing code that uses wampgo
//
// A test starts a router, joins the clients its code needs and asserts on
// what they see:
//
//	func TestOrders(t *testing.T) {
//		r := wamptest.NewTestRouter(t)           // closed when the test ends
//		svc := r.Client(t, "realm1")             // joined over an in-memory pipe
//		startOrderService(t.Context(), svc)      // the code under test
//		caller := r.Client(t, "realm1")
//		res, err := caller.Call(t.Context(), "com.example.order", protocol.List{"A-17"}, nil).Await(t.Context())
//		...
//	}
//
// The in-memory path uses no sockets, so a test can run entirely inside a
// testing/synctest bubble: create the router inside the bubble, join
// clients, close everything before the bubble ends (NewTestRouter and
// Client do it in t.Cleanup), and every timer, the router's (call
// timeouts, the close grace) and the client's (reconnection backoff), runs
// on the bubble's fake clock. ListenWebSocket, ListenRawSocket and
// ServeRawSocket (RawSocket over TCP, TLS or a Unix socket) use real
// sockets and belong outside bubbles.
//
// # Checking for leaked goroutines
//
// A bubble proves that nothing outlives the test. Outside one (tests over
// ListenWebSocket, or your own code's real dialling), check the whole
// package with go.uber.org/goleak, which wampgo's own tests use too:
//
//	func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
//
// It fails the package when a client, handler or subscription goroutine of
// the code under test is still running after the tests; clients made with
// Client are closed by t.Cleanup before it looks.
//
// Fault injection acts on a session by id (Client.Session().ID): Drop cuts
// the connection as a network failure would, Stall freezes it until Resume,
// Kill ends the session with GOODBYE and a reason (as wamp.session.kill
// does), Abort with ABORT; Stop and Start take the whole router down and up
// again, and Dial lets a reconnecting client (client.WithReconnect) live on
// in-memory pipes. Log returns the messages of a session for assertions on
// the wire traffic.
//
// # What the router implements
//
// It is written from the WAMP spec (basic/ and advanced/):
//
//   - sessions: HELLO → WELCOME on any realm that is a valid URI (realms
//     are created on first use and isolated from each other), the GOODBYE
//     handshake in both directions, ABORT wamp.error.protocol_violation for
//     every protocol error it detects (invalid messages, messages out of
//     place, request ids out of sequence, YIELD or ERROR for an invocation
//     never sent);
//   - authentication of the users given with WithUser: ticket, WAMP-CRA
//     (salted or not), cryptosign and WAMP-SCRAM (PBKDF2 or Argon2id), and
//     anonymous sessions unless WithoutAnonymous; channel binding is not
//     offered;
//   - the dealer: REGISTER/UNREGISTER with exact, prefix and wildcard
//     matching and shared registrations (invoke single, roundrobin, random,
//     first, last), CALL → INVOCATION → YIELD/ERROR → RESULT/ERROR, caller
//     identification, progressive call results and invocations, call
//     canceling (skip, kill, killnowait), dealer-side call timeouts, and
//     the callee's or caller's leaving during a call;
//   - the broker: SUBSCRIBE/UNSUBSCRIBE with exact, prefix and wildcard
//     matching, PUBLISH → EVENT with publisher exclusion, publisher
//     identification, black- and whitelisting by session id, authid and
//     authrole, event retention (retain, get_retained), and PUBLISHED when
//     acknowledge is set;
//   - payload passthru mode (announced as dealer and broker): the ppt_*
//     keys and the binary payload are forwarded untouched, never decoded;
//     a client that uses it without announcing it breaks the protocol, and
//     a call routed to a callee that did not announce it fails with
//     wamp.error.feature_not_supported; Log.PassthruPayloads shows what
//     crossed the router;
//   - implementation-specific keys (starting with "_", basic/messages.md)
//     of CALL, PUBLISH, YIELD and ERROR are forwarded into the INVOCATION,
//     EVENT, RESULT and ERROR they cause, so that trace context and custom
//     headers reach the peer;
//   - the session, registration and subscription meta procedures and meta
//     events (advanced/meta_api_*.md; meta events about subscriptions to
//     wamp. topics are not published), and session testaments
//     (wamp.session.add_testament and flush_testaments, published when the
//     session is lost or leaves, detached scope first). Package
//     client/meta calls them with types.
//
// It is not a production router: there is no authorization, no session
// resumption, and each session's outgoing queue is unbounded.
//
// # Concurrency
//
// One mutex, Router.mu, guards all routing state: realms, sessions,
// registrations, subscriptions and calls. Each connection has two
// goroutines: its reader (the goroutine running Serve) takes the messages
// from the transport, validates each and handles it under the mutex; its
// writer sends the session's queued messages to the transport. Handling a
// message never blocks on a transport: what it routes to any session is
// appended to that session's outbox and the writer sends it later, in
// order. A slow peer therefore never stalls the others; it only lets its own
// queue grow. Call timeouts and the wait for a GOODBYE answer are
// time.AfterFunc callbacks that take the same mutex. Close ends every
// session and waits for all of these goroutines.
package wamptest
