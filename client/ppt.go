package client

import (
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/internal/ppterr"
	"github.com/wampgo/wampgo/protocol"
)

// Passthru is a message's payload passthru attributes, the ppt_* keys of
// its Options or Details (advanced/payload_passthru_mode.md). The zero
// Passthru is no passthru. Keys never appear in it: KeyID names a key of
// the client's KeyRing.
type Passthru struct {
	// Scheme is ppt_scheme, required: PassthruSchemeWAMP (end-to-end
	// encryption), PassthruSchemeMQTT, or an application's own ("x_…").
	Scheme string
	// Serializer is ppt_serializer: PassthruNative (or empty) for one
	// []byte argument sent as it is, else "json", "msgpack" or "cbor",
	// which pack the args and kwargs as {"args": …, "kwargs": …}.
	Serializer string
	// Cipher is ppt_cipher: empty (no encryption), e2ee.XSalsa20Poly1305
	// or e2ee.AES256GCM.
	Cipher string
	// KeyID is ppt_keyid: the id of the key in the client's KeyRing.
	KeyID string
}

// The predefined schemes and the native serializer of payload passthru.
const (
	PassthruSchemeWAMP = "wamp"
	PassthruSchemeMQTT = "mqtt"
	PassthruNative     = "native"
)

// Errors of payload passthru, wrapped in a *PassthruError.
var (
	// ErrDecrypt: an encrypted payload failed authentication (wrong key,
	// tampered ciphertext) or names a key the KeyRing does not hold (the
	// error then also matches ErrUnknownKey).
	ErrDecrypt = ppterr.ErrDecrypt
	// ErrUnknownKey: the KeyRing (WithKeyRing) holds no key of that id.
	ErrUnknownKey = ppterr.ErrUnknownKey
	// ErrUnknownCipher: a ppt_cipher this package does not implement.
	ErrUnknownCipher = ppterr.ErrUnknownCipher
	// ErrPassthruPayload: a passthru payload of the wrong shape (not one
	// binary argument, not a {"args", "kwargs"} map in its serializer, an
	// unknown ppt_serializer), or arguments a native payload cannot carry.
	ErrPassthruPayload = errors.New("wampgo: invalid passthru payload")
)

// PassthruError is the failure to pack (Call, Publish, Yield) or unpack
// (Invocation, Event, Result, Error) a payload in passthru mode. It
// matches its Err's sentinels (ErrDecrypt, ErrUnknownKey, ErrUnknownCipher,
// ErrPassthruPayload, ErrNotSupported) with errors.Is. It never holds a key.
type PassthruError struct {
	Op       string
	Passthru Passthru
	Err      error
}

func (e *PassthruError) Error() string {
	p := e.Passthru
	return fmt.Sprintf("wampgo: %s: payload passthru (scheme %q, serializer %q, cipher %q, key id %q): %v",
		e.Op, p.Scheme, p.Serializer, p.Cipher, p.KeyID, e.Err)
}

func (e *PassthruError) Unwrap() error { return e.Err }

// PassthruOf returns the passthru attributes of a message's Options or
// Details (Invocation.Details, Event.Details, Result.Details), and whether
// it names a ppt_scheme. Incoming payloads are unpacked before handlers
// see them; the ppt_* keys stay in Details for handlers that need them.
func PassthruOf(d protocol.Dict) (Passthru, bool) {
	str := func(k string) string { s, _ := d[k].(string); return s }
	p := Passthru{Scheme: str("ppt_scheme"), Serializer: str("ppt_serializer"),
		Cipher: str("ppt_cipher"), KeyID: str("ppt_keyid")}
	return p, p.Scheme != ""
}

// set writes p's ppt_* keys into an option set's raw Options.
func (p Passthru) set(raw *protocol.Dict) {
	for k, v := range map[string]string{"ppt_scheme": p.Scheme, "ppt_serializer": p.Serializer,
		"ppt_cipher": p.Cipher, "ppt_keyid": p.KeyID} {
		if v != "" {
			setRaw(raw, k, v)
		}
	}
}

// PassthruOption sends a call's or publication's payload in passthru mode;
// it is both a CallOption and a PublishOption (so CallTyped and
// PublishTyped take it too). Make one with WithPassthru or Encrypted.
type PassthruOption struct{ p Passthru }

func (o PassthruOption) applyCall(c *callConfig)       { o.p.set(&c.raw) }
func (o PassthruOption) applyPublish(c *publishConfig) { o.p.set(&c.raw) }

// WithPassthru sends the payload in passthru mode with p's attributes: the
// args and kwargs packed with p.Serializer into one binary argument (or,
// native, the one []byte argument given, as it is), encrypted when
// p.Cipher is set. The router must announce payload_passthru_mode
// (dealer for a call, broker for a publication); the call or Publish
// fails with an error matching ErrNotSupported otherwise, as it does with
// a *PassthruError when the payload cannot be packed.
//
// A callee answers a passthru call with the same attributes (so an
// encrypted call gets an encrypted result) unless its handler says
// otherwise with Invocation.AnswerWith.
func WithPassthru(p Passthru) PassthruOption { return PassthruOption{p: p} }

// Encrypted sends the payload end-to-end encrypted in the spec's "wamp"
// scheme: packed with CBOR and sealed with cipher (e2ee.XSalsa20Poly1305 or
// e2ee.AES256GCM) under the key keyID of the client's KeyRing
// (WithKeyRing). See WithPassthru.
func Encrypted(cipher, keyID string) PassthruOption {
	return WithPassthru(Passthru{Scheme: PassthruSchemeWAMP, Serializer: "cbor", Cipher: cipher, KeyID: keyID})
}

// WithKeyRing gives the client the keys of end-to-end encryption: those
// that Encrypted names and that encrypted invocations, events, results and
// errors name in ppt_keyid. The ring may change while the client runs.
// Without it (or with a nil r), every encrypted payload fails with
// ErrUnknownKey. Package e2ee provides the ring of the spec's ciphers
// (e2ee.NewKeyRing); see KeyRing for one of your own.
func WithKeyRing(r KeyRing) Option { return func(c *config) { c.keyRing = r } }

// AnswerWith sets the passthru attributes of the invocation's answers
// (progressive results, the result, an error). By default they are the
// call's own, so that an encrypted call is answered encrypted with the
// same key; an error answering a native call goes plain (a native
// payload is the application's own bytes, an error's is not). A nil p answers
// plain. Call it from the handler before it answers; it is safe for
// concurrent use, but a progressive result already sent keeps the
// attributes it had.
func (inv *Invocation) AnswerWith(p *Passthru) {
	if p == nil {
		p = &Passthru{}
	}
	inv.answer.Store(p)
}

// answerPassthru adds the passthru attributes of an answer to opts, the
// YIELD's Options or the ERROR's Details.
func (inv *Invocation) answerPassthru(opts protocol.Dict, isError bool) {
	var p Passthru
	if a := inv.answer.Load(); a != nil {
		p = *a
	} else {
		var ok bool
		p, ok = PassthruOf(inv.Details)
		if !ok || isError && (p.Serializer == "" || p.Serializer == PassthruNative) {
			return
		}
	}
	p.set(&opts)
}
