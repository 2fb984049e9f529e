package auth

// The key derivations a router may ask for (salted WAMP-CRA, WAMP-SCRAM),
// their bounds (KDFLimits) and how they end with the join's context.

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"

	"golang.org/x/crypto/argon2"
)

// KDFCostError reports a CHALLENGE whose key-derivation parameters lie
// outside the KDFLimits: too cheap (a hash the router could crack) or too
// costly (CPU or memory the router could exhaust). It matches
// ErrBadChallenge with errors.Is.
type KDFCostError struct {
	Method string // "wampcra" or "wamp-scram"
	KDF    string // "pbkdf2" or "argon2id13"
	// Param is what is out of bounds: "iterations", "memory" (KiB), or
	// "cost" (the total: iterations × ⌈keylen/32⌉ for PBKDF2, iterations ×
	// memory for Argon2id).
	Param    string
	Value    int
	Min, Max int
}

func (e *KDFCostError) Error() string {
	return fmt.Sprintf("%v: %s: %s %s %d outside the limits [%d, %d]",
		ErrBadChallenge, e.Method, e.KDF, e.Param, e.Value, e.Min, e.Max)
}

// Is reports whether target is ErrBadChallenge.
func (e *KDFCostError) Is(target error) bool { return target == ErrBadChallenge }

// checkPBKDF2 checks PBKDF2's parameters: iterations, then the total cost
// in one-block iterations. keylen must already lie in [1, 1024].
func (l KDFLimits) checkPBKDF2(method string, iterations, keylen int) error {
	if iterations < l.MinPBKDF2Iterations || iterations > l.MaxPBKDF2Iterations {
		return &KDFCostError{Method: method, KDF: "pbkdf2", Param: "iterations",
			Value: iterations, Min: l.MinPBKDF2Iterations, Max: l.MaxPBKDF2Iterations}
	}
	if cost := iterations * pbkdf2Blocks(keylen); cost > l.MaxPBKDF2Iterations {
		return &KDFCostError{Method: method, KDF: "pbkdf2", Param: "cost",
			Value: cost, Min: l.MinPBKDF2Iterations, Max: l.MaxPBKDF2Iterations}
	}
	return nil
}

// checkArgon2 checks Argon2id's parameters: each factor, then their
// product.
func (l KDFLimits) checkArgon2(method string, iterations, memory int) error {
	if iterations < l.MinArgon2Iterations || iterations > l.MaxArgon2Iterations {
		return &KDFCostError{Method: method, KDF: "argon2id13", Param: "iterations",
			Value: iterations, Min: l.MinArgon2Iterations, Max: l.MaxArgon2Iterations}
	}
	if memory < l.MinArgon2Memory || memory > l.MaxArgon2Memory {
		return &KDFCostError{Method: method, KDF: "argon2id13", Param: "memory",
			Value: memory, Min: l.MinArgon2Memory, Max: l.MaxArgon2Memory}
	}
	// Both factors are bounded by ints the caller chose, so the product
	// fits in 64 bits for any realistic limits; saturate to be sure.
	cost := iterations * memory
	if memory != 0 && cost/memory != iterations {
		cost = int(^uint(0) >> 1)
	}
	if cost > l.MaxArgon2Cost {
		return &KDFCostError{Method: method, KDF: "argon2id13", Param: "cost",
			Value: cost, Min: l.MinArgon2Iterations * l.MinArgon2Memory, Max: l.MaxArgon2Cost}
	}
	return nil
}

// pbkdf2Blocks is the number of SHA-256 output blocks in a key of keylen
// bytes: PBKDF2 runs all its iterations once per block.
func pbkdf2Blocks(keylen int) int { return (keylen + sha256.Size - 1) / sha256.Size }

// pbkdf2Check is how many iterations pbkdf2Key runs between two looks at
// its context (a few milliseconds of work).
const pbkdf2Check = 4096

// pbkdf2Key is PBKDF2-HMAC-SHA256 (RFC 8018, section 5.2), which stops
// with ctx's error when ctx ends: the router chooses its cost, and the
// join's deadline must end it. It gives the same keys as crypto/pbkdf2
// (the tests compare them).
func pbkdf2Key(ctx context.Context, password, salt []byte, iterations, keylen int) ([]byte, error) {
	prf := hmac.New(sha256.New, password)
	key := make([]byte, 0, pbkdf2Blocks(keylen)*sha256.Size)
	u := make([]byte, 0, sha256.Size)
	t := make([]byte, sha256.Size)
	var index [4]byte
	for block := uint32(1); len(key) < keylen; block++ {
		prf.Reset()
		prf.Write(salt)
		binary.BigEndian.PutUint32(index[:], block)
		prf.Write(index[:])
		u = prf.Sum(u[:0])
		copy(t, u)
		for n := 2; n <= iterations; n++ {
			if n%pbkdf2Check == 0 && ctx.Err() != nil {
				return nil, ctx.Err()
			}
			prf.Reset()
			prf.Write(u)
			u = prf.Sum(u[:0])
			for i := range t {
				t[i] ^= u[i]
			}
		}
		key = append(key, t...)
	}
	clear(t)
	clear(u)
	return key[:keylen], nil
}

// argon2Key is Argon2id v1.3 with parallelism 1 and a 32-byte key, which
// returns ctx's error when ctx ends. golang.org/x/crypto/argon2 cannot be
// interrupted, so the derivation then goes on, abandoned, on a goroutine
// of its own until it ends (its cost bounded by KDFLimits) and its result
// is dropped.
func argon2Key(ctx context.Context, password, salt []byte, iterations, memory int) ([]byte, error) {
	done := make(chan []byte, 1) // buffered: an abandoned derivation never blocks
	go func() { done <- argon2.IDKey(password, salt, uint32(iterations), uint32(memory), 1, sha256.Size) }()
	select {
	case k := <-done:
		return k, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
