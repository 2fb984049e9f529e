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
// ends the join with ErrBadChallenge. Too low a cost would let a rogue
// router obtain a cheaply crackable password hash; too high a cost would let
// it exhaust the client's CPU or memory. Zero fields take the defaults.
type KDFLimits struct {
	// MinPBKDF2Iterations: default 4096 for SCRAM (RFC 7677's minimum),
	// 1 for WAMP-CRA, whose spec example uses 1000.
	MinPBKDF2Iterations int
	// MaxPBKDF2Iterations: default 10,000,000.
	MaxPBKDF2Iterations int
	// MinArgon2Memory and MaxArgon2Memory bound the Argon2id memory cost
	// in KiB: default 1024 (1 MiB) and 262144 (256 MiB).
	MinArgon2Memory, MaxArgon2Memory int
	// MaxArgon2Iterations bounds the Argon2id time cost: default 10,000.
	MaxArgon2Iterations int
}

func (l KDFLimits) withDefaults(minPBKDF2 int) KDFLimits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MinPBKDF2Iterations, minPBKDF2)
	def(&l.MaxPBKDF2Iterations, 10_000_000)
	def(&l.MinArgon2Memory, 1024)
	def(&l.MaxArgon2Memory, 256*1024)
	def(&l.MaxArgon2Iterations, 10_000)
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
