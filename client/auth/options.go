package auth

// Option tunes an Authenticator built by this package. Each constructor
// documents the options it uses and ignores the others.
type Option func(*options)

type options struct {
	binding    ChannelBinding
	limits     KDFLimits
	passphrase []byte // KeyPassphrase
}

func newOptions(opts []Option) options {
	var o options
	for _, f := range opts {
		f(&o)
	}
	return o
}

// BindChannel asks Cryptosign and SCRAM to bind the authentication to the
// TLS connection with channel binding type cb (default: none). Cryptosign
// accepts TLSUnique and TLSExporter, SCRAM those and TLSServerEndPoint. The
// router must confirm the binding: a Cryptosign CHALLENGE that does not
// name cb ends the join with ErrChannelBinding.
func BindChannel(cb ChannelBinding) Option { return func(o *options) { o.binding = cb } }

// KDFLimits bounds the key-derivation costs a router may ask the client to
// spend (salted WAMP-CRA and WAMP-SCRAM): a CHALLENGE outside the bounds
// ends the join with a *KDFCostError (matching ErrBadChallenge). Too low a
// cost would let a rogue router obtain a cheaply crackable password hash;
// too high a cost would let it exhaust the client's CPU or memory. Both
// each factor and the total cost are bounded: the defaults keep one
// derivation well under a second of one core and 64 MiB. Zero fields take
// the defaults; the minimums may be lowered explicitly, for a router known
// to use weaker parameters, at the cost of that protection.
type KDFLimits struct {
	// MinPBKDF2Iterations: default 4096 for SCRAM (RFC 7677's minimum),
	// 1000 for WAMP-CRA (the spec's example).
	MinPBKDF2Iterations int
	// MaxPBKDF2Iterations bounds PBKDF2's total cost, counted in
	// iterations of one 32-byte block: iterations × ⌈keylen/32⌉ (SCRAM's
	// key is one block). Default 600,000 (DefaultMaxPBKDF2Cost).
	MaxPBKDF2Iterations int
	// MinArgon2Memory and MaxArgon2Memory bound the Argon2id memory cost
	// in KiB: default 19456 (19 MiB) and 65536 (64 MiB).
	MinArgon2Memory, MaxArgon2Memory int
	// MinArgon2Iterations and MaxArgon2Iterations bound the Argon2id time
	// cost (passes over the memory): default 2 and 64.
	MinArgon2Iterations, MaxArgon2Iterations int
	// MaxArgon2Cost bounds Argon2id's total cost, iterations × memory in
	// KiB: default 131072 (DefaultMaxArgon2Cost: 2 passes over 64 MiB, or
	// 4 over 32 MiB).
	MaxArgon2Cost int
}

// Defaults of KDFLimits' total costs, each well under a second of one
// laptop core (PBKDF2-HMAC-SHA256 runs about 2 million iterations a second,
// Argon2id about 1 GiB of passes a second).
const (
	DefaultMaxPBKDF2Cost = 600_000
	DefaultMaxArgon2Cost = 128 * 1024
)

func (l KDFLimits) withDefaults(minPBKDF2 int) KDFLimits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MinPBKDF2Iterations, minPBKDF2)
	def(&l.MaxPBKDF2Iterations, DefaultMaxPBKDF2Cost)
	def(&l.MinArgon2Memory, 19*1024)
	def(&l.MaxArgon2Memory, 64*1024)
	def(&l.MinArgon2Iterations, 2)
	def(&l.MaxArgon2Iterations, 64)
	def(&l.MaxArgon2Cost, DefaultMaxArgon2Cost)
	return l
}

// LimitKDF replaces the default KDFLimits of WAMPCRA and SCRAM.
func LimitKDF(l KDFLimits) Option { return func(o *options) { o.limits = l } }

// KeyPassphrase gives CryptosignFromFile the passphrase that decrypts an
// OpenSSH key file protected by one; files that are not encrypted ignore
// it, and an empty passphrase counts as none. The passphrase is used while
// CryptosignFromFile runs and is not retained.
func KeyPassphrase(passphrase []byte) Option {
	return func(o *options) { o.passphrase = passphrase }
}
