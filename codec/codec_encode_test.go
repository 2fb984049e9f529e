package codec_test

import (
	"bytes"
	"errors"
	"math"
	"reflect"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// Common Go types are converted on encode, so callers may write
// protocol.List{1, "a"}; they decode as the documented types.
func TestEncodeConvertsCommonGoTypes(t *testing.T) {
	for _, c := range codecs {
		for _, tc := range []struct {
			in, want any
		}{
			{1, int64(1)}, {int32(-7), int64(-7)}, {uint8(9), int64(9)}, {float32(1.5), 1.5},
			{[]string{"a"}, []any{"a"}}, {map[string]int{"k": 2}, map[string]any{"k": int64(2)}},
			{[]any{1, []int{2}}, []any{int64(1), []any{int64(2)}}},
			// Everything Normalize converts: structs, maps with integer keys.
			{struct {
				A int `wamp:"a"`
			}{3}, map[string]any{"a": int64(3)}},
			{map[int]string{1: "a"}, map[string]any{"1": "a"}},
		} {
			data, err := c.Encode(call(tc.in))
			if err != nil {
				t.Errorf("%s: encode %T: %v", c.Name(), tc.in, err)
				continue
			}
			m, err := c.Decode(data)
			if err != nil || !reflect.DeepEqual(m.(*protocol.Call).Args[0], tc.want) {
				t.Errorf("%s: %T decoded as %#v, %v", c.Name(), tc.in, m, err)
			}
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	for _, c := range codecs {
		for _, v := range []any{make(chan int), func() {}, map[bool]string{true: "a"}, complex(1, 2), []any{struct{ C chan int }{}}} {
			_, err := c.Encode(call(v))
			var ee *codec.EncodeError
			if !errors.As(err, &ee) || ee.Codec != c.Name() || !errors.Is(err, codec.ErrUnsupportedValue) {
				t.Errorf("%s: encode %T: %v", c.Name(), v, err)
			}
		}
		// An invalid message is a validation error, wrapped.
		_, err := c.Encode(&protocol.Call{Request: 0, Procedure: "a.b"})
		var ve *protocol.ValidationError
		if !errors.As(err, &ve) {
			t.Errorf("%s: encode of invalid message: %v", c.Name(), err)
		}
		// AppendEncode leaves dst as it was on error.
		dst := []byte("prefix")
		out, err := c.(codec.Appender).AppendEncode(dst, call(make(chan int)))
		if err == nil || string(out) != "prefix" {
			t.Errorf("%s: AppendEncode on error = %q, %v", c.Name(), out, err)
		}
		out, err = c.(codec.Appender).AppendEncode(dst, call(int64(1)))
		want, _ := c.Encode(call(int64(1)))
		if err != nil || !bytes.Equal(out, append([]byte("prefix"), want...)) {
			t.Errorf("%s: AppendEncode = %q, %v", c.Name(), out, err)
		}
	}
}

func TestTypedNils(t *testing.T) {
	for _, c := range codecs {
		back := roundTrip(t, c, call([]any(nil), map[string]any(nil), []byte(nil)))
		want := []any{[]any{}, map[string]any{}, []byte{}}
		if got := back.(*protocol.Call).Args; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: %#v, want %#v", c.Name(), got, want)
		}
	}
}

func TestValidationErrorWrapped(t *testing.T) {
	for _, c := range codecs {
		data, err := c.Encode(&protocol.Unregistered{Request: 5})
		if err != nil {
			t.Fatal(err)
		}
		data = bytes.Replace(data, []byte{0x43}, []byte{0x44}, 1) // 67 -> 68: INVOCATION, wrong arity
		if c.Name() == "json" {
			data = []byte(`[68,5]`)
		}
		_, err = c.Decode(data)
		de := mustDecodeError(t, c, err)
		var ve *protocol.ValidationError
		if !errors.As(err, &ve) || de.Offset != -1 || ve.Type != protocol.TypeInvocation {
			t.Errorf("%s: %v", c.Name(), err)
		}
	}
}

func TestNormalize(t *testing.T) {
	type myInt int16
	type myString string
	in := map[string]any{
		"i": 1, "i8": int8(-2), "u": uint(3), "u64": uint64(math.MaxUint64), "f32": float32(1.5),
		"my": myInt(7), "ms": myString("s"), "strs": []string{"a", "b"}, "arr": [2]int{1, 2},
		"m": map[string]int{"x": 1}, "ok": []any{int64(1), "x"}, "nilp": (*int)(nil), "bytes": []byte{1},
		"p": new(int32),
	}
	got, err := codec.Normalize(in)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"i": int64(1), "i8": int64(-2), "u": int64(3), "u64": uint64(math.MaxUint64), "f32": 1.5,
		"my": int64(7), "ms": "s", "strs": []any{"a", "b"}, "arr": []any{int64(1), int64(2)},
		"m": map[string]any{"x": int64(1)}, "ok": []any{int64(1), "x"}, "nilp": nil, "bytes": []byte{1},
		"p": int64(0),
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Normalize = %#v\nwant %#v", got, want)
	}
	if in["i"] != 1 {
		t.Error("Normalize modified its argument")
	}
	// Values already in the set come back as they are.
	ok := []any{int64(1), map[string]any{"a": "b"}}
	if n, _ := codec.Normalize(ok); &n.([]any)[0] != &ok[0] {
		t.Error("Normalize copied a value already normalized")
	}
	for _, bad := range []any{struct{ F func() }{}, map[bool]any{}, make(chan int), complex(1, 2), []any{func() {}}} {
		if _, err := codec.Normalize(bad); !errors.Is(err, codec.ErrUnsupportedValue) {
			t.Errorf("Normalize(%T) = %v", bad, err)
		}
	}
	cyc := map[string]any{}
	cyc["self"] = cyc
	if _, err := codec.Normalize(cyc); !errors.Is(err, codec.ErrTooDeep) {
		t.Errorf("Normalize(cyclic) = %v", err)
	}
	// What Normalize returns encodes with every codec.
	for _, c := range codecs {
		if _, err := c.Encode(call(got)); err != nil {
			t.Errorf("%s: %v", c.Name(), err)
		}
	}
}

// valueAppender is the method every codec has for payloads encoded once
// and spliced into messages.
type valueAppender interface {
	AppendValue(dst []byte, v any) ([]byte, error)
}

func TestAppendValue(t *testing.T) {
	args := []any{int64(1), "two", []byte{3}, map[string]any{"b": 2.5, "a": nil}, uint64(math.MaxUint64)}
	for _, c := range codecs {
		va, ok := c.(valueAppender)
		if !ok {
			t.Fatalf("%s has no AppendValue", c.Name())
		}
		// The bytes are those the list has inside an encoded message.
		got, err := va.AppendValue([]byte("prefix"), args)
		if err != nil {
			t.Fatalf("%s: %v", c.Name(), err)
		}
		msg, err := c.Encode(call(args...))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(got, []byte("prefix")) || !bytes.Contains(msg, got[len("prefix"):]) {
			t.Errorf("%s: AppendValue = %q, not inside %q", c.Name(), got, msg)
		}
		// Common Go types are converted, as by Encode.
		if a, err := va.AppendValue(nil, []int{1}); err != nil {
			t.Errorf("%s: []int: %v", c.Name(), err)
		} else if b, _ := va.AppendValue(nil, []any{int64(1)}); !bytes.Equal(a, b) {
			t.Errorf("%s: []int encodes as %q, want %q", c.Name(), a, b)
		}
		// Errors are EncodeErrors and leave dst as it was.
		dst := []byte("prefix")
		out, err := va.AppendValue(dst, []any{make(chan int)})
		var ee *codec.EncodeError
		if !errors.As(err, &ee) || !errors.Is(err, codec.ErrUnsupportedValue) || string(out) != "prefix" {
			t.Errorf("%s: chan: %q, %v", c.Name(), out, err)
		}
		// The value's own list counts as level 2, as a payload's does.
		if _, err := va.AppendValue(nil, nested(codec.DefaultMaxDepth-1)); err != nil {
			t.Errorf("%s: depth 64: %v", c.Name(), err)
		}
		if _, err := va.AppendValue(nil, nested(codec.DefaultMaxDepth)); !errors.Is(err, codec.ErrTooDeep) {
			t.Errorf("%s: depth 65: %v", c.Name(), err)
		}
		// A scalar stands alone.
		if b, err := va.AppendValue(nil, "x"); err != nil || len(b) == 0 {
			t.Errorf("%s: scalar: %q, %v", c.Name(), b, err)
		}
	}
}
