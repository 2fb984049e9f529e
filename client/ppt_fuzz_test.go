package client

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/wampgo/wampgo/client/e2ee"
	"github.com/wampgo/wampgo/protocol"
)

var fuzzSerializers = []string{"json", "msgpack", "cbor", PassthruNative, "", "flatbuffers"}

// fuzzRing is the ring of FuzzPassthruUnpack: one key, id "k".
func fuzzRing() *e2ee.KeyRing {
	k, _ := e2ee.NewKey(bytes.Repeat([]byte{7}, e2ee.KeySize))
	r := e2ee.NewKeyRing()
	r.Add("k", k) //nolint:errcheck
	return r
}

// FuzzPassthruUnpack feeds any bytes, as any serializer and cipher, to the
// unpacking of an incoming passthru payload: it fails only with a typed
// error, and whatever it accepts packs and unpacks again to the same
// values. The corpus holds valid payloads of every serializer, plain and
// sealed.
func FuzzPassthruUnpack(f *testing.F) {
	ring := fuzzRing()
	for si, ser := range fuzzSerializers[:4] {
		for ci, c := range []string{"", e2ee.XSalsa20Poly1305, e2ee.AES256GCM} {
			p := Passthru{Scheme: "x", Serializer: ser, Cipher: c, KeyID: "k"}
			args, kwargs := protocol.List{"a", int64(1), []byte{0}, protocol.List{true}}, protocol.Dict{"k": 1.5}
			if ser == PassthruNative {
				args, kwargs = protocol.List{[]byte("raw")}, nil
			}
			b, err := p.pack(ring, args, kwargs)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(uint8(si), uint8(ci), b)
		}
	}
	f.Add(uint8(0), uint8(0), []byte(`{"args":null,"kwargs":{"x":[]}}`))
	f.Add(uint8(2), uint8(0), []byte{0xa1, 0x64, 'a', 'r', 'g', 's', 0x80})
	f.Fuzz(func(t *testing.T, si, ci uint8, data []byte) {
		ciphers := []string{"", e2ee.XSalsa20Poly1305, e2ee.AES256GCM, "other"}
		p := Passthru{Scheme: "x", Serializer: fuzzSerializers[int(si)%len(fuzzSerializers)],
			Cipher: ciphers[int(ci)%len(ciphers)], KeyID: "k"}
		args, kwargs, err := p.unpack(ring, protocol.List{data}, nil)
		if err != nil {
			if !errors.Is(err, ErrPassthruPayload) && !errors.Is(err, ErrDecrypt) && !errors.Is(err, ErrUnknownCipher) {
				t.Fatalf("untyped error %v", err)
			}
			return
		}
		if p.Cipher == "" && p.Serializer != "" && p.Serializer != PassthruNative {
			// What decoded packs again and decodes to the same values.
			b, err := p.pack(ring, args, kwargs)
			if err != nil {
				t.Fatalf("accepted %x but cannot pack %#v %#v: %v", data, args, kwargs, err)
			}
			a2, k2, err := p.unpack(ring, protocol.List{b}, nil)
			// %#v prints maps sorted and NaN equal to itself.
			if err != nil || fmt.Sprintf("%#v %#v", a2, k2) != fmt.Sprintf("%#v %#v", args, kwargs) {
				t.Fatalf("round trip of %#v %#v: %#v %#v %v", args, kwargs, a2, k2, err)
			}
		}
	})
}
