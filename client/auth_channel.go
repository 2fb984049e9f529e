package client

import (
	"crypto"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/protocol"
)

// ChannelBinding names a TLS channel binding type (RFC 5056), which ties an
// authentication to the TLS connection it runs over so that it cannot be
// relayed by a man in the middle. Ask for one with BindChannel.
type ChannelBinding string

const (
	// TLSUnique binds to the first TLS Finished message (RFC 5929,
	// section 3). TLS 1.3 has none: use TLSExporter there. Go provides it
	// for TLS 1.2 connections with the extended master secret (Go's
	// default) or that were not resumed.
	TLSUnique ChannelBinding = "tls-unique"
	// TLSExporter binds to 32 bytes of keying material exported with the
	// label "EXPORTER-Channel-Binding" and no context (RFC 9266). It needs
	// TLS 1.3, or TLS 1.2 with the extended master secret.
	TLSExporter ChannelBinding = "tls-exporter"
	// TLSServerEndPoint binds to the hash of the router's certificate (RFC
	// 5929, section 4). WAMP-SCRAM only.
	TLSServerEndPoint ChannelBinding = "tls-server-end-point"
)

// TLSConnectionStater is implemented by transports that run over TLS and
// can report its state (as *wsconn.Conn does for wss:// connections).
// Channel binding needs it; on a transport without it, or one reporting
// false, an authenticator asked to bind fails the join before HELLO with an
// error matching ErrChannelBinding.
type TLSConnectionStater interface {
	TLSConnectionState() (tls.ConnectionState, bool)
}

// channelBindingData returns the channel binding data of type cb for the
// connection under t, as RFC 5929 and RFC 9266 define it.
func channelBindingData(t protocol.Transport, cb ChannelBinding) ([]byte, error) {
	ts, ok := t.(TLSConnectionStater)
	if !ok {
		return nil, fmt.Errorf("%w: %s: the transport does not run over TLS", ErrChannelBinding, cb)
	}
	cs, ok := ts.TLSConnectionState()
	if !ok {
		return nil, fmt.Errorf("%w: %s: the connection does not use TLS", ErrChannelBinding, cb)
	}
	switch cb {
	case TLSUnique:
		if len(cs.TLSUnique) == 0 {
			return nil, fmt.Errorf("%w: tls-unique: not available on this connection (TLS 1.3, or a resumption without extended master secret)", ErrChannelBinding)
		}
		return cs.TLSUnique, nil
	case TLSExporter:
		b, err := cs.ExportKeyingMaterial("EXPORTER-Channel-Binding", nil, 32)
		if err != nil {
			return nil, fmt.Errorf("%w: tls-exporter: %v", ErrChannelBinding, err)
		}
		return b, nil
	case TLSServerEndPoint:
		if len(cs.PeerCertificates) == 0 {
			return nil, fmt.Errorf("%w: tls-server-end-point: no server certificate", ErrChannelBinding)
		}
		return serverEndPoint(cs.PeerCertificates[0])
	}
	return nil, fmt.Errorf("%w: unknown channel binding type %q", ErrChannelBinding, cb)
}

// serverEndPoint hashes cert as RFC 5929 section 4.1 says: with the hash of
// its signature algorithm, SHA-256 in place of MD5 and SHA-1.
func serverEndPoint(cert *x509.Certificate) ([]byte, error) {
	h := crypto.SHA256
	switch cert.SignatureAlgorithm {
	case x509.SHA384WithRSA, x509.ECDSAWithSHA384, x509.SHA384WithRSAPSS:
		h = crypto.SHA384
	case x509.SHA512WithRSA, x509.ECDSAWithSHA512, x509.SHA512WithRSAPSS:
		h = crypto.SHA512
	case x509.PureEd25519:
		// RFC 5929 does not cover signatures without a separate hash;
		// SHA-256 is the common choice.
	}
	if h == crypto.SHA256 {
		s := sha256.Sum256(cert.Raw)
		return s[:], nil
	}
	if !h.Available() {
		return nil, errors.New("hash unavailable")
	}
	w := h.New()
	w.Write(cert.Raw)
	return w.Sum(nil), nil
}

// AuthOption tunes an Authenticator built by this package.
type AuthOption func(*authOptions)

type authOptions struct {
	binding ChannelBinding
	limits  KDFLimits
}

func newAuthOptions(opts []AuthOption) authOptions {
	var o authOptions
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
func BindChannel(cb ChannelBinding) AuthOption { return func(o *authOptions) { o.binding = cb } }

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
func LimitKDF(l KDFLimits) AuthOption { return func(o *authOptions) { o.limits = l } }
