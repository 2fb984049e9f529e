package e2ee_test

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"
	"golang.org/x/crypto/curve25519"
	"golang.org/x/crypto/nacl/secretbox"

	"github.com/wampgo/wampgo/client/e2ee"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testKeyBytes is a distinctive key: finding it in any printed form is a
// leak.
var testKeyBytes = []byte("E2EE-KEY-SECRET-0123456789abcdef")

func testKey(t *testing.T) e2ee.Key {
	t.Helper()
	k, err := e2ee.NewKey(testKeyBytes)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

var ciphers = []string{e2ee.XSalsa20Poly1305, e2ee.AES256GCM}

// The key id follows the spec's "wamp" scheme: 0x and 40 hex digits, the
// last 20 bytes of SHA-256 of the key's Curve25519 public key, with the
// EIP-55 checksum case.
func TestKeyID(t *testing.T) {
	k := testKey(t)
	id := k.ID()
	pub, err := curve25519.X25519(testKeyBytes, curve25519.Basepoint)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(pub)
	if want := hex.EncodeToString(sum[12:]); len(id) != 42 || id[:2] != "0x" || strings.ToLower(id[2:]) != want {
		t.Fatalf("ID %s, want 0x%s in EIP-55 case", id, want)
	}
	if id == "0x"+strings.ToLower(id[2:]) || id == "0x"+strings.ToUpper(id[2:]) {
		t.Errorf("ID %s carries no checksum case", id)
	}
	if other := e2ee.GenerateKey().ID(); other == id {
		t.Error("two keys, one id")
	}
	if (e2ee.Key{}).ID() != "" {
		t.Error("the zero key has an id")
	}
	r := e2ee.NewKeyRing(k, e2ee.Key{})
	if !r.Has(id) || r.Len() != 1 {
		t.Errorf("NewKeyRing holds %d keys, has %s: %v", r.Len(), id, r.Has(id))
	}
}

// Sealed payloads have the documented layout, readable by secretbox and
// crypto/cipher directly, and every Seal uses a fresh nonce.
func TestSealOpen(t *testing.T) {
	r := e2ee.NewKeyRing()
	if err := r.Add("k", testKey(t)); err != nil {
		t.Fatal(err)
	}
	var key [32]byte
	copy(key[:], testKeyBytes)
	block, _ := aes.NewCipher(testKeyBytes)
	gcm, _ := cipher.NewGCM(block)
	for _, c := range ciphers {
		for _, n := range []int{0, 1, 100, 70000} {
			plain := bytes.Repeat([]byte{'p'}, n)
			sealed, err := r.Seal(c, "k", plain)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := r.Seal(c, "k", plain)
			if bytes.Equal(sealed, again) {
				t.Errorf("%s: two seals are equal: nonce reused", c)
			}
			var direct []byte
			var ok bool
			if c == e2ee.XSalsa20Poly1305 {
				var nonce [24]byte
				copy(nonce[:], sealed)
				direct, ok = secretbox.Open(nil, sealed[24:], &nonce, &key)
			} else {
				var err error
				direct, err = gcm.Open(nil, sealed[:12], sealed[12:], nil)
				ok = err == nil
			}
			if !ok || !bytes.Equal(direct, plain) {
				t.Errorf("%s/%d: the payload is not nonce || %s ciphertext", c, n, c)
			}
			got, err := r.Open(c, "k", sealed)
			if err != nil || !bytes.Equal(got, plain) {
				t.Errorf("%s/%d: Open = %v", c, n, err)
			}
		}
	}
}

// Wrong key, every tampered byte, truncation, an unknown key or cipher:
// typed errors, never a panic.
func TestOpenFailures(t *testing.T) {
	r := e2ee.NewKeyRing()
	r.Add("k", testKey(t))
	r.Add("other", e2ee.GenerateKey())
	for _, c := range ciphers {
		sealed, _ := r.Seal(c, "k", []byte("attack at dawn"))
		if _, err := r.Open(c, "other", sealed); !errors.Is(err, e2ee.ErrDecrypt) || errors.Is(err, e2ee.ErrUnknownKey) {
			t.Errorf("%s wrong key: %v", c, err)
		}
		for i := range sealed {
			bad := bytes.Clone(sealed)
			bad[i] ^= 0x80
			if _, err := r.Open(c, "k", bad); !errors.Is(err, e2ee.ErrDecrypt) {
				t.Fatalf("%s byte %d tampered: %v", c, i, err)
			}
		}
		for n := range len(sealed) {
			if _, err := r.Open(c, "k", sealed[:n]); !errors.Is(err, e2ee.ErrDecrypt) {
				t.Fatalf("%s truncated to %d: %v", c, n, err)
			}
		}
		if _, err := r.Open(c, "nope", sealed); !errors.Is(err, e2ee.ErrDecrypt) || !errors.Is(err, e2ee.ErrUnknownKey) {
			t.Errorf("%s unknown key: %v", c, err)
		}
		if _, err := r.Seal(c, "nope", nil); !errors.Is(err, e2ee.ErrUnknownKey) {
			t.Errorf("%s seal unknown key: %v", c, err)
		}
		var nilRing *e2ee.KeyRing
		if _, err := nilRing.Open(c, "k", sealed); !errors.Is(err, e2ee.ErrUnknownKey) {
			t.Errorf("%s nil ring: %v", c, err)
		}
	}
	for _, c := range []string{"", "rot13", "AES256GCM"} {
		if _, err := r.Seal(c, "k", nil); !errors.Is(err, e2ee.ErrUnknownCipher) {
			t.Errorf("seal %q: %v", c, err)
		}
		if _, err := r.Open(c, "k", make([]byte, 64)); !errors.Is(err, e2ee.ErrUnknownCipher) {
			t.Errorf("open %q: %v", c, err)
		}
	}
	if _, err := e2ee.NewKey(make([]byte, 31)); err == nil {
		t.Error("a 31-byte key accepted")
	}
	if r.Add("", testKey(t)) == nil || r.Add("z", e2ee.Key{}) == nil {
		t.Error("an empty id or a zero key accepted")
	}
	r.Remove("k")
	if r.Has("k") {
		t.Error("Remove left the key")
	}
}

// A key never appears in a printed value, a JSON encoding, a log or an
// error, whatever the verb.
func TestKeysNeverPrinted(t *testing.T) {
	k := testKey(t)
	r := e2ee.NewKeyRing(k)
	forms := []string{string(testKeyBytes), hex.EncodeToString(testKeyBytes),
		base64.StdEncoding.EncodeToString(testKeyBytes), strings.Trim(fmt.Sprint(testKeyBytes[:8]), "[]")}
	var seen []string
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%T", "%p"} {
		seen = append(seen, fmt.Sprintf(verb, k), fmt.Sprintf(verb, r), fmt.Sprintf(verb, &k),
			fmt.Sprintf(verb, struct{ K e2ee.Key }{k}), fmt.Sprintf(verb, []e2ee.Key{k}))
	}
	j, err := json.Marshal(struct{ K e2ee.Key }{k})
	if err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	slog.New(slog.NewJSONHandler(&log, nil)).Info("x", "key", k, "ring", r)
	slog.New(slog.NewTextHandler(&log, nil)).Info("x", "key", k, "ring", r)
	seen = append(seen, string(j), log.String())
	for _, c := range ciphers {
		_, err1 := r.Open(c, k.ID(), []byte("short"))
		sealed, _ := r.Seal(c, k.ID(), []byte("x"))
		_, err2 := r.Open(c, k.ID(), append(sealed, 0))
		_, err3 := r.Open(c, "nope", sealed)
		for _, err := range []error{err1, err2, err3} {
			seen = append(seen, err.Error(), fmt.Sprintf("%#v", err))
		}
	}
	for _, s := range seen {
		for _, f := range forms {
			if strings.Contains(s, f) {
				t.Fatalf("a key leaks (%q) in:\n%s", f, s)
			}
		}
	}
}

// A ring changes while goroutines seal and open with it.
func TestKeyRingConcurrent(t *testing.T) {
	r := e2ee.NewKeyRing()
	r.Add("k", testKey(t))
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for j := range 200 {
				if i == 0 {
					r.Add(fmt.Sprint("x", j), e2ee.GenerateKey())
					r.Remove(fmt.Sprint("x", j-1))
					continue
				}
				c := ciphers[j%2]
				sealed, err := r.Seal(c, "k", []byte("m"))
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := r.Open(c, "k", sealed); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
}
