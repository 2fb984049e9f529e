// Package auth holds the WAMP authentication methods for package client:
// ticket (Ticket, TicketFunc), WAMP-CRA (WAMPCRA), WAMP-Cryptosign
// (Cryptosign and its variants reading seeds and key files) and WAMP-SCRAM
// (SCRAM), plus ChallengeHandler for any other method. Offer them to the
// router, in order of preference, with client.WithAuth:
//
//	c, err := client.Dial(ctx, url, "realm1",
//		client.WithAuth("alice", auth.SCRAM(password), auth.Ticket(token)))
//
// client.WithAuth describes the handshake and its errors: every failure is
// a *client.AuthError matching client.ErrAuthentication, and the sentinels
// ErrBadChallenge, ErrChannelBinding and ErrRouterNotAuthenticated (the
// values of package client of the same names) say why when the client
// itself ended it.
//
// Package client defines the interfaces an authentication method
// implements (client.Authenticator, client.AuthStarter, client.AuthConn,
// client.RouterAuthenticator) and does not import this package, so that a
// program without authentication does not link its cryptography
// (golang.org/x/crypto, SASLprep). Authenticator, Starter, Conn and
// RouterAuthenticator here are aliases of those types.
//
// # Secrets
//
// Tickets, WAMP-CRA secrets, private keys, passwords and what is derived
// from them never appear in errors, logs, ABORT messages or the printed
// form of an authenticator: String, GoString and every fmt verb print only
// the method's name, as "wamp-scram(****)".
//
// # Concurrency
//
// The authenticators are immutable after construction; what a join needs
// of its own (SCRAM's nonce, the TLS channel binding data) lives in the
// value Starter.Start returns for that join. One authenticator may
// therefore serve any number of joins and clients, concurrently.
//
// # Writing an authenticator
//
// An Authenticator of your own answers the CHALLENGEs of its method; it
// implements Starter too if it keeps per-join state or needs the TLS state
// of the connection (Conn), for example to compute channel binding data.
package auth
