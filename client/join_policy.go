package client

// The join's defences against a router the client does not trust: how many
// CHALLENGE rounds it answers, where it reveals a secret, and when it
// insists on the router's proof of identity (join_auth.go applies them),
// with the options that relax them.

import (
	"errors"
	"net/netip"
	"net/url"
	"strings"
)

// maxChallengeRounds is how many CHALLENGE messages one join answers: room
// for multi-factor schemes, not for a router that would make the client
// derive keys for ever.
const maxChallengeRounds = 4

// Errors of the join's defences, for use with errors.Is. Both come wrapped
// in an *AuthError.
var (
	// ErrTooManyChallenges matches a join the router kept challenging
	// after maxChallengeRounds (4) answered CHALLENGE messages.
	ErrTooManyChallenges = errors.New("wampgo: too many authentication challenges")
	// ErrPlaintextSecret matches a CHALLENGE for a method that reveals a
	// secret (ticket, WAMP-CRA) on a connection without TLS to a host that
	// is not loopback (see WithPlaintextSecrets).
	ErrPlaintextSecret = errors.New("wampgo: refusing to reveal a secret over a connection without TLS to a remote host")
)

// policy is what the options of this file configure.
type policy struct {
	unverifiedRouter bool // WithUnverifiedRouter
	plaintextSecrets bool // WithPlaintextSecrets
	sameHostRedirect bool // WithSameHostRedirects
}

// WithUnverifiedRouter accepts a WELCOME without the router's proof of its
// identity even when every method given to WithAuth would check one
// (auth.SCRAM; auth.Cryptosign with channel binding). Without it, such a
// join fails with an *AuthError matching ErrRouterNotAuthenticated
// when the router sends WELCOME without having run the method, for
// example with authmethod "anonymous": a router that skips its proof may
// be anyone. When some method offered does not authenticate the router
// (ticket, WAMP-CRA, Cryptosign without channel binding), the router's
// choice of any method is accepted as before; check Session().AuthMethod if
// that matters.
func WithUnverifiedRouter() Option {
	return func(c *config) { c.policy.unverifiedRouter = true }
}

// WithPlaintextSecrets lets the client answer a ticket or WAMP-CRA
// CHALLENGE over a connection without TLS to a remote host. By default it
// answers one only over TLS (wss://, rss://, tcps://), to a loopback host
// (localhost, 127.0.0.0/8, ::1) or over a Unix socket, and otherwise ends
// the join with an *AuthError matching ErrPlaintextSecret: a ticket
// travels as is, and a WAMP-CRA response lets whoever reads it guess the
// secret offline. The host is the one of the URL given to Dial (or
// Reconnect.URLs); with Connect, the caller chose the connection, and only
// a transport that reports TLS (TLSConnectionStater) counts as secure.
func WithPlaintextSecrets() Option {
	return func(c *config) { c.policy.plaintextSecrets = true }
}

// WithSameHostRedirects lets the WebSocket opening handshake follow HTTP
// redirects to the same scheme and host (port included), such as a router
// that moved to another path. By default a redirect fails Dial with an
// error matching wsconn.ErrRedirect; a redirect to another host or scheme
// (wss:// to ws:// above all) fails it always.
func WithSameHostRedirects() Option {
	return func(c *config) { c.policy.sameHostRedirect = true }
}

// revealsSecret reports whether answering a CHALLENGE for method shows a
// secret, or what lets one guess it offline, to whoever reads the
// connection.
func revealsSecret(method string) bool { return method == "ticket" || method == "wampcra" }

// authenticatesRouter reports whether m's exchange proves the router's
// identity (RouterAuthenticator).
func authenticatesRouter(m Authenticator) bool {
	r, ok := m.(RouterAuthenticator)
	return ok && r.AuthenticatesRouter()
}

// localAddr reports whether the router at rawURL is reached without
// leaving the machine: a Unix socket, "localhost" or a loopback IP
// address. Names other than localhost are not resolved; they count as
// remote.
func localAddr(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil {
		return false
	}
	if strings.EqualFold(u.Scheme, "unix") {
		return true
	}
	host := strings.TrimSuffix(u.Hostname(), ".")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.Unmap().IsLoopback()
}
