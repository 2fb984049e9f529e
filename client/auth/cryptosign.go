package auth

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/wampgo/wampgo/protocol"
)

// Cryptosign returns the Authenticator for WAMP-Cryptosign ("cryptosign"):
// Ed25519 signatures (RFC 8032) with priv. HELLO's authextra carries the
// public key as "pubkey" (hex), which is how the router identifies the
// client: the authid may be left empty. The router's CHALLENGE carries 32
// random bytes (hex); the AUTHENTICATE signature is the hex of the 64-byte
// signature followed by the 32 bytes signed, as the spec lays out.
//
// With BindChannel(TLSUnique) or BindChannel(TLSExporter), HELLO asks for
// TLS channel binding ("channel_binding"), and the bytes signed are the
// challenge XOR the 32-byte channel id: SHA-256 of the tls-unique data (the
// Autobahn and Crossbar convention), or the tls-exporter data itself. The
// router must name the same binding in its CHALLENGE, else the join fails
// with ErrChannelBinding. A priv of the wrong length makes the join fail
// before HELLO.
//
// Channel binding matters against a rogue router: without it the client
// signs 32 bytes of the router's choosing, so a router the client connects
// to can relay another router's challenge and log in there as the client.
// With it the bytes signed depend on the client's own TLS connection, which
// the rogue router cannot make equal to its connection to the other one;
// Cryptosign then authenticates the router too (see RouterAuthenticator).
// Binding stays off by default: a router that does not support it (or a
// connection without TLS) makes the join fail, and many routers do not.
// Turn it on with BindChannel(TLSExporter) (TLS 1.3) or
// BindChannel(TLSUnique) (TLS 1.2) where the router supports it.
func Cryptosign(priv ed25519.PrivateKey, opts ...Option) Authenticator {
	o := newOptions(opts)
	a := &cryptosignAuth{binding: o.binding}
	if len(priv) != ed25519.PrivateKeySize {
		a.err = fmt.Errorf("cryptosign: private key of %d bytes, want %d", len(priv), ed25519.PrivateKeySize)
		return a
	}
	a.key = &secret{b: bytes.Clone(priv)}
	a.pub = hex.EncodeToString(priv.Public().(ed25519.PublicKey))
	switch o.binding {
	case "", TLSUnique, TLSExporter:
	default:
		a.err = fmt.Errorf("%w: cryptosign supports tls-unique and tls-exporter, not %q", ErrChannelBinding, o.binding)
	}
	return a
}

// CryptosignFromSeed is Cryptosign with the private key given as its 32-byte
// seed (the form autobahn and Crossbar store). For a hex seed or a key file's
// contents use ParseCryptosignKey.
func CryptosignFromSeed(seed []byte, opts ...Option) (Authenticator, error) {
	if len(seed) != ed25519.SeedSize {
		return nil, fmt.Errorf("wampgo: cryptosign: seed of %d bytes, want %d", len(seed), ed25519.SeedSize)
	}
	return Cryptosign(ed25519.NewKeyFromSeed(seed), opts...), nil
}

// CryptosignPublicKey returns the hex public key that a Cryptosign
// authenticator announces in HELLO (to register the client with the
// router), or "" if a is not one.
func CryptosignPublicKey(a Authenticator) string {
	if c, ok := a.(*cryptosignAuth); ok {
		return c.pub
	}
	return ""
}

type cryptosignAuth struct {
	key     *secret // the 64-byte ed25519.PrivateKey; nil when err is set
	pub     string  // hex public key
	binding ChannelBinding
	err     error // a bad key or option, reported when a join starts
}

// cryptosignJoin is a cryptosignAuth for one join: it holds the channel id.
type cryptosignJoin struct {
	*cryptosignAuth
	channelID []byte // 32 bytes when binding is set
}

// Start begins one join (see Starter): it computes the channel id when
// BindChannel asked for one.
func (a *cryptosignAuth) Start(c Conn) (Authenticator, error) {
	if a.err != nil {
		return nil, a.err
	}
	j := &cryptosignJoin{cryptosignAuth: a}
	if a.binding != "" {
		data, err := channelBindingData(c, a.binding)
		if err != nil {
			return nil, err
		}
		j.channelID = cryptosignChannelID(a.binding, data)
	}
	return j, nil
}

// cryptosignChannelID turns channel binding data into the 32-byte channel
// id that is XORed with the challenge.
func cryptosignChannelID(cb ChannelBinding, data []byte) []byte {
	if cb == TLSUnique {
		s := sha256.Sum256(data)
		return s[:]
	}
	return data // tls-exporter: 32 bytes already
}

func (a *cryptosignAuth) Method() string { return "cryptosign" }

// AuthenticatesRouter reports whether channel binding was asked for (see
// RouterAuthenticator).
func (a *cryptosignAuth) AuthenticatesRouter() bool { return a.binding != "" }

func (a *cryptosignAuth) HelloExtra() protocol.Dict {
	if a.err != nil {
		return nil
	}
	d := protocol.Dict{"pubkey": a.pub}
	if a.binding != "" {
		d["channel_binding"] = string(a.binding)
	}
	return d
}

// Authenticate on the shared value (not begun for a join) signs without
// channel binding.
func (a *cryptosignAuth) Authenticate(ctx context.Context, ch *protocol.Challenge) (string, protocol.Dict, error) {
	return (&cryptosignJoin{cryptosignAuth: a}).Authenticate(ctx, ch)
}

func (j *cryptosignJoin) Authenticate(_ context.Context, ch *protocol.Challenge) (string, protocol.Dict, error) {
	if j.err != nil {
		return "", nil, j.err
	}
	hexChallenge, ok := extraString(ch.Extra, "challenge")
	if !ok {
		return "", nil, badChallenge("cryptosign: no challenge string")
	}
	challenge, err := hex.DecodeString(hexChallenge)
	if err != nil || len(challenge) != 32 {
		return "", nil, badChallenge("cryptosign: challenge is not 32 bytes in hex")
	}
	var got ChannelBinding
	switch v := ch.Extra["channel_binding"].(type) {
	case nil:
	case string:
		got = ChannelBinding(v)
	default:
		return "", nil, badChallenge("cryptosign: channel_binding is not a string")
	}
	if got != j.binding {
		if j.binding == "" {
			return "", nil, fmt.Errorf("%w: router asked for %q, which was not requested", ErrChannelBinding, got)
		}
		return "", nil, fmt.Errorf("%w: requested %q, router's CHALLENGE names %q", ErrChannelBinding, j.binding, got)
	}
	if j.binding != "" && len(j.channelID) != 32 {
		return "", nil, fmt.Errorf("%w: no channel id for %s", ErrChannelBinding, j.binding)
	}
	return cryptosignSign(ed25519.PrivateKey(j.key.b), challenge, j.channelID), nil, nil
}

// cryptosignSign returns hex(signature || message) where message is the
// challenge, XORed with channelID when that is not nil.
func cryptosignSign(priv ed25519.PrivateKey, challenge, channelID []byte) string {
	msg := bytes.Clone(challenge)
	if channelID != nil {
		for i := range msg {
			msg[i] ^= channelID[i]
		}
	}
	sig := ed25519.Sign(priv, msg)
	return hex.EncodeToString(sig) + hex.EncodeToString(msg)
}

func (a *cryptosignAuth) VerifyWelcome(*protocol.Welcome) error { return nil }

// String, GoString and Format print "cryptosign(****)", never the key.
func (a *cryptosignAuth) String() string             { return "cryptosign(****)" }
func (a *cryptosignAuth) GoString() string           { return a.String() }
func (a *cryptosignAuth) Format(f fmt.State, _ rune) { redacted(f, "cryptosign") }
