// Package meta is the WAMP meta API as typed Go functions: the session,
// registration and subscription meta procedures and meta events
// (advanced/meta_api_sessions.md, meta_api_registrations.md,
// meta_api_subscriptions.md) and the session testaments
// (advanced/pubsub_testament.md).
//
// Every function takes the client to call through and blocks like
// Client.Call: ctx bounds the wait, an ERROR from the router comes back as
// the client's *client.Error (an unknown id also matches ErrNoSuchSession,
// ErrNoSuchRegistration or ErrNoSuchSubscription), and a result the router
// shaped otherwise than the spec says is a *PayloadError matching
// ErrBadPayload that names the field. The functions are safe for
// concurrent use, as the client is.
//
// Ids inside payloads are integers of whatever type the codec produced
// (int64 for JSON, for instance); this package turns them into protocol.ID
// and refuses values outside [1, 2^53].
//
// Routers differ in what they implement: fox-wamp answers
// wamp.session.count, list (with the ids as the positional results
// themselves, which SessionList accepts too) and get (with the session id
// only), and publishes on_join with its details in the keyword arguments,
// which OnJoin accepts too. The router of package client/wamptest implements the
// whole API.
package meta
