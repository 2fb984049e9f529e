package auth

import (
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/client"
)

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

// KDFCostError reports a CHALLENGE whose key-derivation parameters lie
// outside the KDFLimits: too cheap (a hash the router could crack) or too
// costly (CPU or memory the router could exhaust). It matches
// ErrBadChallenge with errors.Is.
type KDFCostError struct {
	Method string // "wampcra" or "wamp-scram"
	KDF    string // "pbkdf2" or "argon2id13"
	// Param is what is out of bounds: "iterations", "memory" (KiB), or
	// "cost" (the total: iterations × ⌈keylen/32⌉ for PBKDF2, iterations ×
	// memory for Argon2id).
	Param    string
	Value    int
	Min, Max int
}

func (e *KDFCostError) Error() string {
	return fmt.Sprintf("%v: %s: %s %s %d outside the limits [%d, %d]",
		ErrBadChallenge, e.Method, e.KDF, e.Param, e.Value, e.Min, e.Max)
}

// Is reports whether target is ErrBadChallenge.
func (e *KDFCostError) Is(target error) bool { return target == ErrBadChallenge }
