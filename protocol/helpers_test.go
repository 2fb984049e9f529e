package protocol_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

type (
	L = protocol.List
	D = protocol.Dict
)

const maxID = protocol.MaxID

// decodeJSON decodes a JSON text the way package codec does: integers as
// int64 (uint64 above MaxInt64), other numbers as float64, and strings that
// start with NUL as base64 binary (the spec's binary-in-JSON convention).
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if dec.More() {
		return nil, errors.New("trailing data")
	}
	return normalizeJSON(v), nil
}

func normalizeJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		var u uint64
		if err := json.Unmarshal([]byte(x), &u); err == nil {
			return u
		}
		f, _ := x.Float64() // ±Inf when out of range
		return f
	case string:
		if len(x) > 0 && x[0] == 0 {
			if b, err := base64.StdEncoding.DecodeString(x[1:]); err == nil {
				return b
			}
		}
		return x
	case []any:
		for i := range x {
			x[i] = normalizeJSON(x[i])
		}
		return x
	case map[string]any:
		for k := range x {
			x[k] = normalizeJSON(x[k])
		}
		return x
	}
	return v
}

// jsonList decodes a JSON array for a test.
func jsonList(t testing.TB, s string) L {
	t.Helper()
	v, err := decodeJSON([]byte(s))
	if err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	l, ok := v.([]any)
	if !ok {
		t.Fatalf("test JSON %s is not a list", s)
	}
	return l
}

// validationError asserts err is a *ValidationError matching
// ErrProtocolViolation and returns it.
func validationError(t testing.TB, err error) *protocol.ValidationError {
	t.Helper()
	if err == nil {
		t.Fatal("got no error, want a *ValidationError")
	}
	if !errors.Is(err, protocol.ErrProtocolViolation) {
		t.Errorf("errors.Is(%v, ErrProtocolViolation) = false", err)
	}
	var ve *protocol.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %v (%T) is not a *ValidationError", err, err)
	}
	return ve
}
