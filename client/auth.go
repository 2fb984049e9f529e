package client

import (
	"crypto/tls"
	"errors"
	"strings"

	"github.com/wampgo/wampgo/protocol"
)

// WithAuth makes the client authenticate as authid, offering the methods in
// order of preference (without it, HELLO offers nothing and routers that
// allow it grant anonymous access). Package auth builds the methods:
//
//	client.WithAuth("alice", auth.SCRAM(password), auth.Ticket(token))
//
// HELLO.Details then carries "authid" (left out when authid is empty, as
// WAMP-Cryptosign allows: the router identifies the client by its public
// key), "authmethods" (the methods' names, in the order given) and
// "authextra": the dict of WithAuthExtra merged with each method's own
// entries (Cryptosign's "pubkey", SCRAM's "nonce", "channel_binding"); two
// methods that need different values for one entry make the join fail.
// These replace any "authid", "authmethods" and "authextra" given with
// WithHelloDetails.
//
// The router answers with a CHALLENGE for one of the methods; the client
// answers it with AUTHENTICATE (see the method's constructor in package
// auth), possibly for several rounds, until the router sends WELCOME or
// ABORT. On WELCOME the methods that authenticate the router check its
// proof (SCRAM's verifier), and Client.Session reports the authid,
// authrole, authmethod and authprovider the router granted. When every
// method offered authenticates the router (auth.SCRAM, auth.Cryptosign with
// channel binding), a WELCOME that skips its proof (one for "anonymous" or
// for a method the router did not challenge for) fails the join with
// ErrRouterNotAuthenticated unless WithUnverifiedRouter is given;
// otherwise a WELCOME for a method that was not offered is accepted as the
// router's decision: check Session().AuthMethod if that matters.
//
// A ticket or WAMP-CRA CHALLENGE is answered only over TLS, to a loopback
// host or over a Unix socket (else ErrPlaintextSecret; see
// WithPlaintextSecrets), and at most four CHALLENGE messages are answered
// in one join (then ErrTooManyChallenges).
//
// Every authentication failure is an *AuthError matching
// ErrAuthentication:
//
//   - the router refused (ABORT such as wamp.error.not_authorized or
//     wamp.error.authentication_failed, or any ABORT after AUTHENTICATE):
//     its *AbortError, with the router's reason and message, is wrapped;
//   - a CHALLENGE for a method that was not offered (ErrAuthMethodNotOffered),
//     a CHALLENGE the method cannot use (ErrBadChallenge), a failed
//     channel binding (ErrChannelBinding), an error from a method
//     (such as an auth.TicketFunc's), or a WELCOME whose proof of the
//     router's identity is missing or wrong (ErrRouterNotAuthenticated):
//     the client sends ABORT wamp.error.authentication_failed, with the
//     error's text as the message, and closes the connection.
//
// An error that concerns the configuration or the connection (a bad key,
// channel binding unavailable on a connection without TLS, SCRAM without
// authid) ends the join before HELLO is sent.
//
// Secrets (tickets, WAMP-CRA secrets, private keys, passwords and what is
// derived from them) never appear in errors, logs, ABORT messages or the
// printed form of the authenticators: String, GoString and every fmt verb
// print only the method's name.
//
// The whole exchange is bounded by the join timeout (WithJoinTimeout) and
// the context of Dial or Connect, which is passed to Authenticate (and so to
// an auth.TicketFunc). Authenticate runs on a goroutine of its own: when
// the context ends first, the join returns at once with the context's
// error and abandons it. Key derivation (salted WAMP-CRA, SCRAM) stops with
// the context (PBKDF2) or is abandoned (Argon2id), and its cost is bounded
// by auth.KDFLimits.
func WithAuth(authid string, methods ...Authenticator) Option {
	return func(c *config) {
		c.auth.set = true
		c.auth.authid = authid
		c.auth.methods = methods
	}
}

// WithAuthExtra adds entries to HELLO.Details.authextra, passed through to
// the router as given (for example a Crossbar activation code). Entries
// that a method of WithAuth sets itself take that method's value.
func WithAuthExtra(extra protocol.Dict) Option {
	return func(c *config) {
		if c.auth.extra == nil {
			c.auth.extra = protocol.Dict{}
		}
		for k, v := range extra {
			c.auth.extra[k] = v
		}
	}
}

// authConfig is what WithAuth and WithAuthExtra configure.
type authConfig struct {
	set     bool // WithAuth was given: HELLO carries authid and authmethods
	authid  string
	methods []Authenticator
	extra   protocol.Dict // WithAuthExtra
}

// Authentication errors, for use with errors.Is. Every error of a join that
// failed for authentication is an *AuthError and matches ErrAuthentication;
// the others say why. Package auth returns ErrRouterNotAuthenticated,
// ErrChannelBinding and ErrBadChallenge under the same names
// (auth.ErrBadChallenge is ErrBadChallenge).
var (
	// ErrAuthentication matches every *AuthError: a router that refused
	// the credentials (the *AuthError then wraps its *AbortError), and a
	// handshake the client itself ended.
	ErrAuthentication = errors.New("wampgo: authentication failed")
	// ErrAuthMethodNotOffered matches a CHALLENGE for a method the client
	// did not offer in HELLO.
	ErrAuthMethodNotOffered = errors.New("wampgo: router challenged for a method that was not offered")
	// ErrRouterNotAuthenticated matches a WELCOME whose proof of the
	// router's identity is missing or wrong (the WAMP-SCRAM verifier; see
	// RouterAuthenticator).
	ErrRouterNotAuthenticated = errors.New("wampgo: router failed to authenticate itself")
	// ErrChannelBinding matches a TLS channel binding that was asked for
	// but is not available on the connection, or that the router did not
	// confirm.
	ErrChannelBinding = errors.New("wampgo: TLS channel binding unavailable or refused")
	// ErrBadChallenge matches a CHALLENGE whose fields the method cannot
	// use (missing, malformed, or KDF costs outside auth.KDFLimits).
	ErrBadChallenge = errors.New("wampgo: unusable authentication challenge")
)

// AuthError reports a join that failed for authentication. It matches
// ErrAuthentication with errors.Is; when the router refused the session, Err
// is its *AbortError (reachable with errors.As).
type AuthError struct {
	// Method is the authmethod concerned; empty when the router refused
	// before any method was chosen (for example, none it accepts was
	// offered).
	Method string
	// Err says what went wrong: the router's *AbortError, or the local
	// failure (matching ErrAuthMethodNotOffered, one of the sentinels of
	// package auth, or an error of an Authenticator).
	Err error
}

func (e *AuthError) Error() string {
	var b strings.Builder
	b.WriteString("wampgo: authentication")
	if e.Method != "" {
		b.WriteString(" (" + e.Method + ")")
	}
	b.WriteString(" failed")
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Err.
func (e *AuthError) Unwrap() error { return e.Err }

// Is reports whether target is ErrAuthentication.
func (e *AuthError) Is(target error) bool { return target == ErrAuthentication }

// TLSConnectionStater is implemented by transports that run over TLS and
// can report its state (as *wsconn.Conn does for wss:// connections, and
// the RawSocket transport for rss:// and tcps://). The
// join passes it to authenticators through AuthConn, for channel binding;
// on a transport without it, the connection counts as not using TLS.
type TLSConnectionStater interface {
	TLSConnectionState() (tls.ConnectionState, bool)
}
