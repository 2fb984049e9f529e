package auth

import (
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/client"
)

// Authenticator performs one WAMP authentication method on the client side:
// it is client.Authenticator, whose documentation states the contract (the
// order of the calls, concurrency, secrets). The authenticators of this
// package keep their per-join state apart (see Starter), so one value may
// serve any number of joins, concurrently too.
//
// The interfaces of this file are defined in package client, so that
// client does not import this package and its cryptography; their names
// here are aliases, interchangeable with client's.
type Authenticator = client.Authenticator

// Conn is what an authenticator may see of the join it serves: the authid
// the client announces and the TLS state of the connection. It is
// client.AuthConn: package client implements it for Starter.Start; its
// methods may be called from any goroutine, during Start only.
type Conn = client.AuthConn

// Starter is implemented by authenticators that keep state for one join
// (such as a nonce) or need to see its connection (channel binding). It is
// client.AuthStarter: for each join, before HELLO, the client calls Start
// once and uses the Authenticator it returns, in place of the shared value,
// for that join only. An error ends the join before HELLO is sent (Dial
// returns a *client.AuthError wrapping it); its text must hold no secret.
type Starter = client.AuthStarter

// RouterAuthenticator is implemented by authenticators whose exchange, when
// it runs, proves the router's identity too: WAMP-SCRAM (the WELCOME's
// verifier) and WAMP-Cryptosign with channel binding. It is
// client.RouterAuthenticator: when every method offered reports true,
// package client refuses a WELCOME that skips that proof with an error
// matching ErrRouterNotAuthenticated, unless client.WithUnverifiedRouter is
// given.
type RouterAuthenticator = client.RouterAuthenticator

// Errors of the authenticators, for use with errors.Is. Package client
// wraps them in a *client.AuthError, which also matches
// client.ErrAuthentication. ErrRouterNotAuthenticated, ErrChannelBinding
// and ErrBadChallenge are the values of package client of the same names
// (the join reports them too).
var (
	// ErrRouterNotAuthenticated matches a WELCOME whose proof of the
	// router's identity is missing or wrong (the WAMP-SCRAM verifier).
	ErrRouterNotAuthenticated = client.ErrRouterNotAuthenticated
	// ErrChannelBinding matches a TLS channel binding that was asked for
	// but is not available on the connection, or that the router did not
	// confirm.
	ErrChannelBinding = client.ErrChannelBinding
	// ErrBadChallenge matches a CHALLENGE whose fields the method cannot
	// use (missing, malformed, or KDF costs outside KDFLimits).
	ErrBadChallenge = client.ErrBadChallenge
	// ErrPassphrase matches a key file that is encrypted and was given no
	// passphrase (see KeyPassphrase), or the wrong one.
	ErrPassphrase = errors.New("wampgo: key file needs its passphrase, or the passphrase is wrong")
)

// secret holds key material. Authenticators keep it behind a pointer, so
// that even reflection-based printing of a struct that contains one (fmt
// printing unexported fields) shows an address, never the bytes.
type secret struct{ b []byte }

func newSecret(s string) *secret { return &secret{b: []byte(s)} }

// redacted formats an authenticator as name(****): whatever the verb, no
// field is printed.
func redacted(f fmt.State, name string) { fmt.Fprint(f, name+"(****)") }
