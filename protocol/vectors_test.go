package protocol_test

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

// vectorDir holds the WAMP conformance vectors (wamp-proto testsuite).
const vectorDir = "../testdata/wamp-testsuite/singlemessage/basic"

type vectorFile struct {
	Type    string `json:"wamp_message_type"`
	Code    int    `json:"wamp_message_code"`
	Samples []struct {
		Description string          `json:"description"`
		Wmsg        json.RawMessage `json:"wmsg"`
		Expected    *struct {
			Type     string `json:"type"`
			Contains string `json:"contains"`
		} `json:"expected_error"`
		Serializers map[string][]struct {
			Bytes string `json:"bytes"`
		} `json:"serializers"`
		Attributes json.RawMessage `json:"expected_attributes"`
	} `json:"samples"`
}

func loadVectors(t *testing.T) map[string]vectorFile {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(vectorDir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no conformance vectors in %s (%v)", vectorDir, err)
	}
	files := map[string]vectorFile{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var f vectorFile
		if err := json.Unmarshal(data, &f); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		files[filepath.Base(p)] = f
	}
	return files
}

// TestVectorValidation runs every validation sample (wmsg, with or without
// expected_error) of the basic single-message vectors.
func TestVectorValidation(t *testing.T) {
	n := 0
	for name, f := range loadVectors(t) {
		for _, s := range f.Samples {
			if s.Wmsg == nil {
				continue
			}
			n++
			t.Run(name+"/"+s.Description, func(t *testing.T) {
				l := jsonList(t, string(s.Wmsg))
				m, err := protocol.FromList(l)
				if s.Expected != nil {
					if err == nil {
						t.Fatalf("FromList(%s) = %#v, want error containing %q", s.Wmsg, m, s.Expected.Contains)
					}
					if s.Expected.Type == "protocol_violation" && !errors.Is(err, protocol.ErrProtocolViolation) {
						t.Errorf("error %v is not a protocol violation", err)
					}
					validationError(t, err)
					if !strings.Contains(err.Error(), s.Expected.Contains) {
						t.Errorf("error %q does not contain %q", err, s.Expected.Contains)
					}
					return
				}
				if err != nil {
					t.Fatalf("FromList(%s): %v", s.Wmsg, err)
				}
				if int(m.Type()) != f.Code {
					t.Errorf("type %v, want %d", m.Type(), f.Code)
				}
				roundTrip(t, m)
			})
		}
	}
	if n == 0 {
		t.Fatal("no validation samples found")
	}
	t.Logf("%d validation samples", n)
}

// TestVectorSerialization decodes every JSON byte variant of the
// serialization samples, checks the expected attributes, and checks that
// ToList reproduces the decoded list (all the samples are in canonical form).
func TestVectorSerialization(t *testing.T) {
	n := 0
	for name, f := range loadVectors(t) {
		for _, s := range f.Samples {
			for i, v := range s.Serializers["json"] {
				n++
				t.Run(name+"/"+s.Description+"/"+string(rune('0'+i)), func(t *testing.T) {
					l := jsonList(t, v.Bytes)
					m, err := protocol.FromList(l)
					if err != nil {
						t.Fatalf("FromList(%s): %v", v.Bytes, err)
					}
					checkAttributes(t, m, s.Attributes)
					got, err := protocol.ToList(m)
					if err != nil {
						t.Fatal(err)
					}
					want := jsonList(t, v.Bytes)
					if !reflect.DeepEqual(got, want) {
						t.Errorf("ToList\n got %#v\nwant %#v", got, want)
					}
				})
			}
		}
	}
	if n == 0 {
		t.Fatal("no JSON serialization samples found")
	}
	t.Logf("%d JSON serialization variants", n)
}

func roundTrip(t *testing.T, m protocol.Message) {
	t.Helper()
	l, err := protocol.ToList(m)
	if err != nil {
		t.Fatalf("ToList: %v", err)
	}
	m2, err := protocol.FromList(l)
	if err != nil {
		t.Fatalf("FromList(ToList(m)): %v", err)
	}
	if !reflect.DeepEqual(m, m2) {
		t.Fatalf("round trip\n got %#v\nwant %#v", m2, m)
	}
}

// attributes maps a message to the testsuite's expected_attributes names.
func attributes(m protocol.Message) map[string]any {
	a := map[string]any{"message_type": int64(m.Type())}
	payload := func(p protocol.Payload) {
		a["args"], a["kwargs"] = nilIfEmpty(p.Args), nilIfEmpty(p.Kwargs)
		if p.Payload != nil {
			a["payload"] = hex.EncodeToString(p.Payload)
		} else {
			a["payload"] = nil
		}
	}
	id := func(k string, v protocol.ID) { a[k] = int64(v) }
	switch m := m.(type) {
	case *protocol.Hello:
		a["realm"], a["roles"] = m.Realm, m.Details["roles"]
	case *protocol.Welcome:
		id("session_id", m.Session)
		a["roles"] = m.Details["roles"]
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
		a["request_type"] = int64(m.RequestType)
		id("request_id", m.Request)
		a["details"], a["error"] = m.Details, m.Error
		payload(m.Payload)
	case *protocol.Publish:
		id("request_id", m.Request)
		a["options"], a["topic"] = m.Options, m.Topic
		payload(m.Payload)
	case *protocol.Published:
		id("request_id", m.Request)
		id("publication_id", m.Publication)
	case *protocol.Subscribe:
		id("request_id", m.Request)
		a["options"], a["topic"] = m.Options, m.Topic
	case *protocol.Subscribed:
		id("request_id", m.Request)
		id("subscription_id", m.Subscription)
	case *protocol.Unsubscribe:
		id("request_id", m.Request)
		id("subscription_id", m.Subscription)
	case *protocol.Unsubscribed:
		id("request_id", m.Request)
	case *protocol.Event:
		id("subscription", m.Subscription)
		id("publication", m.Publication)
		a["details"] = m.Details
		payload(m.Payload)
	case *protocol.Call:
		id("request_id", m.Request)
		a["options"], a["procedure"] = m.Options, m.Procedure
		payload(m.Payload)
	case *protocol.Result:
		id("request_id", m.Request)
		a["details"] = m.Details
		payload(m.Payload)
	case *protocol.Register:
		id("request_id", m.Request)
		a["options"], a["procedure"] = m.Options, m.Procedure
	case *protocol.Registered:
		id("request_id", m.Request)
		id("registration_id", m.Registration)
	case *protocol.Unregister:
		id("request_id", m.Request)
		id("registration_id", m.Registration)
	case *protocol.Unregistered:
		id("request_id", m.Request)
	case *protocol.Invocation:
		id("request_id", m.Request)
		id("registration_id", m.Registration)
		a["details"] = m.Details
		payload(m.Payload)
	case *protocol.Yield:
		id("request_id", m.Request)
		a["options"] = m.Options
		payload(m.Payload)
	}
	return a
}

func nilIfEmpty[T ~[]any | ~map[string]any](v T) any {
	if len(v) == 0 {
		return nil
	}
	return v
}

func checkAttributes(t *testing.T, m protocol.Message, raw json.RawMessage) {
	t.Helper()
	v, err := decodeJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	got := attributes(m)
	for k, want := range v.(map[string]any) {
		if l, ok := want.([]any); ok && len(l) == 0 {
			want = nil // the samples write absent payloads as [] or null
		}
		g, ok := got[k]
		if !ok {
			t.Errorf("attribute %q not checked", k)
			continue
		}
		if !reflect.DeepEqual(g, want) {
			t.Errorf("attribute %q = %#v, want %#v", k, g, want)
		}
	}
}
