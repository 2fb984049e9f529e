package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"

	"github.com/wampgo/wampgo/protocol"
)

// WAMPCRA returns the Authenticator for WAMP Challenge-Response
// Authentication ("wampcra"): the signature is the base64 HMAC-SHA256 of
// CHALLENGE.Extra.challenge keyed with secret, so the secret never travels.
//
// When the CHALLENGE carries "salt" (with "iterations" and "keylen",
// defaulting to 1000 and 32), the secret is a password that the router
// stores salted: the key is then the base64 encoding of
// PBKDF2-HMAC-SHA256(secret, salt, iterations, keylen), the salt taken as
// its UTF-8 bytes. This is the convention of Autobahn and Crossbar (the
// spec names PBKDF2 but not the encoding); the test vectors were computed
// with autobahn-js and Autobahn|Python. keylen may be at most 64, and the
// iterations and the total cost, iterations × ⌈keylen/32⌉, must lie within
// the KDFLimits (see LimitKDF; for WAMP-CRA the default minimum is 1000
// iterations). The derivation stops when the join's context ends.
//
// The response is an HMAC keyed with the secret (or the key derived from
// it): whoever reads it with the challenge can guess passwords offline, so
// package client answers a WAMP-CRA CHALLENGE only over TLS or to a
// loopback host (see client.WithPlaintextSecrets).
func WAMPCRA(secret string, opts ...Option) Authenticator {
	o := newOptions(opts)
	return &craAuth{secret: newSecret(secret), limits: o.limits.withDefaults(1000)}
}

type craAuth struct {
	secret *secret
	limits KDFLimits
}

// craMaxKeyLen bounds the PBKDF2 key length a CHALLENGE may ask for: two
// SHA-256 blocks (Autobahn and Crossbar use one, 32 bytes).
const craMaxKeyLen = 64

func (a *craAuth) Method() string            { return "wampcra" }
func (a *craAuth) HelloExtra() protocol.Dict { return nil }
func (a *craAuth) Authenticate(ctx context.Context, ch *protocol.Challenge) (string, protocol.Dict, error) {
	challenge, ok := extraString(ch.Extra, "challenge")
	if !ok {
		return "", nil, badChallenge("wampcra: no challenge string")
	}
	key := a.secret.b
	if salt, ok := extraString(ch.Extra, "salt"); ok {
		iterations, keylen := 1000, 32
		if _, present := ch.Extra["iterations"]; present {
			if iterations, ok = extraInt(ch.Extra, "iterations"); !ok {
				return "", nil, badChallenge("wampcra: iterations is not an integer")
			}
		}
		if _, present := ch.Extra["keylen"]; present {
			if keylen, ok = extraInt(ch.Extra, "keylen"); !ok {
				return "", nil, badChallenge("wampcra: keylen is not an integer")
			}
		}
		if keylen < 1 || keylen > craMaxKeyLen {
			return "", nil, badChallenge("wampcra: key length %d outside [1, %d]", keylen, craMaxKeyLen)
		}
		if err := a.limits.checkPBKDF2("wampcra", iterations, keylen); err != nil {
			return "", nil, err
		}
		derived, err := craDeriveKey(ctx, a.secret.b, salt, iterations, keylen)
		if err != nil {
			return "", nil, err
		}
		key = derived
	}
	return craSign(key, challenge), nil, nil
}

// craDeriveKey returns the salted WAMP-CRA key: base64 of PBKDF2-SHA256.
// It ends with ctx's error when ctx ends first.
func craDeriveKey(ctx context.Context, password []byte, salt string, iterations, keylen int) ([]byte, error) {
	dk, err := pbkdf2Key(ctx, password, []byte(salt), iterations, keylen)
	if err != nil {
		return nil, fmt.Errorf("wampcra: PBKDF2: %w", err)
	}
	out := make([]byte, base64.StdEncoding.EncodedLen(len(dk)))
	base64.StdEncoding.Encode(out, dk)
	return out, nil
}

// craSign returns base64(HMAC-SHA256(key, challenge)).
func craSign(key []byte, challenge string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(challenge))
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

func (a *craAuth) VerifyWelcome(*protocol.Welcome) error { return nil }

// String, GoString and Format print "wampcra(****)", never the secret.
func (a *craAuth) String() string             { return "wampcra(****)" }
func (a *craAuth) GoString() string           { return a.String() }
func (a *craAuth) Format(f fmt.State, _ rune) { redacted(f, "wampcra") }
