package codec_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/vmihailenco/msgpack/v5"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// The WAMP conformance vectors (testdata/wamp-testsuite, see its NOTICE.md).
const suiteDir = "../testdata/wamp-testsuite/singlemessage/basic"

type suiteFile struct {
	MessageType string        `json:"wamp_message_type"`
	MessageCode int           `json:"wamp_message_code"`
	Samples     []suiteSample `json:"samples"`
}

type suiteSample struct {
	Description string                     `json:"description"`
	Serializers map[string][]suiteVariant  `json:"serializers"`
	Expected    map[string]json.RawMessage `json:"expected_attributes"`
	Wmsg        json.RawMessage            `json:"wmsg"`
	ExpectError *struct {
		Type     string `json:"type"`
		Contains string `json:"contains"`
	} `json:"expected_error"`
}

type suiteVariant struct {
	Bytes       *string `json:"bytes"`
	BytesHex    *string `json:"bytes_hex"`
	BytesBase64 *string `json:"bytes_base64"`
	Note        string  `json:"note"`
}

func (v suiteVariant) data(t *testing.T) []byte {
	t.Helper()
	switch {
	case v.BytesHex != nil:
		b, err := hex.DecodeString(*v.BytesHex)
		if err != nil {
			t.Fatalf("bytes_hex: %v", err)
		}
		return b
	case v.BytesBase64 != nil:
		b, err := base64.StdEncoding.DecodeString(*v.BytesBase64)
		if err != nil {
			t.Fatalf("bytes_base64: %v", err)
		}
		return b
	case v.Bytes != nil:
		return []byte(*v.Bytes)
	}
	t.Fatal("variant without bytes")
	return nil
}

// TestConformance runs every single-message vector through every codec and
// records the closing line that TestMain prints.
func TestConformance(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(suiteDir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance vectors in %s (%v)", suiteDir, err)
	}
	sort.Strings(files)
	total := 0
	passed := map[string]int{}
	exact := map[string]int{}   // encodings equal to a variant byte for byte
	encoded := map[string]int{} // encodings compared
	for _, file := range files {
		raw, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var f suiteFile
		if err := json.Unmarshal(raw, &f); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for i, s := range f.Samples {
			total++
			name := fmt.Sprintf("%s/%d", strings.TrimSuffix(filepath.Base(file), ".json"), i)
			for _, c := range codecs {
				ok := t.Run(name+"/"+c.Name(), func(t *testing.T) {
					t.Logf("sample: %s", s.Description)
					switch {
					case s.Serializers != nil:
						byteExact, compared := checkSerialization(t, c, f, s)
						exact[c.Name()] += byteExact
						encoded[c.Name()] += compared
					case s.ExpectError != nil:
						checkRejected(t, c, s)
					default:
						checkAccepted(t, c, s)
					}
				})
				if ok {
					passed[c.Name()]++
				}
			}
		}
	}
	conformanceLine = fmt.Sprintf("conformance: %d samples; json %d/%d passed, msgpack %d/%d, cbor %d/%d"+
		" (encodings byte-exact to a vector: json %d/%d, msgpack %d/%d, cbor %d/%d)",
		total, passed["json"], total, passed["msgpack"], total, passed["cbor"], total,
		exact["json"], encoded["json"], exact["msgpack"], encoded["msgpack"], exact["cbor"], encoded["cbor"])
	if total != 98 {
		t.Errorf("found %d samples, want 98", total)
	}
}

// checkSerialization decodes every byte variant of the codec to the
// expected attributes, and checks that the codec's encoding equals a
// variant or decodes back to the same message. It returns whether the
// encoding was byte-exact, and 1 if one was made.
func checkSerialization(t *testing.T, c codec.Codec, f suiteFile, s suiteSample) (int, int) {
	variants := s.Serializers[c.Name()]
	if len(variants) == 0 {
		t.Fatalf("no %s variants", c.Name())
	}
	var first protocol.Message
	for i, v := range variants {
		data := v.data(t)
		msg, err := c.Decode(data)
		if err != nil {
			t.Fatalf("variant %d (%s): decode %x: %v", i, v.Note, data, err)
		}
		if msg.Type() != protocol.MessageType(f.MessageCode) {
			t.Fatalf("variant %d: type %v, want %d", i, msg.Type(), f.MessageCode)
		}
		checkAttributes(t, msg, s.Expected)
		if first == nil {
			first = msg
		} else if !reflect.DeepEqual(first, msg) {
			t.Fatalf("variant %d decodes to %#v, variant 0 to %#v", i, msg, first)
		}
	}
	out, err := c.Encode(first)
	if err != nil {
		t.Fatalf("encode %#v: %v", first, err)
	}
	for _, v := range variants {
		if bytes.Equal(out, v.data(t)) {
			return 1, 1
		}
	}
	back, err := c.Decode(out)
	if err != nil {
		t.Fatalf("decode of our encoding %x: %v", out, err)
	}
	if !reflect.DeepEqual(back, first) {
		t.Fatalf("our encoding %x decodes to %#v, want %#v", out, back, first)
	}
	t.Logf("encoding %x differs from the vectors but round-trips", out)
	return 0, 1
}

// checkAttributes compares msg with the vector's expected attributes.
func checkAttributes(t *testing.T, msg protocol.Message, expected map[string]json.RawMessage) {
	t.Helper()
	got := attributes(msg)
	for name, raw := range expected {
		want := parseJSON(t, raw)
		have, known := got[name]
		if !known {
			t.Fatalf("attribute %q is not mapped for %T", name, msg)
		}
		switch name {
		case "args", "kwargs":
			// null, empty and absent are the same: FromList keeps nil.
			if want == nil || reflect.ValueOf(want).Len() == 0 {
				if have != nil && reflect.ValueOf(have).Len() != 0 {
					t.Errorf("%s = %#v, want empty", name, have)
				}
				continue
			}
		case "payload":
			if want != nil {
				h, _ := have.([]byte)
				if hex.EncodeToString(h) != want {
					t.Errorf("payload = %x, want %s", h, want)
				}
				continue
			}
			if have.([]byte) != nil {
				t.Errorf("payload = %x, want none", have)
			}
			continue
		}
		if !reflect.DeepEqual(canon(have), canon(want)) {
			t.Errorf("%s = %#v, want %#v", name, have, want)
		}
	}
}

// attributes maps a message's fields onto the vectors' attribute names.
func attributes(msg protocol.Message) map[string]any {
	a := map[string]any{"message_type": int64(msg.Type())}
	payload := func(p protocol.Payload) {
		a["args"], a["kwargs"], a["payload"] = p.Args, p.Kwargs, p.Payload
	}
	switch m := msg.(type) {
	case *protocol.Hello:
		a["realm"], a["details"], a["roles"] = m.Realm, m.Details, m.Details["roles"]
	case *protocol.Welcome:
		a["session_id"], a["details"], a["roles"] = m.Session, m.Details, m.Details["roles"]
	case *protocol.Abort:
		a["details"], a["reason"] = m.Details, m.Reason
		payload(m.Payload)
	case *protocol.Challenge:
		a["method"], a["extra"] = m.AuthMethod, m.Extra
	case *protocol.Authenticate:
		a["signature"], a["extra"] = m.Signature, m.Extra
	case *protocol.Goodbye:
		a["details"], a["reason"] = m.Details, m.Reason
	case *protocol.Error:
		a["request_type"], a["request_id"] = int64(m.RequestType), m.Request
		a["details"], a["error"] = m.Details, m.Error
		payload(m.Payload)
	case *protocol.Publish:
		a["request_id"], a["options"], a["topic"] = m.Request, m.Options, m.Topic
		payload(m.Payload)
	case *protocol.Published:
		a["request_id"], a["publication_id"], a["publication"] = m.Request, m.Publication, m.Publication
	case *protocol.Subscribe:
		a["request_id"], a["options"], a["topic"] = m.Request, m.Options, m.Topic
	case *protocol.Subscribed:
		a["request_id"], a["subscription_id"], a["subscription"] = m.Request, m.Subscription, m.Subscription
	case *protocol.Unsubscribe:
		a["request_id"], a["subscription_id"], a["subscription"] = m.Request, m.Subscription, m.Subscription
	case *protocol.Unsubscribed:
		a["request_id"], a["details"] = m.Request, m.Details
	case *protocol.Event:
		a["subscription"], a["subscription_id"] = m.Subscription, m.Subscription
		a["publication"], a["publication_id"] = m.Publication, m.Publication
		a["details"] = m.Details
		payload(m.Payload)
	case *protocol.Call:
		a["request_id"], a["options"], a["procedure"] = m.Request, m.Options, m.Procedure
		payload(m.Payload)
	case *protocol.Cancel:
		a["request_id"], a["options"] = m.Request, m.Options
	case *protocol.Result:
		a["request_id"], a["details"] = m.Request, m.Details
		payload(m.Payload)
	case *protocol.Register:
		a["request_id"], a["options"], a["procedure"] = m.Request, m.Options, m.Procedure
	case *protocol.Registered:
		a["request_id"], a["registration_id"], a["registration"] = m.Request, m.Registration, m.Registration
	case *protocol.Unregister:
		a["request_id"], a["registration_id"], a["registration"] = m.Request, m.Registration, m.Registration
	case *protocol.Unregistered:
		a["request_id"], a["details"] = m.Request, m.Details
	case *protocol.Invocation:
		a["request_id"], a["registration_id"], a["registration"] = m.Request, m.Registration, m.Registration
		a["details"] = m.Details
		payload(m.Payload)
	case *protocol.Interrupt:
		a["request_id"], a["options"] = m.Request, m.Options
	case *protocol.Yield:
		a["request_id"], a["options"] = m.Request, m.Options
		payload(m.Payload)
	}
	return a
}

// rawForm serializes a vector's wmsg with the codec's reference library
// (encoding/json for JSON: the raw text of the vector), bypassing our
// encoder and its validation.
func rawForm(t *testing.T, c codec.Codec, s suiteSample) []byte {
	t.Helper()
	var (
		out []byte
		err error
	)
	switch c.Name() {
	case "json":
		return s.Wmsg
	case "msgpack":
		out, err = msgpack.Marshal(parseJSON(t, s.Wmsg))
	case "cbor":
		out, err = cbor.Marshal(parseJSON(t, s.Wmsg))
	default:
		t.Fatalf("no raw form for %s", c.Name())
	}
	if err != nil {
		t.Fatalf("%s raw form of %s: %v", c.Name(), s.Wmsg, err)
	}
	return out
}

// checkAccepted: the wmsg, in the codec's raw form, decodes; the message
// re-encodes with the codec and decodes back equal; for JSON the message
// also matches the decode of another codec's raw form.
func checkAccepted(t *testing.T, c codec.Codec, s suiteSample) {
	raw := rawForm(t, c, s)
	msg, err := c.Decode(raw)
	if err != nil {
		t.Fatalf("decode of valid %s (%x): %v", s.Wmsg, raw, err)
	}
	out, err := c.Encode(msg)
	if err != nil {
		t.Fatalf("encode %#v: %v", msg, err)
	}
	back, err := c.Decode(out)
	if err != nil {
		t.Fatalf("decode of our encoding %x: %v", out, err)
	}
	if !reflect.DeepEqual(back, msg) {
		t.Fatalf("round trip: %#v, want %#v", back, msg)
	}
	// Every codec sees the same message.
	ref, err := codec.JSON().Decode(s.Wmsg)
	if err != nil {
		t.Fatalf("json decode of %s: %v", s.Wmsg, err)
	}
	if !reflect.DeepEqual(ref, msg) {
		t.Fatalf("%s decodes to %#v, json to %#v", c.Name(), msg, ref)
	}
}

// checkRejected: the wmsg, in the codec's raw form, is rejected as a
// protocol violation naming the expected field.
func checkRejected(t *testing.T, c codec.Codec, s suiteSample) {
	raw := rawForm(t, c, s)
	_, err := c.Decode(raw)
	de := mustDecodeError(t, c, err)
	if s.ExpectError.Type != "protocol_violation" {
		t.Fatalf("unexpected error type %q in vector", s.ExpectError.Type)
	}
	var ve *protocol.ValidationError
	if !errors.As(de, &ve) {
		t.Fatalf("error %v does not wrap a *protocol.ValidationError", err)
	}
	if !strings.Contains(err.Error(), s.ExpectError.Contains) {
		t.Fatalf("error %q does not mention %q", err, s.ExpectError.Contains)
	}
}
