package auth

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"

	"golang.org/x/crypto/ssh"
)

// ParseCryptosignKey reads an Ed25519 private key for Cryptosign from data
// in any of these forms:
//
//   - the 32-byte seed, raw (a file of exactly 32 bytes, as autobahn's
//     CryptosignKey.from_file reads) or in hex (64 digits, optional "0x",
//     surrounding white space ignored);
//   - the 64-byte seed-and-public-key form, raw or in hex;
//   - an OpenSSH private key ("-----BEGIN OPENSSH PRIVATE KEY-----", as
//     `ssh-keygen -t ed25519` writes it); one protected by a passphrase
//     needs ParseCryptosignKeyWithPassphrase;
//   - a PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----", as `openssl
//     genpkey -algorithm ed25519` writes it), not encrypted;
//   - a Crossbar key file, with a line "private-key-ed25519: <hex seed>".
//
// The PEM forms are parsed by golang.org/x/crypto/ssh. A key whose public
// half does not match its seed is refused. Errors never quote the data; an
// encrypted OpenSSH key without its passphrase gives one matching
// ErrPassphrase.
func ParseCryptosignKey(data []byte) (ed25519.PrivateKey, error) {
	return ParseCryptosignKeyWithPassphrase(data, nil)
}

// ParseCryptosignKeyWithPassphrase is ParseCryptosignKey for key data that
// may be an OpenSSH private key protected by passphrase (as `ssh-keygen -p`
// sets it). A missing (empty) or wrong passphrase gives an error matching
// ErrPassphrase; data that is not encrypted is read as ParseCryptosignKey
// reads it, whatever the passphrase. The passphrase is not retained.
func ParseCryptosignKeyWithPassphrase(data, passphrase []byte) (ed25519.PrivateKey, error) {
	if len(data) == ed25519.SeedSize {
		return ed25519.NewKeyFromSeed(data), nil
	}
	text := bytes.TrimSpace(data)
	if block, _ := pem.Decode(text); block != nil {
		return parsePEMKey(block, text, passphrase)
	}
	if k, ok := parseHexKey(text); ok {
		return k, nil
	}
	if len(data) == ed25519.PrivateKeySize {
		if k, ok := checkedPrivateKey(data); ok {
			return k, nil
		}
	}
	if k, ok := parseCrossbarKey(text); ok {
		return k, nil
	}
	return nil, errKeyFormat
}

// errKeyFormat is the error for key data in no format we know.
var errKeyFormat = errors.New("not an Ed25519 private key in a known format (raw or hex 32-byte seed, OpenSSH, PKCS#8 PEM, Crossbar key file)")

// parsePEMKey reads the PEM key data whose first block is block through
// x/crypto/ssh, decrypting it with passphrase when it is encrypted. The
// library's errors are replaced by ours, which never quote the data.
func parsePEMKey(block *pem.Block, data, passphrase []byte) (ed25519.PrivateKey, error) {
	switch block.Type {
	case "OPENSSH PRIVATE KEY", "PRIVATE KEY":
	case "ENCRYPTED PRIVATE KEY":
		return nil, errors.New("encrypted PKCS#8 keys are not supported; decrypt the key first or convert it to OpenSSH format (ssh-keygen -p)")
	default:
		return nil, fmt.Errorf("PEM block of type %q is not a supported private key", block.Type)
	}
	k, err := ssh.ParseRawPrivateKey(data)
	var missing *ssh.PassphraseMissingError
	if errors.As(err, &missing) {
		if len(passphrase) == 0 {
			return nil, fmt.Errorf("%w: the key is encrypted and no passphrase was given", ErrPassphrase)
		}
		k, err = ssh.ParseRawPrivateKeyWithPassphrase(data, passphrase)
		if errors.Is(err, x509.IncorrectPasswordError) {
			return nil, fmt.Errorf("%w: the passphrase does not decrypt the key", ErrPassphrase)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("malformed %s", strings.ToLower(block.Type))
	}
	var priv ed25519.PrivateKey
	switch k := k.(type) {
	case ed25519.PrivateKey: // PKCS#8
		priv = k
	case *ed25519.PrivateKey: // OpenSSH
		priv = *k
	default:
		return nil, fmt.Errorf("%s is not Ed25519", strings.ToLower(block.Type))
	}
	checked, ok := checkedPrivateKey(priv)
	clear(priv)
	if !ok {
		return nil, fmt.Errorf("malformed %s: the public key does not match the private key", strings.ToLower(block.Type))
	}
	return checked, nil
}

// parseHexKey reads a hex seed or seed-and-public-key.
func parseHexKey(text []byte) (ed25519.PrivateKey, bool) {
	s := strings.TrimPrefix(strings.TrimPrefix(string(text), "0x"), "0X")
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, false
	}
	switch len(b) {
	case ed25519.SeedSize:
		return ed25519.NewKeyFromSeed(b), true
	case ed25519.PrivateKeySize:
		return checkedPrivateKey(b)
	}
	return nil, false
}

// checkedPrivateKey returns a fresh key made from the seed of b (seed ||
// public), but only when b's public half matches the seed.
func checkedPrivateKey(b []byte) (ed25519.PrivateKey, bool) {
	if len(b) != ed25519.PrivateKeySize {
		return nil, false
	}
	k := ed25519.NewKeyFromSeed(b[:ed25519.SeedSize])
	if !bytes.Equal(k[ed25519.SeedSize:], b[ed25519.SeedSize:]) {
		return nil, false
	}
	return k, true
}

// parseCrossbarKey reads the "private-key-ed25519: HEX" line of a
// Crossbar/autobahn key file.
func parseCrossbarKey(text []byte) (ed25519.PrivateKey, bool) {
	sc := bufio.NewScanner(bytes.NewReader(text))
	for sc.Scan() {
		name, value, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.EqualFold(strings.TrimSpace(name), "private-key-ed25519") {
			return parseHexKey([]byte(strings.TrimSpace(value)))
		}
	}
	return nil, false
}

// CryptosignFromFile is Cryptosign with the private key read from the file
// at path, in any format ParseCryptosignKey accepts. For an OpenSSH key
// protected by a passphrase, give it with KeyPassphrase. The other options
// are Cryptosign's.
func CryptosignFromFile(path string, opts ...Option) (Authenticator, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("wampgo: cryptosign: %w", err)
	}
	o := newOptions(opts)
	priv, err := ParseCryptosignKeyWithPassphrase(data, o.passphrase)
	clear(data)
	if err != nil {
		return nil, fmt.Errorf("wampgo: cryptosign: %s: %w", path, err)
	}
	return Cryptosign(priv, opts...), nil
}
