package wamptest

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/wampgo/wampgo/protocol"
)

// User is an account the router authenticates, with the credentials of
// each method it may use (advanced/authentication*.md). Only the methods
// whose credentials are set are offered to it. Give users to the router
// with WithUser.
type User struct {
	// AuthID names the user (HELLO.Details.authid). Cryptosign users are
	// found by public key; their AuthID, when set, must then match the
	// HELLO's authid if the HELLO names one.
	AuthID string
	// AuthRole is the role WELCOME reports (default "user").
	AuthRole string

	// Ticket is the user's ticket for "ticket" authentication.
	Ticket string

	// Secret is the WAMP-CRA ("wampcra") shared secret. With Salt set the
	// CHALLENGE asks the client to derive the key with PBKDF2-SHA256 from
	// Secret, Salt, Iterations (default 1000) and KeyLen (default 32).
	Secret     string
	Salt       string
	Iterations int
	KeyLen     int

	// PublicKey is the user's Ed25519 key for "cryptosign".
	PublicKey ed25519.PublicKey

	// Password is the WAMP-SCRAM ("wamp-scram") password, already in the
	// SASLprep form the client sends (ASCII passwords always are). SCRAMKDF
	// chooses the key derivation: "pbkdf2" (the default, 4096 iterations)
	// or "argon2id13" (2 passes over 19 MiB: the cheapest a client accepts
	// by default, see auth.KDFLimits).
	Password string
	SCRAMKDF string
}

// The methods the router knows, in the order it prefers them when a client
// offers several: the one the client lists first among those the user has
// credentials for wins, as HELLO.Details.authmethods is the client's order
// of preference.
const (
	methodAnonymous  = "anonymous"
	methodTicket     = "ticket"
	methodCRA        = "wampcra"
	methodCryptosign = "cryptosign"
	methodSCRAM      = "wamp-scram"
)

// authProvider is the authprovider WELCOME reports for users of WithUser.
const authProvider = "wamptest"

// pendingAuth is a CHALLENGE in flight: what AUTHENTICATE must prove.
type pendingAuth struct {
	method string
	user   *User
	hello  *protocol.Hello

	challenge   string // wampcra: the challenge string; cryptosign: hex
	key         []byte // wampcra: the HMAC key
	scramNonce  string // wamp-scram: the combined nonce
	scramFirst  string // wamp-scram: client-first-bare + "," + server-first
	scramSalted []byte // wamp-scram: SaltedPassword
}

// chooseAuth picks how to authenticate a HELLO: an identity right away
// (anonymous), or a CHALLENGE to send. An ABORT reason is returned when no
// method fits.
func (r *Router) chooseAuth(h *protocol.Hello, sessionID protocol.ID) (*identity, *pendingAuth, *protocol.Challenge, protocol.URI, string) {
	methods, _ := stringList(h.Details["authmethods"])
	if len(methods) == 0 {
		methods = []string{methodAnonymous}
	}
	authid, _ := h.Details["authid"].(string)
	extra, _ := h.Details["authextra"].(protocol.Dict)
	for _, m := range methods {
		if m == methodAnonymous {
			if r.cfg.noAnonymous {
				continue
			}
			role, _ := h.Details["authrole"].(string)
			if role == "" {
				role = "anonymous"
			}
			return &identity{authid: authid, authrole: role, authmethod: methodAnonymous, authprovider: "static"}, nil, nil, "", ""
		}
		u := r.findUser(m, authid, extra)
		if u == nil {
			continue
		}
		p := &pendingAuth{method: m, user: u, hello: h}
		ch, err := p.challengeFor(authid, extra, sessionID)
		if err != nil {
			return nil, nil, nil, protocol.URIErrAuthenticationFailed, err.Error()
		}
		return nil, p, ch, "", ""
	}
	return nil, nil, nil, protocol.URIErrNoMatchingAuthMethod, "no authentication method offered fits a known user"
}

// findUser returns the user that can authenticate with method.
func (r *Router) findUser(method, authid string, extra protocol.Dict) *User {
	for i := range r.cfg.users {
		u := &r.cfg.users[i]
		switch method {
		case methodTicket:
			if u.Ticket != "" && u.AuthID == authid {
				return u
			}
		case methodCRA:
			if u.Secret != "" && u.AuthID == authid {
				return u
			}
		case methodSCRAM:
			if u.Password != "" && u.AuthID == authid {
				return u
			}
		case methodCryptosign:
			pub, _ := extra["pubkey"].(string)
			if len(u.PublicKey) == ed25519.PublicKeySize && strings.EqualFold(pub, hex.EncodeToString(u.PublicKey)) &&
				(authid == "" || u.AuthID == "" || authid == u.AuthID) {
				return u
			}
		}
	}
	return nil
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}

// challengeFor builds the CHALLENGE of the chosen method.
func (p *pendingAuth) challengeFor(authid string, extra protocol.Dict, sessionID protocol.ID) (*protocol.Challenge, error) {
	u := p.user
	switch p.method {
	case methodTicket:
		return &protocol.Challenge{AuthMethod: methodTicket, Extra: protocol.Dict{}}, nil
	case methodCRA:
		c, _ := json.Marshal(map[string]any{
			"authid": authid, "authrole": u.role(), "authmethod": methodCRA, "authprovider": authProvider,
			"session": int64(sessionID), "nonce": base64.StdEncoding.EncodeToString(randomBytes(16)),
			"timestamp": time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		})
		p.challenge = string(c)
		ex := protocol.Dict{"challenge": p.challenge}
		p.key = []byte(u.Secret)
		if u.Salt != "" {
			iterations, keylen := cmpOr(u.Iterations, 1000), cmpOr(u.KeyLen, 32)
			k, err := pbkdf2.Key(sha256.New, u.Secret, []byte(u.Salt), iterations, keylen)
			if err != nil {
				return nil, err
			}
			p.key = []byte(base64.StdEncoding.EncodeToString(k))
			ex["salt"], ex["iterations"], ex["keylen"] = u.Salt, int64(iterations), int64(keylen)
		}
		return &protocol.Challenge{AuthMethod: methodCRA, Extra: ex}, nil
	case methodCryptosign:
		if cb, _ := extra["channel_binding"].(string); cb != "" {
			return nil, fmt.Errorf("cryptosign: channel binding %q is not available on this transport", cb)
		}
		p.challenge = hex.EncodeToString(randomBytes(32))
		return &protocol.Challenge{AuthMethod: methodCryptosign, Extra: protocol.Dict{"challenge": p.challenge, "channel_binding": nil}}, nil
	case methodSCRAM:
		return p.scramChallenge(authid, extra)
	}
	return nil, fmt.Errorf("unknown method %q", p.method)
}

func (p *pendingAuth) scramChallenge(authid string, extra protocol.Dict) (*protocol.Challenge, error) {
	cnonce, _ := extra["nonce"].(string)
	if cnonce == "" {
		return nil, fmt.Errorf("wamp-scram: HELLO has no client nonce")
	}
	if cb, _ := extra["channel_binding"].(string); cb != "" {
		return nil, fmt.Errorf("wamp-scram: channel binding %q is not available on this transport", cb)
	}
	salt := randomBytes(16)
	saltB64 := base64.StdEncoding.EncodeToString(salt)
	p.scramNonce = cnonce + base64.StdEncoding.EncodeToString(randomBytes(16))
	ex := protocol.Dict{"nonce": p.scramNonce, "salt": saltB64}
	var iterations int
	switch kdf := cmpOr(p.user.SCRAMKDF, "pbkdf2"); kdf {
	case "pbkdf2":
		iterations = 4096
		k, err := pbkdf2.Key(sha256.New, p.user.Password, salt, iterations, sha256.Size)
		if err != nil {
			return nil, err
		}
		p.scramSalted = k
		ex["kdf"], ex["iterations"], ex["memory"] = kdf, int64(iterations), nil
	case "argon2id13":
		const memory = 19 * 1024 // KiB
		iterations = 2
		p.scramSalted = argon2.IDKey([]byte(p.user.Password), salt, uint32(iterations), memory, 1, sha256.Size)
		ex["kdf"], ex["iterations"], ex["memory"] = kdf, int64(iterations), int64(memory)
	default:
		return nil, fmt.Errorf("wamp-scram: unknown kdf %q", kdf)
	}
	escaped := strings.NewReplacer("=", "=3D", ",", "=2C").Replace(authid)
	p.scramFirst = "n=" + escaped + ",r=" + cnonce + ",r=" + p.scramNonce + ",s=" + saltB64 + ",i=" + strconv.Itoa(iterations)
	return &protocol.Challenge{AuthMethod: methodSCRAM, Extra: ex}, nil
}

// verify checks AUTHENTICATE and returns the identity, with the WELCOME
// authextra, or an error saying why it failed.
func (p *pendingAuth) verify(a *protocol.Authenticate) (*identity, error) {
	u := p.user
	who := &identity{authid: u.AuthID, authrole: u.role(), authmethod: p.method, authprovider: authProvider}
	switch p.method {
	case methodTicket:
		if subtle.ConstantTimeCompare([]byte(a.Signature), []byte(u.Ticket)) != 1 {
			return nil, fmt.Errorf("wrong ticket")
		}
	case methodCRA:
		want := base64.StdEncoding.EncodeToString(hmacSHA256(p.key, p.challenge))
		if !hmac.Equal([]byte(a.Signature), []byte(want)) {
			return nil, fmt.Errorf("wrong WAMP-CRA signature")
		}
	case methodCryptosign:
		raw, err := hex.DecodeString(a.Signature)
		if err != nil || len(raw) != ed25519.SignatureSize+32 {
			return nil, fmt.Errorf("cryptosign signature is not 96 bytes in hex")
		}
		challenge, _ := hex.DecodeString(p.challenge)
		if !hmac.Equal(raw[ed25519.SignatureSize:], challenge) || !ed25519.Verify(u.PublicKey, challenge, raw[:ed25519.SignatureSize]) {
			return nil, fmt.Errorf("wrong cryptosign signature")
		}
		if who.authid == "" {
			who.authid = hex.EncodeToString(u.PublicKey)
		}
	case methodSCRAM:
		verifier, err := p.verifySCRAM(a)
		if err != nil {
			return nil, err
		}
		who.authextra = protocol.Dict{"verifier": verifier}
	}
	return who, nil
}

func (p *pendingAuth) verifySCRAM(a *protocol.Authenticate) (string, error) {
	if n, _ := a.Extra["nonce"].(string); n != p.scramNonce {
		return "", fmt.Errorf("wamp-scram: AUTHENTICATE nonce does not match")
	}
	proof, err := base64.StdEncoding.DecodeString(a.Signature)
	if err != nil || len(proof) != sha256.Size {
		return "", fmt.Errorf("wamp-scram: proof is not 32 bytes in base64")
	}
	authMessage := p.scramFirst + ",c=" + base64.StdEncoding.EncodeToString([]byte("n,,")) + ",r=" + p.scramNonce
	clientKey := hmacSHA256(p.scramSalted, "Client Key")
	storedKey := sha256.Sum256(clientKey)
	clientSig := hmacSHA256(storedKey[:], authMessage)
	recovered := make([]byte, len(proof))
	for i := range proof {
		recovered[i] = proof[i] ^ clientSig[i]
	}
	if got := sha256.Sum256(recovered); !hmac.Equal(got[:], storedKey[:]) {
		return "", fmt.Errorf("wrong WAMP-SCRAM proof")
	}
	serverKey := hmacSHA256(p.scramSalted, "Server Key")
	return base64.StdEncoding.EncodeToString(hmacSHA256(serverKey, authMessage)), nil
}

func hmacSHA256(key []byte, msg string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(msg))
	return m.Sum(nil)
}

func (u *User) role() string { return cmpOr(u.AuthRole, "user") }

func cmpOr[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
