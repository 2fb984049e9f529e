package auth

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/wampgo/wampgo/protocol"
)

// SCRAM returns the Authenticator for WAMP-SCRAM ("wamp-scram"), the
// Salted Challenge Response Authentication Mechanism of RFC 5802 with
// SHA-256 (RFC 7677): the password never travels, and the router proves in
// its WELCOME that it knows the user's keys too. The authid (client.WithAuth) is
// the SCRAM user name and must not be empty.
//
// HELLO's authextra carries a fresh client nonce (16 random bytes, base64)
// for every join. The router's CHALLENGE names the key derivation function:
// "argon2id13" (Argon2id v1.3, parallelism 1, with the CHALLENGE's
// iterations and memory in KiB) or "pbkdf2" (PBKDF2-HMAC-SHA256), both with
// a 32-byte output and the base64-decoded salt; costs outside the
// KDFLimits (see LimitKDF) end the join with a *KDFCostError, and the
// derivation stops (PBKDF2) or is abandoned (Argon2id, whose library cannot
// be interrupted) when the join's context ends. The
// AUTHENTICATE signature is the base64 ClientProof, its extra the combined
// nonce and the channel binding fields.
//
// The WELCOME must carry the base64 ServerSignature in
// Details.authextra.verifier (a leading "v=", as in the spec's example, is
// accepted); it is compared in constant time, and a WELCOME without a valid
// one ends the join with a *client.AuthError matching ErrRouterNotAuthenticated
// after an ABORT to the router. SCRAM authenticates the router (see
// RouterAuthenticator): when every method offered does, package client
// refuses a WELCOME that skips the proof, such as one for "anonymous".
//
// With BindChannel, HELLO asks for channel binding and AUTHENTICATE carries
// the channel binding data ("cbind_data"), both also entering the proof.
//
// The password is prepared with SASLprep (RFC 4013, through
// github.com/xdg-go/stringprep): characters mapped to nothing are removed,
// non-ASCII spaces mapped to U+0020, the result normalized to NFKC, and
// prohibited or unassigned characters refused (the join then fails before
// HELLO). Note that Autobahn|Python 22.7's "scram" prototype predates the
// spec and does not interoperate with it.
func SCRAM(password string, opts ...Option) Authenticator {
	o := newOptions(opts)
	a := &scramAuth{binding: o.binding, limits: o.limits.withDefaults(4096)}
	prepared, err := saslprep(password)
	if err != nil {
		a.err = fmt.Errorf("wamp-scram: password: %w", err)
	} else {
		a.password = newSecret(prepared)
	}
	switch o.binding {
	case "", TLSUnique, TLSExporter, TLSServerEndPoint:
	default:
		a.err = fmt.Errorf("%w: unknown channel binding type %q", ErrChannelBinding, o.binding)
	}
	return a
}

type scramAuth struct {
	password *secret // SASLprepared; nil when err is set
	binding  ChannelBinding
	limits   KDFLimits
	err      error // reported when a join starts
}

// scramJoin is the state of one join.
type scramJoin struct {
	*scramAuth
	authid      string
	clientNonce string
	cbData      []byte  // channel binding data, when binding is set
	serverSig   *secret // the expected ServerSignature, once challenged
}

// Start begins one join (see Starter): a fresh nonce, the authid as the
// SCRAM user name, and the channel binding data.
func (a *scramAuth) Start(c Conn) (Authenticator, error) {
	if a.err != nil {
		return nil, a.err
	}
	authid := c.AuthID()
	if authid == "" {
		return nil, errors.New("wamp-scram needs an authid (the SCRAM user name)")
	}
	nonce := make([]byte, 16)
	rand.Read(nonce)
	j := &scramJoin{scramAuth: a, authid: authid, clientNonce: base64.StdEncoding.EncodeToString(nonce)}
	if a.binding != "" {
		data, err := channelBindingData(c, a.binding)
		if err != nil {
			return nil, err
		}
		j.cbData = data
	}
	return j, nil
}

func (a *scramAuth) Method() string { return "wamp-scram" }

// AuthenticatesRouter reports true: the WELCOME's verifier proves the
// router's knowledge of the user's keys (see RouterAuthenticator).
func (a *scramAuth) AuthenticatesRouter() bool { return true }

// HelloExtra, Authenticate and VerifyWelcome of the shared value (not
// begun for a join) refuse: SCRAM state belongs to one join.
func (a *scramAuth) HelloExtra() protocol.Dict { return nil }
func (a *scramAuth) Authenticate(context.Context, *protocol.Challenge) (string, protocol.Dict, error) {
	return "", nil, errors.New("wamp-scram: authenticator used outside a join")
}
func (a *scramAuth) VerifyWelcome(*protocol.Welcome) error {
	return fmt.Errorf("%w: wamp-scram: authenticator used outside a join", ErrRouterNotAuthenticated)
}

// String, GoString and Format print "wamp-scram(****)", never the password.
func (a *scramAuth) String() string             { return "wamp-scram(****)" }
func (a *scramAuth) GoString() string           { return a.String() }
func (a *scramAuth) Format(f fmt.State, _ rune) { redacted(f, "wamp-scram") }

func (j *scramJoin) HelloExtra() protocol.Dict {
	d := protocol.Dict{"nonce": j.clientNonce}
	if j.binding != "" {
		d["channel_binding"] = string(j.binding)
	}
	return d
}

func (j *scramJoin) Authenticate(ctx context.Context, ch *protocol.Challenge) (string, protocol.Dict, error) {
	p, err := j.params(ch.Extra)
	if err != nil {
		return "", nil, err
	}
	salted, err := scramSaltedPassword(ctx, j.password.b, p)
	if err != nil {
		return "", nil, err
	}
	proof, serverSig := scramProof(salted, p.authMessage())
	clear(salted)
	j.serverSig = &secret{b: serverSig}
	extra := protocol.Dict{"nonce": p.serverNonce, "channel_binding": nil, "cbind_data": nil}
	if j.binding != "" {
		extra["channel_binding"] = string(j.binding)
		extra["cbind_data"] = base64.StdEncoding.EncodeToString(j.cbData)
	}
	return base64.StdEncoding.EncodeToString(proof), extra, nil
}

func (j *scramJoin) VerifyWelcome(w *protocol.Welcome) error {
	if j.serverSig == nil {
		return fmt.Errorf("%w: WELCOME names wamp-scram but the router sent no CHALLENGE", ErrRouterNotAuthenticated)
	}
	ae, _ := w.Details["authextra"].(protocol.Dict)
	v, ok := ae["verifier"].(string)
	if !ok {
		return fmt.Errorf("%w: WELCOME has no SCRAM verifier", ErrRouterNotAuthenticated)
	}
	got, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(v, "v="))
	if err != nil {
		return fmt.Errorf("%w: SCRAM verifier is not base64", ErrRouterNotAuthenticated)
	}
	if !hmac.Equal(got, j.serverSig.b) {
		return fmt.Errorf("%w: SCRAM verifier does not match", ErrRouterNotAuthenticated)
	}
	return nil
}

// scramParams are the inputs of one SCRAM exchange besides the password.
type scramParams struct {
	authid      string
	clientNonce string
	serverNonce string // CHALLENGE nonce: the client nonce and the server's
	salt        string // base64, as sent
	kdf         string // "argon2id13" or "pbkdf2"
	iterations  int
	memory      int // KiB, argon2id13 only
	cbName      ChannelBinding
	cbData      []byte
}

// params reads and checks the CHALLENGE.
func (j *scramJoin) params(extra protocol.Dict) (scramParams, error) {
	p := scramParams{authid: j.authid, clientNonce: j.clientNonce, cbName: j.binding, cbData: j.cbData}
	var ok bool
	if p.serverNonce, ok = extraString(extra, "nonce"); !ok {
		return p, badChallenge("wamp-scram: no nonce")
	}
	if len(p.serverNonce) <= len(p.clientNonce) || !strings.HasPrefix(p.serverNonce, p.clientNonce) {
		return p, badChallenge("wamp-scram: nonce does not extend the client nonce")
	}
	if p.salt, ok = extraString(extra, "salt"); !ok {
		return p, badChallenge("wamp-scram: no salt")
	}
	if p.kdf, ok = extraString(extra, "kdf"); !ok {
		return p, badChallenge("wamp-scram: no kdf")
	}
	if p.iterations, ok = extraInt(extra, "iterations"); !ok {
		return p, badChallenge("wamp-scram: iterations missing or not an integer")
	}
	switch p.kdf {
	case "pbkdf2":
		if err := j.limits.checkPBKDF2("wamp-scram", p.iterations, sha256.Size); err != nil {
			return p, err
		}
	case "argon2id13":
		if p.memory, ok = extraInt(extra, "memory"); !ok {
			return p, badChallenge("wamp-scram: argon2id13 needs an integer memory")
		}
		if err := j.limits.checkArgon2("wamp-scram", p.iterations, p.memory); err != nil {
			return p, err
		}
	default:
		return p, badChallenge("wamp-scram: unsupported kdf %q", p.kdf)
	}
	return p, nil
}

// scramSaltedPassword runs the KDF: SaltedPassword in RFC 5802's terms. It
// returns ctx's error when ctx ends first (see pbkdf2Key, argon2Key).
func scramSaltedPassword(ctx context.Context, password []byte, p scramParams) ([]byte, error) {
	salt, err := base64.StdEncoding.DecodeString(p.salt)
	if err != nil {
		return nil, badChallenge("wamp-scram: salt is not base64")
	}
	switch p.kdf {
	case "pbkdf2":
		k, err := pbkdf2Key(ctx, password, salt, p.iterations, sha256.Size)
		if err != nil {
			return nil, fmt.Errorf("wamp-scram: PBKDF2: %w", err)
		}
		return k, nil
	case "argon2id13":
		k, err := argon2Key(ctx, password, salt, p.iterations, p.memory)
		if err != nil {
			return nil, fmt.Errorf("wamp-scram: Argon2id: %w", err)
		}
		return k, nil
	}
	return nil, badChallenge("wamp-scram: unsupported kdf %q", p.kdf)
}

// authMessage is RFC 5802's AuthMessage, built as the WAMP-SCRAM spec
// lays out.
func (p scramParams) authMessage() string {
	cbindInput := "n,,"
	if p.cbName != "" {
		cbindInput = "p=" + string(p.cbName) + ",," + string(p.cbData)
	}
	clientFirstBare := "n=" + scramEscape(p.authid) + ",r=" + p.clientNonce
	serverFirst := "r=" + p.serverNonce + ",s=" + p.salt + ",i=" + strconv.Itoa(p.iterations)
	clientFinalNoProof := "c=" + base64.StdEncoding.EncodeToString([]byte(cbindInput)) + ",r=" + p.serverNonce
	return clientFirstBare + "," + serverFirst + "," + clientFinalNoProof
}

// scramEscape replaces "=" and "," as RFC 5802 section 5.1 says.
func scramEscape(s string) string {
	return strings.NewReplacer("=", "=3D", ",", "=2C").Replace(s)
}

// scramProof returns ClientProof and ServerSignature for the salted
// password and AuthMessage.
func scramProof(salted []byte, authMessage string) (proof, serverSig []byte) {
	mac := func(key []byte, msg string) []byte {
		m := hmac.New(sha256.New, key)
		m.Write([]byte(msg))
		return m.Sum(nil)
	}
	clientKey := mac(salted, "Client Key")
	storedKey := sha256.Sum256(clientKey)
	clientSig := mac(storedKey[:], authMessage)
	proof = make([]byte, len(clientKey))
	for i := range proof {
		proof[i] = clientKey[i] ^ clientSig[i]
	}
	serverKey := mac(salted, "Server Key")
	return proof, mac(serverKey, authMessage)
}
