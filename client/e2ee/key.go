package e2ee

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"

	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/sha3"
)

// KeySize is the size of a Key in bytes (256 bits, for both ciphers).
const KeySize = 32

// Key is a 32-byte symmetric data encryption key. The zero Key holds no
// key and is refused by KeyRing.Add. A Key is immutable and safe for
// concurrent use; copies share the key bytes. Its printed forms never show
// the bytes.
type Key struct{ b *[KeySize]byte }

// NewKey returns a Key holding a copy of b, which must be KeySize bytes.
func NewKey(b []byte) (Key, error) {
	if len(b) != KeySize {
		return Key{}, fmt.Errorf("e2ee: a key is %d bytes, got %d", KeySize, len(b))
	}
	k := new([KeySize]byte)
	copy(k[:], b)
	return Key{b: k}, nil
}

// GenerateKey returns a new random Key from crypto/rand.
func GenerateKey() Key {
	k := new([KeySize]byte)
	rand.Read(k[:]) // never fails (crypto/rand, Go 1.24+)
	return Key{b: k}
}

// IsZero reports whether k holds no key.
func (k Key) IsZero() bool { return k.b == nil }

// ID returns the key id that the spec's "wamp" scheme derives from a data
// encryption key: the least significant 20 bytes of the SHA-256 of its
// public key, hex-encoded with prefix "0x" and EIP-55 mixed-case checksum.
// A symmetric key has no public key of its own; ID takes the key as a
// Curve25519 private key (as nacl/box would) and hashes its public key, so
// the id reveals nothing of the key. It returns "" for the zero Key.
func (k Key) ID() string {
	if k.b == nil {
		return ""
	}
	pub, err := curve25519.X25519(k.b[:], curve25519.Basepoint)
	if err != nil {
		// Only a low-order point fails, and the base point is not one.
		panic("e2ee: X25519 of the base point failed")
	}
	sum := sha256.Sum256(pub)
	return eip55(sum[len(sum)-20:])
}

// eip55 encodes addr as "0x" and the EIP-55 checksummed hex: a letter is
// upper case when the matching nibble of Keccak-256(lowercase hex) is 8 or
// more.
func eip55(addr []byte) string {
	lower := hex.EncodeToString(addr)
	h := sha3.NewLegacyKeccak256()
	h.Write([]byte(lower))
	sum := h.Sum(nil)
	out := []byte("0x" + lower)
	for i := range len(lower) {
		c := lower[i]
		nibble := sum[i/2] >> 4
		if i%2 == 1 {
			nibble = sum[i/2] & 0x0f
		}
		if c >= 'a' && c <= 'f' && nibble >= 8 {
			out[2+i] = c - 'a' + 'A'
		}
	}
	return string(out)
}

const redactedKey = "e2ee.Key(****)"

// String returns a placeholder: never the key.
func (k Key) String() string { return redactedKey }

// GoString returns a placeholder: never the key.
func (k Key) GoString() string { return redactedKey }

// Format prints a placeholder with every verb: never the key.
func (k Key) Format(f fmt.State, _ rune) { fmt.Fprint(f, redactedKey) }

// LogValue logs a placeholder: never the key.
func (k Key) LogValue() slog.Value { return slog.StringValue(redactedKey) }

// MarshalText returns the placeholder, so that encoding a Key (with
// encoding/json and others) never writes the key.
func (k Key) MarshalText() ([]byte, error) { return []byte(redactedKey), nil }
