package e2ee

import "github.com/wampgo/wampgo/internal/ppterr"

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
