package e2ee

import "errors"

// Errors of sealing and opening; wrapped with the key id or cipher name.
var (
	// ErrDecrypt: a sealed payload failed authentication (wrong key,
	// tampered or truncated ciphertext) or names a key the ring does not
	// hold (then the error also matches ErrUnknownKey).
	ErrDecrypt = errors.New("e2ee: cannot decrypt payload")
	// ErrUnknownKey: the ring holds no key under the key id.
	ErrUnknownKey = errors.New("e2ee: unknown key id")
	// ErrUnknownCipher: the cipher is neither XSalsa20Poly1305 nor
	// AES256GCM.
	ErrUnknownCipher = errors.New("e2ee: unknown cipher")
)
