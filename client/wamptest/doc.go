// Package minirouter is a small in-process WAMP v2 router, dealer and
// broker, for wampgo's examples, benchmarks and tests: real routing between
// real sessions without starting an external router.
//
// It is written from the spec text (shared/wamp-spec, basic/*.md and the
// advanced feature chapters) and implements:
//
//   - sessions: HELLO → WELCOME on any realm that is a valid loose URI
//     (realms are created on first use and isolated from each other), the
//     GOODBYE handshake in both directions, ABORT
//     wamp.error.protocol_violation for every protocol error it detects
//     (invalid messages, messages out of place, request ids out of
//     sequence, YIELD or ERROR for an invocation never sent);
//   - the dealer: REGISTER/UNREGISTER (exact match, one callee per
//     procedure), CALL → INVOCATION → YIELD/ERROR → RESULT/ERROR, caller
//     identification, progressive call results, progressive call
//     invocations, call canceling (skip, kill, killnowait), dealer-side call
//     timeouts, and the callee's or caller's leaving during a call;
//   - the broker: SUBSCRIBE/UNSUBSCRIBE (exact match), PUBLISH → EVENT with
//     publisher exclusion, publisher identification, subscriber black- and
//     whitelisting by session id, authid and authrole, and PUBLISHED when
//     acknowledge is set;
//   - the session meta procedure wamp.session.count, answered by the router
//     itself.
//
// It is not a production router: there is no authentication (a session's
// authid and authrole are the ones its HELLO claims, or "anonymous-<id>"
// and "anonymous"), no authorization, no pattern-based or shared
// registrations and subscriptions, and each session's outgoing queue is
// unbounded.
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
// queue grow. Call timeouts are time.AfterFunc callbacks that take the same
// mutex. Close ends every session and waits for all of these goroutines.
package wamptest
