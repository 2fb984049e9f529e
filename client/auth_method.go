package client

import (
	"context"
	"crypto/tls"

	"github.com/wampgo/wampgo/protocol"
)

// The contract between the join and the authentication methods that
// WithAuth offers. Package client defines it, and package auth
// (github.com/wampgo/wampgo/client/auth) implements it, so that importing
// client does not import auth and its cryptography (golang.org/x/crypto,
// SASLprep): a program that does not authenticate, or that brings methods
// of its own, does not link them. auth.Authenticator, auth.Conn,
// auth.Starter and auth.RouterAuthenticator are these types under other
// names.

// Authenticator performs one WAMP authentication method on the client side.
// WithAuth offers a list of them to the router, in order of preference;
// package auth builds the standard ones (auth.Ticket, auth.WAMPCRA,
// auth.Cryptosign, auth.SCRAM, auth.ChallengeHandler).
//
// During a join, the methods are called one at a time, in this order:
// HelloExtra once, before HELLO is sent; Authenticate once for each
// CHALLENGE naming Method (usually one; a router may send more for
// multi-factor schemes, up to four); VerifyWelcome once if the WELCOME
// names Method or the router challenged for it. Authenticate runs on a
// goroutine of its own and should return when ctx ends: the join does not
// wait for it then, and drops its result. The authenticators of package
// auth keep their per-join state apart (see AuthStarter), so one value may
// serve any number of joins, concurrently too; an Authenticator of your
// own that keeps state between these calls must do the same or must not
// be shared.
//
// Implementations must never put secrets into errors, logs or their printed
// form: the errors are returned to the caller of Dial and their text is
// sent to the router in ABORT.Details.message.
type Authenticator interface {
	// Method is the authmethod announced in HELLO.Details.authmethods and
	// named by the router's CHALLENGE, such as "ticket".
	Method() string
	// HelloExtra returns the entries this method adds to
	// HELLO.Details.authextra, or nil.
	HelloExtra() protocol.Dict
	// Authenticate answers a CHALLENGE for Method with the AUTHENTICATE
	// signature and extra dict (nil is sent as {}). An error ends the join:
	// the client sends ABORT and Dial returns an *AuthError wrapping it.
	// ctx ends with the join's deadline.
	Authenticate(ctx context.Context, ch *protocol.Challenge) (signature string, extra protocol.Dict, err error)
	// VerifyWelcome checks the router's WELCOME, for methods that
	// authenticate the router too (WAMP-SCRAM checks the server
	// signature). An error ends the join as for Authenticate.
	VerifyWelcome(w *protocol.Welcome) error
}

// AuthConn is what an authenticator may see of the join it serves: the
// authid the client announces and the TLS state of the connection. The
// join implements it for AuthStarter.Start; its methods may be called from
// any goroutine, during Start only.
type AuthConn interface {
	// AuthID returns the authid given to WithAuth ("" for none).
	AuthID() string
	// TLSConnectionState returns the state of the TLS connection the join
	// runs over, and false when it does not run over TLS.
	TLSConnectionState() (tls.ConnectionState, bool)
}

// AuthStarter is implemented by authenticators that keep state for one
// join (such as a nonce) or need to see its connection (channel binding).
// For each join, before HELLO, the client calls Start once and uses the
// Authenticator it returns, in place of the shared value, for that join
// only. An error ends the join before HELLO is sent (Dial returns an
// *AuthError wrapping it); its text must hold no secret.
type AuthStarter interface {
	Start(c AuthConn) (Authenticator, error)
}

// RouterAuthenticator is implemented by authenticators whose exchange, when
// it runs, proves the router's identity too: WAMP-SCRAM (the WELCOME's
// verifier) and WAMP-Cryptosign with channel binding (the signature is
// bound to the TLS connection, whose certificate the client verified).
// When every method offered reports true, the join refuses a WELCOME that
// skips that proof (one naming another method, such as "anonymous", or one
// without a CHALLENGE for the method) with an error matching
// ErrRouterNotAuthenticated, unless WithUnverifiedRouter is given.
type RouterAuthenticator interface {
	AuthenticatesRouter() bool
}
