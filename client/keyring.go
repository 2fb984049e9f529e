package client

import "fmt"

// KeyRing seals and opens the payloads of end-to-end encryption (the
// "wamp" scheme of payload passthru mode) with keys named by id. Package
// e2ee (github.com/wampgo/wampgo/client/e2ee) implements it with
// *e2ee.KeyRing, for the spec's ciphers; client defines the interface so
// that importing client does not import those ciphers
// (golang.org/x/crypto).
//
// The client calls Seal and Open from the goroutines of its callers and
// handlers and from the session loop, concurrently: an implementation must
// be safe for concurrent use and must return promptly (one payload's
// work). Neither method may retain its input.
type KeyRing interface {
	// Seal encrypts plaintext with the key under keyID and the cipher
	// named by ppt_cipher. It fails with an error matching
	// ErrUnknownCipher or ErrUnknownKey.
	Seal(cipher, keyID string, plaintext []byte) ([]byte, error)
	// Open decrypts what the peer's Seal made, returning the plaintext in
	// a new slice. It fails with an error matching ErrUnknownCipher, or
	// ErrDecrypt (and also ErrUnknownKey when no key is under keyID).
	// Errors must name key ids only, never key bytes.
	Open(cipher, keyID string, sealed []byte) ([]byte, error)
}

// noKeyRing is the KeyRing of a client without WithKeyRing: it holds no
// key, so every encrypted payload fails with ErrUnknownKey.
type noKeyRing struct{}

func (noKeyRing) Seal(_, keyID string, _ []byte) ([]byte, error) {
	return nil, fmt.Errorf("%w %q (no WithKeyRing)", ErrUnknownKey, keyID)
}

func (noKeyRing) Open(_, keyID string, _ []byte) ([]byte, error) {
	return nil, fmt.Errorf("%w: %w %q (no WithKeyRing)", ErrDecrypt, ErrUnknownKey, keyID)
}

// keyRingOrNone returns r, or noKeyRing when r is nil.
func keyRingOrNone(r KeyRing) KeyRing {
	if r == nil {
		return noKeyRing{}
	}
	return r
}
