package auth

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/binary"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"strings"
)

// ParseCryptosignKey reads an Ed25519 private key for Cryptosign from data
// in any of these forms:
//
//   - the 32-byte seed, raw (a file of exactly 32 bytes, as autobahn's
//     CryptosignKey.from_file reads) or in hex (64 digits, optional "0x",
//     surrounding white space ignored);
//   - the 64-byte seed-and-public-key form, raw or in hex;
//   - an OpenSSH private key ("-----BEGIN OPENSSH PRIVATE KEY-----", as
//     `ssh-keygen -t ed25519` writes it), not encrypted;
//   - a PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----", as `openssl
//     genpkey -algorithm ed25519` writes it);
//   - a Crossbar key file, with a line "private-key-ed25519: <hex seed>".
//
// Errors never quote the data.
func ParseCryptosignKey(data []byte) (ed25519.PrivateKey, error) {
	if len(data) == ed25519.SeedSize {
		return ed25519.NewKeyFromSeed(data), nil
	}
	text := bytes.TrimSpace(data)
	if block, _ := pem.Decode(text); block != nil {
		switch block.Type {
		case "OPENSSH PRIVATE KEY":
			return parseOpenSSHKey(block.Bytes)
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				return nil, errors.New("malformed PKCS#8 private key")
			}
			priv, ok := k.(ed25519.PrivateKey)
			if !ok {
				return nil, errors.New("PKCS#8 private key is not Ed25519")
			}
			return priv, nil
		case "ENCRYPTED PRIVATE KEY":
			return nil, errors.New("encrypted PKCS#8 keys are not supported; decrypt the key first")
		}
		return nil, errors.New("PEM block of type " + block.Type + " is not a supported private key")
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

// checkedPrivateKey accepts seed||public only when public matches seed.
func checkedPrivateKey(b []byte) (ed25519.PrivateKey, bool) {
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

// parseOpenSSHKey reads the body of an "OPENSSH PRIVATE KEY" PEM block
// (the format of OpenSSH's PROTOCOL.key): one unencrypted ssh-ed25519 key.
func parseOpenSSHKey(b []byte) (ed25519.PrivateKey, error) {
	malformed := errors.New("malformed OpenSSH private key")
	const magic = "openssh-key-v1\x00"
	if !bytes.HasPrefix(b, []byte(magic)) {
		return nil, malformed
	}
	r := sshReader{b: b[len(magic):]}
	cipher, kdf := r.str(), r.str()
	r.str() // kdf options
	n := r.u32()
	if r.bad {
		return nil, malformed
	}
	if string(cipher) != "none" || string(kdf) != "none" {
		return nil, errors.New("encrypted OpenSSH keys are not supported; remove the passphrase (ssh-keygen -p) or use another file")
	}
	if n != 1 {
		return nil, errors.New("OpenSSH key file must hold exactly one key")
	}
	r.str() // public key blob
	p := sshReader{b: r.str()}
	if r.bad || len(r.b) != 0 {
		return nil, malformed
	}
	check1, check2 := p.u32(), p.u32()
	keyType := p.str()
	pub := p.str()
	priv := p.str()
	p.str() // comment
	if p.bad || check1 != check2 {
		return nil, malformed
	}
	if string(keyType) != "ssh-ed25519" {
		return nil, errors.New("OpenSSH key is not ssh-ed25519")
	}
	if len(pub) != ed25519.PublicKeySize || len(priv) != ed25519.PrivateKeySize {
		return nil, malformed
	}
	for i, c := range p.b { // padding 1, 2, 3, ...
		if int(c) != i+1 {
			return nil, malformed
		}
	}
	k, ok := checkedPrivateKey(priv)
	if !ok || !bytes.Equal(pub, k[ed25519.SeedSize:]) {
		return nil, malformed
	}
	return k, nil
}

// sshReader reads the SSH wire encoding; bad is set past the end.
type sshReader struct {
	b   []byte
	bad bool
}

func (r *sshReader) u32() uint32 {
	if len(r.b) < 4 {
		r.bad = true
		return 0
	}
	v := binary.BigEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *sshReader) str() []byte {
	n := r.u32()
	if r.bad || uint64(n) > uint64(len(r.b)) {
		r.bad = true
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}
