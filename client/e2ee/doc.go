// Package e2ee holds the symmetric keys and ciphers of WAMP's end-to-end
// payload encryption: the "wamp" scheme of payload passthru mode
// (advanced/payload_passthru_mode.md), whose ppt_cipher is
// "xsalsa20poly1305" or "aes256gcm" and whose ppt_keyid names the key.
//
// A KeyRing maps key ids to 32-byte Keys. Package client seals a CALL,
// PUBLISH or YIELD payload with a key of the ring (client.WithKeyRing,
// client.Encrypted) and opens incoming ones with the key their ppt_keyid
// names; the router forwards the sealed bytes without being able to read
// them. *KeyRing implements client.KeyRing, the interface WithKeyRing
// takes (client does not import this package, nor its ciphers), and
// ErrDecrypt, ErrUnknownKey and ErrUnknownCipher are the values of package
// client of the same names.
//
// # Why a symmetric key ring and not nacl/box
//
// The spec names the cipher (xsalsa20poly1305) and a key id, not a key
// agreement. nacl/box would bind each message to one sender and one
// recipient key pair: a publisher would seal every event once per
// subscriber, and a callee would have to know which caller (and key) a
// call comes from, which the router may hide. A key shared by the peers
// allowed to read a topic or procedure matches WAMP's one-to-many routing
// and the single ppt_keyid a message carries; box itself seals with
// secretbox under a precomputed shared key, so the cipher is the same.
// Distributing and rotating keys is the application's task: a ring may
// hold several keys at once, and Remove retires one.
//
// # Wire form
//
// The spec does not fix where the nonce goes; this package puts a fresh
// random nonce in front of the ciphertext:
//
//   - xsalsa20poly1305: nonce (24 bytes) || secretbox.Seal output (a
//     16-byte Poly1305 tag, then the ciphertext), as
//     golang.org/x/crypto/nacl/secretbox and libsodium's crypto_secretbox
//     produce it;
//   - aes256gcm: nonce (12 bytes) || ciphertext || tag (16 bytes), as
//     crypto/cipher's GCM produces it.
//
// # Secrets
//
// A Key's bytes never appear in a printed value, an error or a log: Key
// and KeyRing print as redacted placeholders with every fmt verb and as
// slog values, and errors name key ids only (a key id is derived from the
// key by a one-way function, or chosen by the application, and is public:
// it travels in every message).
package e2ee
