package client

// The authentication part of the join (join.go): the authenticators of
// WithAuth (package auth) prepared for one join, their entries in HELLO,
// the answers to CHALLENGE, the checks of WELCOME, and the errors.

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"

	"github.com/wampgo/wampgo/protocol"
)

// uriAuthenticationFailed is the ABORT reason the client sends when it ends
// an authentication handshake itself (a listed WAMP URI: the authentication
// was rejected because of a failure, here on the client's side).
const uriAuthenticationFailed = "wamp.error.authentication_failed"

// authAbortReasons are the ABORT reasons that report a refused
// authentication, whether or not the client offered a method.
var authAbortReasons = []string{
	"wamp.error.not_authorized",
	"wamp.error.authentication_denied",
	"wamp.error.authentication_failed",
	"wamp.error.authentication_required",
	"wamp.error.no_auth_method",
	"wamp.error.no_such_principal",
	"wamp.error.no_such_role",
	"wamp.error.cannot_authenticate",
}

// joinConn is what the authenticators of one join see of it (AuthConn).
type joinConn struct {
	t      protocol.Transport
	authid string
}

func (c joinConn) AuthID() string { return c.authid }

func (c joinConn) TLSConnectionState() (tls.ConnectionState, bool) {
	if s, ok := c.t.(TLSConnectionStater); ok {
		return s.TLSConnectionState()
	}
	return tls.ConnectionState{}, false
}

// authJoin is the authentication state of one join. It is used by join
// only, on the goroutine running Connect.
type authJoin struct {
	cfg        *authConfig
	policy     policy
	log        *slog.Logger
	conn       joinConn
	addr       string          // the router's URL; "" when unknown (Connect)
	methods    []Authenticator // per-join instances, in order of preference
	challenged []string        // methods the router challenged for, in order
	rounds     int             // CHALLENGE messages answered
}

// startAuth prepares the configured authenticators for one join over t to
// the router at addr ("" when unknown).
func startAuth(t protocol.Transport, addr string, cfg *config) (*authJoin, error) {
	a := &authJoin{cfg: &cfg.auth, policy: cfg.policy, log: cfg.logger, addr: addr,
		conn: joinConn{t: t, authid: cfg.auth.authid}}
	seen := map[string]bool{}
	for _, m := range a.cfg.methods {
		if m == nil {
			return nil, errors.New("wampgo: WithAuth: nil Authenticator")
		}
		name := m.Method()
		if name == "" || seen[name] {
			return nil, fmt.Errorf("wampgo: WithAuth: method %q offered twice or empty", name)
		}
		seen[name] = true
		if s, ok := m.(AuthStarter); ok {
			inst, err := s.Start(a.conn)
			if err != nil {
				return nil, &AuthError{Method: name, Err: err}
			}
			m = inst
		}
		a.methods = append(a.methods, m)
	}
	return a, nil
}

// helloDetails adds authid, authmethods and authextra to HELLO.Details.
// Entries set by WithHelloDetails stay unless WithAuth was given.
func (a *authJoin) helloDetails(details protocol.Dict) error {
	if !a.cfg.set && a.cfg.extra == nil {
		return nil
	}
	extra := protocol.Dict{}
	if prev, ok := details["authextra"].(protocol.Dict); ok && !a.cfg.set {
		for k, v := range prev {
			extra[k] = v
		}
	}
	for k, v := range a.cfg.extra {
		extra[k] = v
	}
	owner := map[string]string{}
	for _, m := range a.methods {
		for k, v := range m.HelloExtra() {
			if prev, ok := owner[k]; ok && !sameValue(extra[k], v) {
				return fmt.Errorf("wampgo: WithAuth: methods %s and %s need different values for authextra.%s", prev, m.Method(), k)
			}
			owner[k] = m.Method()
			extra[k] = v
		}
	}
	if a.cfg.set {
		if a.cfg.authid != "" {
			details["authid"] = a.cfg.authid
		} else {
			delete(details, "authid")
		}
		names := make(protocol.List, len(a.methods))
		for i, m := range a.methods {
			names[i] = m.Method()
		}
		details["authmethods"] = names
	}
	if len(extra) > 0 {
		details["authextra"] = extra
	}
	return nil
}

// sameValue compares authextra contributions (strings, nil, numbers).
func sameValue(a, b any) bool {
	defer func() { recover() }() // incomparable values are different
	return a == b
}

// find returns the authenticator for method, or nil.
func (a *authJoin) find(method string) Authenticator {
	for _, m := range a.methods {
		if m.Method() == method {
			return m
		}
	}
	return nil
}

// offered lists the offered method names, for error messages.
func (a *authJoin) offered() string {
	names := make([]string, len(a.methods))
	for i, m := range a.methods {
		names[i] = m.Method()
	}
	return "[" + strings.Join(names, ", ") + "]"
}

// challenge answers ch, returning the AUTHENTICATE to send or the error
// that ends the join. The method's Authenticate runs on a goroutine of its
// own: when ctx ends first, challenge returns at once and abandons it (its
// result is dropped), so that a derivation the router made costly cannot
// hold the join past its deadline.
func (a *authJoin) challenge(ctx context.Context, ch *protocol.Challenge) (*protocol.Authenticate, error) {
	if a.rounds == maxChallengeRounds {
		return nil, &AuthError{Method: ch.AuthMethod, Err: fmt.Errorf("%w: %d answered", ErrTooManyChallenges, a.rounds)}
	}
	a.rounds++
	m := a.find(ch.AuthMethod)
	if m == nil {
		return nil, &AuthError{Method: ch.AuthMethod, Err: fmt.Errorf("%w: %q (offered: %s)",
			ErrAuthMethodNotOffered, ch.AuthMethod, a.offered())}
	}
	if revealsSecret(ch.AuthMethod) && !a.policy.plaintextSecrets && !a.secure() {
		return nil, &AuthError{Method: ch.AuthMethod, Err: fmt.Errorf("%w: %s (see WithPlaintextSecrets)",
			ErrPlaintextSecret, redactURL(a.addr))}
	}
	if !slices.Contains(a.challenged, ch.AuthMethod) {
		a.challenged = append(a.challenged, ch.AuthMethod)
	}
	type answer struct {
		sig   string
		extra protocol.Dict
		err   error
	}
	done := make(chan answer, 1) // buffered: an abandoned answer never blocks
	go func() {
		defer func() {
			if p := recover(); p != nil {
				// The panic value may hold a secret: it is logged, not
				// sent to the router.
				a.log.Error("wampgo: authenticator panicked", "method", ch.AuthMethod, "panic", p)
				done <- answer{err: errors.New("the authenticator panicked")}
			}
		}()
		sig, extra, err := m.Authenticate(ctx, ch)
		done <- answer{sig, extra, err}
	}()
	var r answer
	select {
	case r = <-done:
	case <-ctx.Done():
	}
	if ctx.Err() != nil {
		// Out of time, not refused: a reconnecting client tries again.
		return nil, fmt.Errorf("wampgo: answering the %s CHALLENGE: %w", ch.AuthMethod, ctx.Err())
	}
	if r.err != nil {
		return nil, &AuthError{Method: ch.AuthMethod, Err: r.err}
	}
	if r.extra == nil {
		r.extra = protocol.Dict{}
	}
	return &protocol.Authenticate{Signature: r.sig, Extra: r.extra}, nil
}

// secure reports whether a secret may travel on the join's connection: it
// runs over TLS, or to a loopback host or Unix socket, or its address is
// unknown (Connect: the caller chose the connection).
func (a *authJoin) secure() bool {
	if _, ok := a.conn.TLSConnectionState(); ok {
		return true
	}
	return a.addr == "" || localAddr(a.addr)
}

// welcome checks the WELCOME: when every method offered authenticates the
// router, the WELCOME must be for one the router challenged for (unless
// WithUnverifiedRouter); then VerifyWelcome of the method the WELCOME names
// and of every method the router challenged for runs.
func (a *authJoin) welcome(w *protocol.Welcome) error {
	am, _ := w.Details["authmethod"].(string)
	if a.needRouterProof() {
		if m := a.find(am); m == nil || !slices.Contains(a.challenged, am) {
			return &AuthError{Method: am, Err: fmt.Errorf("%w: WELCOME for authmethod %q without running any of %s (see WithUnverifiedRouter)",
				ErrRouterNotAuthenticated, am, a.offered())}
		}
	}
	names := slices.Clone(a.challenged)
	if am != "" && !slices.Contains(names, am) {
		names = append(names, am)
	}
	for _, name := range names {
		m := a.find(name)
		if m == nil {
			continue // a method the router chose on its own, such as anonymous
		}
		if err := m.VerifyWelcome(w); err != nil {
			return &AuthError{Method: name, Err: err}
		}
	}
	return nil
}

// needRouterProof reports whether the WELCOME must follow the run of a
// method that authenticates the router: every method offered is one, and
// WithUnverifiedRouter was not given.
func (a *authJoin) needRouterProof() bool {
	if a.policy.unverifiedRouter || !a.cfg.set || len(a.methods) == 0 {
		return false
	}
	for _, m := range a.methods {
		if !authenticatesRouter(m) {
			return false
		}
	}
	return true
}

// abortError turns the router's ABORT into the join's error: an *AuthError
// wrapping the *AbortError when it refused an authentication.
func (a *authJoin) abortError(ae *AbortError) error {
	method := ""
	if n := len(a.challenged); n > 0 {
		method = a.challenged[n-1]
	}
	if method != "" || slices.Contains(authAbortReasons, ae.Reason) {
		return &AuthError{Method: method, Err: ae}
	}
	return ae
}

// abortAuth sends ABORT wamp.error.authentication_failed for err, best
// effort. err's text must hold no secret (see Authenticator).
func abortAuth(t protocol.Transport, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), abortSendTimeout)
	defer cancel()
	t.Send(ctx, &protocol.Abort{
		Reason:  uriAuthenticationFailed,
		Details: protocol.Dict{"message": err.Error()},
	})
}
