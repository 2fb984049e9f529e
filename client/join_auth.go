package client

// The authentication part of the join (join.go): the authenticators of
// WithAuth (package auth) prepared for one join, their entries in HELLO,
// the answers to CHALLENGE, the checks of WELCOME, and the errors.

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/wampgo/wampgo/client/auth"
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

// joinConn is what the authenticators of one join see of it (auth.Conn).
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
	methods    []auth.Authenticator // per-join instances, in order of preference
	challenged []string             // methods the router challenged for, in order
}

// startAuth prepares the configured authenticators for one join over t.
func startAuth(t protocol.Transport, cfg *authConfig) (*authJoin, error) {
	a := &authJoin{cfg: cfg}
	seen := map[string]bool{}
	for _, m := range cfg.methods {
		if m == nil {
			return nil, errors.New("wampgo: WithAuth: nil Authenticator")
		}
		name := m.Method()
		if name == "" || seen[name] {
			return nil, fmt.Errorf("wampgo: WithAuth: method %q offered twice or empty", name)
		}
		seen[name] = true
		if s, ok := m.(auth.Starter); ok {
			inst, err := s.Start(joinConn{t: t, authid: cfg.authid})
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
func (a *authJoin) find(method string) auth.Authenticator {
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
// that ends the join.
func (a *authJoin) challenge(ctx context.Context, ch *protocol.Challenge) (*protocol.Authenticate, error) {
	m := a.find(ch.AuthMethod)
	if m == nil {
		return nil, &AuthError{Method: ch.AuthMethod, Err: fmt.Errorf("%w: %q (offered: %s)",
			ErrAuthMethodNotOffered, ch.AuthMethod, a.offered())}
	}
	if !slices.Contains(a.challenged, ch.AuthMethod) {
		a.challenged = append(a.challenged, ch.AuthMethod)
	}
	sig, extra, err := m.Authenticate(ctx, ch)
	if err != nil {
		return nil, &AuthError{Method: ch.AuthMethod, Err: err}
	}
	if extra == nil {
		extra = protocol.Dict{}
	}
	return &protocol.Authenticate{Signature: sig, Extra: extra}, nil
}

// welcome runs VerifyWelcome of the method the WELCOME names and of every
// method the router challenged for.
func (a *authJoin) welcome(w *protocol.Welcome) error {
	names := slices.Clone(a.challenged)
	if am, _ := w.Details["authmethod"].(string); am != "" && !slices.Contains(names, am) {
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
