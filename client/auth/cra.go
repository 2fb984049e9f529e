package auth

import (
	"context"
	"crypto/hmac"
	"crypto/pbkdf2"
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
// with autobahn-js and Autobahn|Python. The iterations must lie within the
// KDFLimits (see LimitKDF; for WAMP-CRA the default minimum is 1).
func WAMPCRA(secret string, opts ...Option) Authenticator {
	o := newOptions(opts)
	return &craAuth{secret: newSecret(secret), limits: o.limits.withDefaults(1)}
}

type craAuth struct {
	secret *secret
	limits KDFLimits
}

// craMaxKeyLen bounds the PBKDF2 key length a CHALLENGE may ask for.
const craMaxKeyLen = 1024

func (a *craAuth) Method() string            { return "wampcra" }
func (a *craAuth) HelloExtra() protocol.Dict { return nil }
func (a *craAuth) Authenticate(_ context.Context, ch *protocol.Challenge) (string, protocol.Dict, error) {
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
		if iterations < a.limits.MinPBKDF2Iterations || iterations > a.limits.MaxPBKDF2Iterations {
			return "", nil, badChallenge("wampcra: %d PBKDF2 iterations outside the limits [%d, %d]",
				iterations, a.limits.MinPBKDF2Iterations, a.limits.MaxPBKDF2Iterations)
		}
		if keylen < 1 || keylen > craMaxKeyLen {
			return "", nil, badChallenge("wampcra: key length %d outside [1, %d]", keylen, craMaxKeyLen)
		}
		derived, err := craDeriveKey(a.secret.b, salt, iterations, keylen)
		if err != nil {
			return "", nil, err
		}
		key = derived
	}
	return craSign(key, challenge), nil, nil
}

// craDeriveKey returns the salted WAMP-CRA key: base64 of PBKDF2-SHA256.
func craDeriveKey(password []byte, salt string, iterations, keylen int) ([]byte, error) {
	dk, err := pbkdf2.Key(sha256.New, string(password), []byte(salt), iterations, keylen)
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
