package auth

// Test vectors for the authentication methods, from the WAMP spec and RFC
// 7677 (testdata/auth/vectors_spec.json) and from independent
// implementations: autobahn-js (vectors_autobahn_js.json) and
// Autobahn|Python with argon2-cffi and OpenSSL (vectors_autobahn_py.json).
// See testdata/auth/README.md for how they were made.

import (
	"context"
	"crypto/ed25519"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

type craVector struct {
	Secret     string  `json:"secret"`
	Challenge  string  `json:"challenge"`
	Salt       *string `json:"salt"`
	Iterations *int    `json:"iterations"`
	KeyLen     *int    `json:"keylen"`
	DerivedKey *string `json:"derived_key"`
	Signature  string  `json:"signature"`
}

type cryptosignVector struct {
	Seed       string  `json:"seed"`
	PrivateKey string  `json:"private_key"` // the spec's name for the seed
	PubKey     string  `json:"pubkey"`
	Challenge  string  `json:"challenge"`
	ChannelID  *string `json:"channel_id"`
	Signature  string  `json:"signature"`
}

type scramVector struct {
	AuthID          string  `json:"authid"`
	Password        string  `json:"password"`
	ClientNonce     string  `json:"client_nonce"`
	ServerNonce     string  `json:"server_nonce"`
	Salt            string  `json:"salt"`
	KDF             string  `json:"kdf"`
	Iterations      int     `json:"iterations"`
	Memory          *int    `json:"memory"`
	ChannelBinding  *string `json:"channel_binding"`
	CBindData       *string `json:"cbind_data"`
	AuthMessage     string  `json:"auth_message"`
	SaltedPassword  string  `json:"salted_password"`
	ClientProof     string  `json:"client_proof"`
	ServerSignature string  `json:"server_signature"`
	ServerFinal     string  `json:"server_final"` // RFC 7677: "v=" + ServerSignature
}

type keyfileVector struct {
	File   string `json:"file"`
	PubKey string `json:"pubkey"`
}

type vectorFile struct {
	Generator       string             `json:"generator"`
	Implementations map[string]string  `json:"implementations"`
	WAMPCRA         []craVector        `json:"wampcra"`
	Cryptosign      []cryptosignVector `json:"cryptosign"`
	Keyfiles        []keyfileVector    `json:"keyfiles"`
	SCRAM           []scramVector      `json:"scram"`
	SCRAMRFC7677    *scramVector       `json:"scram_rfc7677"`
}

func authTestdata(name string) string { return filepath.Join("..", "..", "testdata", "auth", name) }

func loadVectors(t *testing.T, name string) vectorFile {
	t.Helper()
	data, err := os.ReadFile(authTestdata(name))
	if err != nil {
		t.Fatal(err)
	}
	var v vectorFile
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

func checkCRAVectors(t *testing.T, file string, vs []craVector) {
	t.Helper()
	if len(vs) == 0 {
		t.Fatalf("%s: no wampcra vectors", file)
	}
	for i, v := range vs {
		extra := protocol.Dict{"challenge": v.Challenge}
		if v.Salt != nil {
			extra["salt"] = *v.Salt
			extra["iterations"] = int64(*v.Iterations)
			extra["keylen"] = int64(*v.KeyLen)
			dk, err := craDeriveKey(context.Background(), []byte(v.Secret), *v.Salt, *v.Iterations, *v.KeyLen)
			if err != nil || string(dk) != *v.DerivedKey {
				t.Errorf("%s wampcra[%d]: derived key %q, %v; want %q", file, i, dk, err, *v.DerivedKey)
			}
		}
		// The vectors check the computation, some with fewer iterations
		// than the default floor: lower it.
		cra := WAMPCRA(v.Secret, LimitKDF(KDFLimits{MinPBKDF2Iterations: 1}))
		sig, ext, err := cra.Authenticate(context.Background(), &protocol.Challenge{AuthMethod: "wampcra", Extra: extra})
		if err != nil || sig != v.Signature || ext != nil {
			t.Errorf("%s wampcra[%d]: signature %q, %v, %v; want %q", file, i, sig, ext, err, v.Signature)
		}
	}
}

func checkCryptosignVectors(t *testing.T, file string, vs []cryptosignVector) {
	t.Helper()
	if len(vs) == 0 {
		t.Fatalf("%s: no cryptosign vectors", file)
	}
	for i, v := range vs {
		seedHex := v.Seed + v.PrivateKey
		seed, err := hex.DecodeString(seedHex)
		if err != nil {
			t.Fatal(err)
		}
		priv := ed25519.NewKeyFromSeed(seed)
		challenge, _ := hex.DecodeString(v.Challenge)
		var channelID []byte
		if v.ChannelID != nil {
			channelID, _ = hex.DecodeString(*v.ChannelID)
		}
		if got := cryptosignSign(priv, challenge, channelID); got != v.Signature {
			t.Errorf("%s cryptosign[%d]: signature\n got %s\nwant %s", file, i, got, v.Signature)
		}
		if v.ChannelID != nil {
			continue
		}
		// Without channel binding, the public API gives the same answer.
		a, err := CryptosignFromSeed(seed)
		if err != nil {
			t.Fatal(err)
		}
		if v.PubKey != "" && CryptosignPublicKey(a) != v.PubKey {
			t.Errorf("%s cryptosign[%d]: pubkey %s, want %s", file, i, CryptosignPublicKey(a), v.PubKey)
		}
		if a.HelloExtra()["pubkey"] != CryptosignPublicKey(a) {
			t.Errorf("%s cryptosign[%d]: HelloExtra %v", file, i, a.HelloExtra())
		}
		sig, _, err := a.Authenticate(context.Background(), &protocol.Challenge{AuthMethod: "cryptosign",
			Extra: protocol.Dict{"challenge": v.Challenge, "channel_binding": nil}})
		if err != nil || sig != v.Signature {
			t.Errorf("%s cryptosign[%d]: Authenticate %s, %v", file, i, sig, err)
		}
	}
}

func checkSCRAMVector(t *testing.T, name string, v scramVector) {
	t.Helper()
	p := scramParams{
		authid: v.AuthID, clientNonce: v.ClientNonce, serverNonce: v.ServerNonce,
		salt: v.Salt, kdf: v.KDF, iterations: v.Iterations,
	}
	if v.Memory != nil {
		p.memory = *v.Memory
	}
	if v.ChannelBinding != nil {
		p.cbName = ChannelBinding(*v.ChannelBinding)
		p.cbData, _ = base64.StdEncoding.DecodeString(*v.CBindData)
	}
	pw, err := saslprep(v.Password)
	if err != nil {
		t.Fatal(err)
	}
	salted, err := scramSaltedPassword(context.Background(), []byte(pw), p)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if v.SaltedPassword != "" && base64.StdEncoding.EncodeToString(salted) != v.SaltedPassword {
		t.Errorf("%s: SaltedPassword %s, want %s", name, base64.StdEncoding.EncodeToString(salted), v.SaltedPassword)
	}
	am := p.authMessage()
	if v.AuthMessage != "" && am != v.AuthMessage {
		t.Errorf("%s: AuthMessage\n got %s\nwant %s", name, am, v.AuthMessage)
	}
	proof, serverSig := scramProof(salted, am)
	if got := base64.StdEncoding.EncodeToString(proof); got != v.ClientProof {
		t.Errorf("%s: ClientProof %s, want %s", name, got, v.ClientProof)
	}
	wantSig := v.ServerSignature
	if wantSig == "" {
		wantSig = strings.TrimPrefix(v.ServerFinal, "v=")
	}
	if got := base64.StdEncoding.EncodeToString(serverSig); got != wantSig {
		t.Errorf("%s: ServerSignature %s, want %s", name, got, wantSig)
	}
}

func TestAuthSpecVectorsCryptosign(t *testing.T) {
	v := loadVectors(t, "vectors_spec.json")
	if len(v.Cryptosign) != 6 {
		t.Fatalf("want the spec's 6 vectors, have %d", len(v.Cryptosign))
	}
	checkCryptosignVectors(t, "spec", v.Cryptosign)
}

func TestAuthSpecVectorSCRAMRFC7677(t *testing.T) {
	v := loadVectors(t, "vectors_spec.json")
	if v.SCRAMRFC7677 == nil {
		t.Fatal("no RFC 7677 vector")
	}
	checkSCRAMVector(t, "RFC 7677", *v.SCRAMRFC7677)
}

func TestAuthVectorsAutobahnJS(t *testing.T) {
	v := loadVectors(t, "vectors_autobahn_js.json")
	checkCRAVectors(t, "autobahn-js", v.WAMPCRA)
	checkCryptosignVectors(t, "autobahn-js", v.Cryptosign)
}

func TestAuthVectorsAutobahnPython(t *testing.T) {
	v := loadVectors(t, "vectors_autobahn_py.json")
	checkCRAVectors(t, "autobahn-py", v.WAMPCRA)
	checkCryptosignVectors(t, "autobahn-py", v.Cryptosign)
	if len(v.SCRAM) < 6 {
		t.Fatalf("want at least 6 SCRAM vectors, have %d", len(v.SCRAM))
	}
	for i, s := range v.SCRAM {
		checkSCRAMVector(t, "autobahn-py scram["+s.KDF+"]"+string(rune('0'+i)), s)
	}
}

// TestAuthVectorsAgree checks that the two independent implementations
// agree with each other where their inputs overlap.
func TestAuthVectorsAgree(t *testing.T) {
	js, py := loadVectors(t, "vectors_autobahn_js.json"), loadVectors(t, "vectors_autobahn_py.json")
	if !reflect.DeepEqual(js.WAMPCRA, py.WAMPCRA) {
		t.Error("wampcra vectors of autobahn-js and autobahn-py differ")
	}
	var pyPlain []cryptosignVector
	for _, c := range py.Cryptosign {
		if c.ChannelID == nil {
			pyPlain = append(pyPlain, c)
		}
	}
	if !reflect.DeepEqual(js.Cryptosign, pyPlain) {
		t.Error("cryptosign vectors of autobahn-js and autobahn-py differ")
	}
}
