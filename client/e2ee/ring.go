package e2ee

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/wampgo/wampgo/internal/ppterr"
	"golang.org/x/crypto/nacl/secretbox"
)

// The ppt_cipher values of the spec's "wamp" scheme.
const (
	XSalsa20Poly1305 = "xsalsa20poly1305"
	AES256GCM        = "aes256gcm"
)

// Errors of sealing and opening; wrapped with the key id or cipher name.
var (
	// ErrDecrypt: a sealed payload failed authentication (wrong key,
	// tampered or truncated ciphertext) or names a key the ring does not
	// hold (then the error also matches ErrUnknownKey).
	ErrDecrypt = ppterr.ErrDecrypt
	// ErrUnknownKey: the ring holds no key under the key id.
	ErrUnknownKey = ppterr.ErrUnknownKey
	// ErrUnknownCipher: the cipher is neither XSalsa20Poly1305 nor
	// AES256GCM.
	ErrUnknownCipher = ppterr.ErrUnknownCipher
)

// Overheads of a sealed payload over its plaintext.
const (
	xsalsaOverhead = 24 + secretbox.Overhead
	gcmNonceSize   = 12
	gcmOverhead    = gcmNonceSize + 16
)

// KeyRing holds keys by key id. Its methods are safe for concurrent use;
// a ring may change (Add, Remove) while sessions use it.
type KeyRing struct {
	mu   sync.RWMutex
	keys map[string]*ringKey // guarded by mu
}

// ringKey is one key with its AES-GCM instance, made once.
type ringKey struct {
	key Key
	gcm cipher.AEAD
}

// NewKeyRing returns a ring holding keys, each under its derived id
// (Key.ID). Zero keys are skipped.
func NewKeyRing(keys ...Key) *KeyRing {
	r := &KeyRing{keys: map[string]*ringKey{}}
	for _, k := range keys {
		if !k.IsZero() {
			r.Add(k.ID(), k) //nolint:errcheck // id and key are valid
		}
	}
	return r
}

// Add puts k in the ring under id, replacing any key there. id is any
// non-empty string the peers agree on (Key.ID for the spec's derived form).
func (r *KeyRing) Add(id string, k Key) error {
	if id == "" {
		return errors.New("e2ee: empty key id")
	}
	if k.IsZero() {
		return errors.New("e2ee: zero key")
	}
	block, err := aes.NewCipher(k.b[:])
	if err != nil {
		return fmt.Errorf("e2ee: %w", err) // cannot happen: 32 bytes
	}
	gcm, err := cipher.NewGCM(block)
	if err != nil {
		return fmt.Errorf("e2ee: %w", err)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.keys == nil {
		r.keys = map[string]*ringKey{}
	}
	r.keys[id] = &ringKey{key: k, gcm: gcm}
	return nil
}

// Remove takes the key under id out of the ring.
func (r *KeyRing) Remove(id string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.keys, id)
}

// Has reports whether the ring holds a key under id.
func (r *KeyRing) Has(id string) bool { return r.get(id) != nil }

// Len returns the number of keys in the ring.
func (r *KeyRing) Len() int {
	if r == nil {
		return 0
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.keys)
}

func (r *KeyRing) get(id string) *ringKey {
	if r == nil {
		return nil
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.keys[id]
}

// Seal encrypts plaintext with the key under keyID and cipherName, with a
// fresh random nonce, and returns nonce || ciphertext (see the package
// documentation). plaintext is not retained. It fails with an error
// matching ErrUnknownKey or ErrUnknownCipher.
func (r *KeyRing) Seal(cipherName, keyID string, plaintext []byte) ([]byte, error) {
	k := r.get(keyID)
	switch {
	case cipherName != XSalsa20Poly1305 && cipherName != AES256GCM:
		return nil, fmt.Errorf("%w %q", ErrUnknownCipher, cipherName)
	case k == nil:
		return nil, fmt.Errorf("%w %q", ErrUnknownKey, keyID)
	}
	if cipherName == XSalsa20Poly1305 {
		var nonce [24]byte
		rand.Read(nonce[:])
		out := make([]byte, 24, len(plaintext)+xsalsaOverhead)
		copy(out, nonce[:])
		return secretbox.Seal(out, plaintext, &nonce, k.key.b), nil
	}
	out := make([]byte, gcmNonceSize, len(plaintext)+gcmOverhead)
	rand.Read(out)
	return k.gcm.Seal(out, out, plaintext, nil), nil
}

// Open decrypts sealed, as Seal made it, with the key under keyID and
// cipherName, and returns the plaintext in a new slice. It fails with an
// error matching ErrUnknownCipher, or ErrDecrypt (and ErrUnknownKey when
// the ring holds no key under keyID).
func (r *KeyRing) Open(cipherName, keyID string, sealed []byte) ([]byte, error) {
	if cipherName != XSalsa20Poly1305 && cipherName != AES256GCM {
		return nil, fmt.Errorf("%w %q", ErrUnknownCipher, cipherName)
	}
	k := r.get(keyID)
	if k == nil {
		return nil, fmt.Errorf("%w: %w %q", ErrDecrypt, ErrUnknownKey, keyID)
	}
	if cipherName == XSalsa20Poly1305 {
		if len(sealed) < xsalsaOverhead {
			return nil, fmt.Errorf("%w: %s payload of %d bytes is too short", ErrDecrypt, cipherName, len(sealed))
		}
		var nonce [24]byte
		copy(nonce[:], sealed)
		out, ok := secretbox.Open(nil, sealed[24:], &nonce, k.key.b)
		if !ok {
			return nil, fmt.Errorf("%w: %s authentication failed (key id %q)", ErrDecrypt, cipherName, keyID)
		}
		return out, nil
	}
	if len(sealed) < gcmOverhead {
		return nil, fmt.Errorf("%w: %s payload of %d bytes is too short", ErrDecrypt, cipherName, len(sealed))
	}
	out, err := k.gcm.Open(nil, sealed[:gcmNonceSize], sealed[gcmNonceSize:], nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %s authentication failed (key id %q)", ErrDecrypt, cipherName, keyID)
	}
	return out, nil
}

// String describes the ring by its size: never a key.
func (r *KeyRing) String() string { return fmt.Sprintf("e2ee.KeyRing(%d keys)", r.Len()) }

// GoString is String.
func (r *KeyRing) GoString() string { return r.String() }

// Format prints String with every verb: never a key.
func (r *KeyRing) Format(f fmt.State, _ rune) { fmt.Fprint(f, r.String()) }

// LogValue logs String: never a key.
func (r *KeyRing) LogValue() slog.Value { return slog.StringValue(r.String()) }
