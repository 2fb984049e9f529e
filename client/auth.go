package client

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/wampgo/wampgo/protocol"
)

// Authenticator performs one WAMP authentication method on the client side.
// WithAuth offers a list of them to the router, in order of preference.
//
// During a join, the methods are called from the goroutine running Dial or
// Connect, in this order: HelloExtra once, before HELLO is sent; Authenticate
// once for each CHALLENGE naming Method (usually one; a router may send more
// for multi-factor schemes); VerifyWelcome once if the WELCOME names Method
// or the router challenged for it. The authenticators built by this package
// keep their per-join state apart, so one value may serve any number of
// joins, concurrently too; an Authenticator of your own that keeps state
// between these calls must do the same or must not be shared.
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

// Authentication errors, for use with errors.Is. Every error of a join that
// failed for authentication is an *AuthError and matches ErrAuthentication;
// the more specific sentinels say why.
var (
	// ErrAuthentication matches every *AuthError: a router that refused
	// the credentials (the *AuthError then wraps its *AbortError), and a
	// handshake the client itself ended.
	ErrAuthentication = errors.New("wampgo: authentication failed")
	// ErrAuthMethodNotOffered matches a CHALLENGE for a method the client
	// did not offer in HELLO.
	ErrAuthMethodNotOffered = errors.New("wampgo: router challenged for a method that was not offered")
	// ErrRouterNotAuthenticated matches a WELCOME whose proof of the
	// router's identity is missing or wrong (the WAMP-SCRAM verifier).
	ErrRouterNotAuthenticated = errors.New("wampgo: router failed to authenticate itself")
	// ErrChannelBinding matches a TLS channel binding that was asked for
	// but is not available on the connection, or that the router did not
	// confirm.
	ErrChannelBinding = errors.New("wampgo: TLS channel binding unavailable or refused")
	// ErrBadChallenge matches a CHALLENGE whose fields the method cannot
	// use (missing, malformed, or KDF costs outside KDFLimits).
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
	// failure (matching one of ErrAuthMethodNotOffered,
	// ErrRouterNotAuthenticated, ErrChannelBinding, ErrBadChallenge, or an
	// error of an Authenticator).
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

// authConfig is what WithAuth and WithAuthExtra configure.
type authConfig struct {
	set     bool // WithAuth was given: HELLO carries authid and authmethods
	authid  string
	methods []Authenticator
	extra   protocol.Dict // WithAuthExtra
}

// joinStarter is implemented by the package's authenticators that keep
// per-join state or need the connection: beginJoin returns the instance
// for one join, or an error that stops the join before HELLO.
type joinStarter interface {
	beginJoin(conn *joinConn) (Authenticator, error)
}

// joinConn is what an authenticator may learn about the connection.
type joinConn struct {
	t      protocol.Transport
	authid string
}

// authJoin is the authentication state of one join. It is used by join
// only, on the goroutine running Connect.
type authJoin struct {
	cfg        *authConfig
	methods    []Authenticator // per-join instances, in order of preference
	challenged []string        // methods the router challenged for, in order
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
		if s, ok := m.(joinStarter); ok {
			inst, err := s.beginJoin(&joinConn{t: t, authid: cfg.authid})
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

// ChallengeHandler returns an Authenticator for a method this package does
// not implement: fn answers each CHALLENGE for method with the AUTHENTICATE
// signature and extra dict. Put what the method needs in HELLO's authextra
// with WithAuthExtra. fn's errors end the join (see Authenticator); their
// text must hold no secret.
func ChallengeHandler(method string, fn func(ctx context.Context, ch *protocol.Challenge) (signature string, extra protocol.Dict, err error)) Authenticator {
	return &handlerAuth{method: method, fn: fn}
}

type handlerAuth struct {
	method string
	fn     func(context.Context, *protocol.Challenge) (string, protocol.Dict, error)
}

func (h *handlerAuth) Method() string            { return h.method }
func (h *handlerAuth) HelloExtra() protocol.Dict { return nil }
func (h *handlerAuth) Authenticate(ctx context.Context, ch *protocol.Challenge) (string, protocol.Dict, error) {
	if h.fn == nil {
		return "", nil, errors.New("no challenge handler function")
	}
	return h.fn(ctx, ch)
}
func (h *handlerAuth) VerifyWelcome(*protocol.Welcome) error { return nil }
func (h *handlerAuth) String() string                        { return "handler(" + h.method + ")" }
func (h *handlerAuth) GoString() string                      { return h.String() }
func (h *handlerAuth) Format(f fmt.State, _ rune)            { fmt.Fprint(f, h.String()) }

// redacted formats an authenticator as name(****): whatever the verb, no
// field is printed.
func redacted(f fmt.State, name string) { fmt.Fprint(f, name+"(****)") }

// extraString returns d[key] as a string.
func extraString(d protocol.Dict, key string) (string, bool) {
	s, ok := d[key].(string)
	return s, ok
}

// extraInt returns d[key] as an int, accepting every integer type and
// integral floats (what the codecs may produce), within int's range.
func extraInt(d protocol.Dict, key string) (int, bool) {
	switch n := d[key].(type) {
	case int:
		return n, true
	case int64:
		if n < math.MinInt || n > math.MaxInt {
			return 0, false
		}
		return int(n), true
	case int32:
		return int(n), true
	case uint64:
		if n > math.MaxInt {
			return 0, false
		}
		return int(n), true
	case uint32:
		return int(n), true
	case float64:
		if n != math.Trunc(n) || n < math.MinInt32 || n > math.MaxInt32 {
			return 0, false
		}
		return int(n), true
	}
	return 0, false
}

// badChallenge reports a CHALLENGE field that is missing or malformed.
func badChallenge(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrBadChallenge}, args...)...)
}
