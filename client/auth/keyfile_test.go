package auth

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/crypto/ssh"
)

func TestAuthKeyFiles(t *testing.T) {
	v := loadVectors(t, "vectors_autobahn_py.json")
	if len(v.Keyfiles) < 5 {
		t.Fatalf("want 5 key files, have %d", len(v.Keyfiles))
	}
	for _, kf := range v.Keyfiles {
		a, err := CryptosignFromFile(authTestdata(kf.File))
		if err != nil {
			t.Errorf("%s: %v", kf.File, err)
			continue
		}
		if got := CryptosignPublicKey(a); got != kf.PubKey {
			t.Errorf("%s: pubkey %s, want %s", kf.File, got, kf.PubKey)
		}
	}
}

func TestAuthKeyFormats(t *testing.T) {
	seed := make([]byte, 32)
	for i := range seed {
		seed[i] = byte(i * 7)
	}
	priv := ed25519.NewKeyFromSeed(seed)
	for name, data := range map[string][]byte{
		"raw seed":         seed,
		"hex seed":         []byte(hex.EncodeToString(seed)),
		"hex seed 0x + nl": []byte("0x" + hex.EncodeToString(seed) + "\n"),
		"raw 64":           priv,
		"hex 64":           []byte(hex.EncodeToString(priv)),
		"crossbar":         []byte("comment\n\nPrivate-Key-Ed25519: " + hex.EncodeToString(seed) + "\n"),
	} {
		got, err := ParseCryptosignKey(data)
		if err != nil || !got.Equal(priv) {
			t.Errorf("%s: %v", name, err)
		}
	}
	bad := map[string][]byte{
		"empty":          nil,
		"short hex":      []byte("abcdef"),
		"64 mismatch":    append(append([]byte{}, seed...), make([]byte, 32)...),
		"pem garbage":    []byte("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"),
		"pem other type": []byte("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n"),
		"not hex":        []byte(strings.Repeat("zz", 32)),
	}
	enc, err := os.ReadFile(authTestdata("keys/openssh_ed25519_encrypted"))
	if err != nil {
		t.Fatal(err)
	}
	bad["encrypted openssh, no passphrase"] = enc
	for name, data := range bad {
		_, err := ParseCryptosignKey(data)
		if err == nil {
			t.Errorf("%s: accepted", name)
			continue
		}
		if len(data) > 8 && strings.Contains(err.Error(), string(data[:8])) {
			t.Errorf("%s: error quotes the data: %v", name, err)
		}
	}
	if _, err := CryptosignFromSeed(seed[:31]); err == nil {
		t.Error("31-byte seed accepted")
	}
	if _, err := CryptosignFromFile(authTestdata("keys/no_such_file")); err == nil {
		t.Error("missing file accepted")
	}
}

// encryptedFixturePub is the public key of keys/openssh_ed25519_encrypted
// (passphrase "not-a-secret"), as `ssh-keygen -y` prints it, in hex.
const encryptedFixturePub = "e3e2302ddaf16dadf4f155c8e81d32cf48f0ddb460e58622e51cf1326716a7dc"

func TestAuthKeyPassphrase(t *testing.T) {
	path := authTestdata("keys/openssh_ed25519_encrypted")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for name, pass := range map[string][]byte{"none": nil, "empty": {}, "wrong": []byte("not-the-secret")} {
		_, err := ParseCryptosignKeyWithPassphrase(data, pass)
		if !errors.Is(err, ErrPassphrase) {
			t.Errorf("passphrase %s: err = %v, want ErrPassphrase", name, err)
		}
	}
	if _, err := CryptosignFromFile(path); !errors.Is(err, ErrPassphrase) {
		t.Errorf("CryptosignFromFile without passphrase: err = %v, want ErrPassphrase", err)
	}
	a, err := CryptosignFromFile(path, KeyPassphrase([]byte("not-a-secret")))
	if err != nil || CryptosignPublicKey(a) != encryptedFixturePub {
		t.Fatalf("CryptosignFromFile: %v, %v", a, err)
	}
	// A passphrase given for a file that is not encrypted is ignored.
	if _, err := CryptosignFromFile(authTestdata("keys/openssh_ed25519"), KeyPassphrase([]byte("x"))); err != nil {
		t.Fatal(err)
	}
}

// TestAuthKeyOpenSSHMarshalled reads a key that x/crypto/ssh writes and
// refuses those that are not usable. (Its encrypted form costs 16 bcrypt
// rounds, seconds under the race detector: the passphrase tests use keys
// made with ssh-keygen -a 1 instead.)
func TestAuthKeyOpenSSHMarshalled(t *testing.T) {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	marshal := func(key any) []byte {
		t.Helper()
		b, err := ssh.MarshalPrivateKey(key, "test key")
		if err != nil {
			t.Fatal(err)
		}
		return pem.EncodeToMemory(b)
	}
	if got, err := ParseCryptosignKey(marshal(priv)); err != nil || !got.Equal(priv) {
		t.Fatalf("plain: %v", err)
	}

	// The public half must match the seed.
	mismatched := append(ed25519.PrivateKey{}, priv...)
	mismatched[40] ^= 1
	if _, err := ParseCryptosignKey(marshal(mismatched)); err == nil {
		t.Fatal("key with a mismatched public half accepted")
	}
	// Other key types are refused, plain or encrypted.
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ParseCryptosignKey(marshal(ec)); err == nil || !strings.Contains(err.Error(), "not Ed25519") {
		t.Fatalf("ECDSA key: %v", err)
	}
}

// TestAuthKeySSHKeygen reads a passphrase-protected key that ssh-keygen
// makes now (with one KDF round, to stay fast), checked against the public
// key it writes beside it. It skips where OpenSSH is not installed.
func TestAuthKeySSHKeygen(t *testing.T) {
	keygen, err := exec.LookPath("ssh-keygen")
	if err != nil {
		t.Skip("ssh-keygen not installed")
	}
	path := filepath.Join(t.TempDir(), "id_ed25519")
	out, err := exec.Command(keygen, "-q", "-t", "ed25519", "-a", "1", "-N", "keygen passphrase", "-C", "wampgo test", "-f", path).CombinedOutput()
	if err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	pubLine, err := os.ReadFile(path + ".pub")
	if err != nil {
		t.Fatal(err)
	}
	pub, _, _, _, err := ssh.ParseAuthorizedKey(pubLine)
	if err != nil {
		t.Fatal(err)
	}
	want := hex.EncodeToString(pub.(ssh.CryptoPublicKey).CryptoPublicKey().(ed25519.PublicKey))
	if _, err := CryptosignFromFile(path); !errors.Is(err, ErrPassphrase) {
		t.Fatalf("without passphrase: %v", err)
	}
	a, err := CryptosignFromFile(path, KeyPassphrase([]byte("keygen passphrase")))
	if err != nil {
		t.Fatal(err)
	}
	if got := CryptosignPublicKey(a); got != want {
		t.Fatalf("pubkey %s, want %s (ssh-keygen's)", got, want)
	}
}
