package codec_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"testing"

	"go.uber.org/goleak"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// conformanceLine is set by TestConformance and printed by TestMain, so
// that it shows in `go test` output without -v.
var conformanceLine string

func TestMain(m *testing.M) {
	code := m.Run()
	if conformanceLine != "" {
		fmt.Fprintln(os.Stdout, conformanceLine)
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// codecs are the codecs under test, with the default limits.
var codecs = []codec.Codec{codec.JSON(), codec.MsgPack(), codec.CBOR()}

// parseJSON reads JSON test data independently of the codec under test:
// encoding/json with UseNumber, numbers then converted to the closed set.
func parseJSON(t testing.TB, data []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("test data %q: %v", data, err)
	}
	return closedSet(t, v)
}

// closedSet converts what encoding/json produced with UseNumber into the
// closed value set.
func closedSet(t testing.TB, v any) any {
	switch v := v.(type) {
	case json.Number:
		if i, err := strconv.ParseInt(string(v), 10, 64); err == nil {
			return i
		}
		if u, err := strconv.ParseUint(string(v), 10, 64); err == nil {
			return u
		}
		f, err := v.Float64()
		if err != nil {
			t.Fatalf("number %s: %v", v, err)
		}
		return f
	case []any:
		for i := range v {
			v[i] = closedSet(t, v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = closedSet(t, v[k])
		}
	}
	return v
}

// canon returns v with every uint64 that fits in int64 as an int64, so
// that ids (uint64 in messages, int64 in lists) compare by value.
func canon(v any) any {
	switch v := v.(type) {
	case uint64:
		if v <= math.MaxInt64 {
			return int64(v)
		}
	case []any:
		out := make([]any, len(v))
		for i := range v {
			out[i] = canon(v[i])
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(v))
		for k := range v {
			out[k] = canon(v[k])
		}
		return out
	}
	return v
}

// equalMsg reports whether two decoded messages are equal: deep-equal, or,
// when they hold a NaN (never equal to itself), equal in serialization.
func equalMsg(c codec.Codec, a, b protocol.Message) bool {
	if reflect.DeepEqual(a, b) {
		return true
	}
	ea, err1 := c.Encode(a)
	eb, err2 := c.Encode(b)
	return err1 == nil && err2 == nil && bytes.Equal(ea, eb) && hasNaN(reflect.ValueOf(a))
}

func hasNaN(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Float64:
		return math.IsNaN(v.Float())
	case reflect.Interface, reflect.Pointer:
		return !v.IsNil() && hasNaN(v.Elem())
	case reflect.Struct:
		for i := range v.NumField() {
			if hasNaN(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return false
		}
		for i := range v.Len() {
			if hasNaN(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if hasNaN(it.Value()) {
				return true
			}
		}
	}
	return false
}

// mustDecodeError checks that err is a rejection as Decode documents it.
func mustDecodeError(t testing.TB, c codec.Codec, err error) *codec.DecodeError {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: decode succeeded, want an error", c.Name())
	}
	if !errors.Is(err, protocol.ErrProtocolViolation) {
		t.Fatalf("%s: error %v does not match ErrProtocolViolation", c.Name(), err)
	}
	var de *codec.DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("%s: error %T is not a *DecodeError", c.Name(), err)
	}
	if de.Codec != c.Name() {
		t.Fatalf("DecodeError.Codec = %q, want %q", de.Codec, c.Name())
	}
	return de
}

// allocated returns the allocations and bytes that one call of f costs, on
// average over several calls.
func allocated(f func()) (allocs, bytes float64) {
	const runs = 20
	f() // warm up pools
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return float64(after.Mallocs-before.Mallocs) / runs, float64(after.TotalAlloc-before.TotalAlloc) / runs
}
