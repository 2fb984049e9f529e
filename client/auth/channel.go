package auth

import (
	"crypto"
	"crypto/sha256"
	"crypto/x509"
	"errors"
	"fmt"
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

// channelBindingData returns the channel binding data of type cb for the
// connection of c, as RFC 5929 and RFC 9266 define it. On a connection
// without TLS it fails with ErrChannelBinding.
func channelBindingData(c Conn, cb ChannelBinding) ([]byte, error) {
	cs, ok := c.TLSConnectionState()
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
