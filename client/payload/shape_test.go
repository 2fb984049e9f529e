package payload_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client/payload"
)

type addReq struct {
	A int `wamp:"a"`
	B int `wamp:"b"`
}

func TestPack(t *testing.T) {
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	tests := []struct {
		name   string
		in     any
		args   []any
		kwargs map[string]any
	}{
		{"nil", nil, nil, nil},
		{"empty struct", struct{}{}, nil, nil},
		{"struct", addReq{1, 2}, nil, map[string]any{"a": int64(1), "b": int64(2)}},
		{"pointer to struct", &addReq{A: 1}, nil, map[string]any{"a": int64(1), "b": int64(0)}},
		{"nil pointer to struct", (*addReq)(nil), nil, nil},
		{"map", map[string]int{"x": 1}, nil, map[string]any{"x": int64(1)}},
		{"int", 5, []any{int64(5)}, nil},
		{"string", "Ada", []any{"Ada"}, nil},
		{"slice", []int{1, 2}, []any{[]any{int64(1), int64(2)}}, nil},
		{"bytes", []byte("b"), []any{[]byte("b")}, nil},
		{"time", when, []any{"2026-01-02T03:04:05Z"}, nil},
		{"nil pointer", (*int)(nil), []any{nil}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args, kwargs, err := payload.Pack(tt.in)
			if err != nil || !reflect.DeepEqual(args, tt.args) || !reflect.DeepEqual(kwargs, tt.kwargs) {
				t.Fatalf("Pack(%#v) = %#v, %#v, %v", tt.in, args, kwargs, err)
			}
		})
	}
	_, _, err := payload.Pack(struct {
		C chan int `wamp:"c"`
	}{})
	if err == nil || err.Error() != "payload: kwargs.c: chan int has no payload form" {
		t.Fatalf("Pack(struct with chan): %v", err)
	}
	_, _, err = payload.Pack([]any{1, make(chan int)})
	if err == nil || err.Error() != "payload: args[0][1]: chan int has no payload form" {
		t.Fatalf("Pack(list with chan): %v", err)
	}
}

func TestUnpack(t *testing.T) {
	tests := []struct {
		name   string
		args   []any
		kwargs map[string]any
		want   any
	}{
		{"record from kwargs", nil, map[string]any{"a": int64(1), "b": int64(2)}, addReq{1, 2}},
		{"record from a dict argument", []any{map[string]any{"a": int64(1)}}, map[string]any{}, addReq{A: 1}},
		{"record from positional arguments", []any{int64(3), int64(4)}, nil, addReq{3, 4}},
		{"record mixed", []any{int64(3)}, map[string]any{"b": 2.0}, addReq{3, 2}},
		{"record from nothing", nil, nil, addReq{}},
		{"pointer record", []any{int64(3)}, nil, &addReq{A: 3}},
		{"map record", nil, map[string]any{"k": "v"}, map[string]string{"k": "v"}},
		{"map from a dict argument", []any{map[string]any{"k": "v"}}, nil, map[string]string{"k": "v"}},
		{"list from one list argument", []any{[]any{int64(1), int64(2)}}, nil, []int{1, 2}},
		{"list from positional arguments", []any{int64(1), int64(2)}, map[string]any{}, []int{1, 2}},
		{"list from one argument", []any{int64(1)}, nil, []int{1}},
		{"list from nothing", nil, nil, []int{}},
		{"value", []any{"Ada"}, map[string]any{}, "Ada"},
		{"binary value", []any{[]byte("x")}, nil, []byte("x")},
		{"time value", []any{"2026-01-02T03:04:05Z"}, nil, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)},
		{"pointer value from nothing", nil, nil, (*int)(nil)},
		{"any value", []any{[]any{"x"}}, nil, any([]any{"x"})},
		{"nothing ignores all", []any{int64(1)}, map[string]any{"x": int64(1)}, struct{}{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := reflect.New(reflect.TypeOf(&tt.want).Elem())
			if tt.want != nil {
				dst = reflect.New(reflect.TypeOf(tt.want))
			}
			if err := payload.Unpack(tt.args, tt.kwargs, dst.Interface()); err != nil {
				t.Fatalf("Unpack: %v", err)
			}
			if got := dst.Elem().Interface(); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Unpack = %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestUnpackErrors(t *testing.T) {
	tests := []struct {
		name   string
		args   []any
		kwargs map[string]any
		dst    any
		msg    string
	}{
		{"kwargs field", nil, map[string]any{"a": 2.5}, new(addReq), "kwargs.a: 2.5 is not an integer"},
		{"dict argument field", []any{map[string]any{"b": "x"}}, nil, new(addReq), `args[0].b: want an integer, got string "x"`},
		{"positional field", []any{int64(1), 2.5}, nil, new(addReq), "args[1]: 2.5 is not an integer"},
		{"too many positional", []any{int64(1), int64(2), int64(3)}, nil, new(addReq), "args: 3 positional arguments, payload_test.addReq has 2 fields"},
		{"given twice", []any{int64(1)}, map[string]any{"a": int64(1)}, new(addReq), `args[0]: "a" is also given as a keyword argument`},
		{"map with positional", []any{int64(1)}, nil, new(map[string]int), "takes keyword arguments only"},
		{"list with kwargs", nil, map[string]any{"z": 1, "y": 2}, new([]int), "kwargs: unexpected keyword arguments y, z"},
		{"list element", []any{int64(1), "x"}, nil, new([]int), `args[1]: want an integer, got string "x"`},
		{"list argument element", []any{[]any{"x"}}, nil, new([]int), `args[0][0]: want an integer`},
		{"value with kwargs", []any{int64(1)}, map[string]any{"x": 1}, new(int), "kwargs: unexpected keyword arguments x"},
		{"value too many", []any{int64(1), int64(2)}, nil, new(int), "args: 2 positional arguments, want 1"},
		{"value missing", nil, nil, new(int), "args[0]: missing (0 arguments given)"},
		{"value fraction", []any{2.5}, nil, new(int), "args[0]: 2.5 is not an integer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := payload.Unpack(tt.args, tt.kwargs, tt.dst)
			if !errors.Is(err, payload.ErrMismatch) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("Unpack: %v, want a mismatch containing %q", err, tt.msg)
			}
		})
	}
	if err := payload.Unpack(nil, nil, addReq{}); !errors.Is(err, payload.ErrInvalidDestination) {
		t.Fatalf("Unpack into a non-pointer: %v", err)
	}
}

// Unpack reads what Pack wrote.
func TestPackUnpack(t *testing.T) {
	for _, v := range []any{addReq{1, 2}, map[string]bool{"x": true}, []string{"a"}, "s", int64(7), []byte("b"), struct{}{}} {
		args, kwargs, err := payload.Pack(v)
		if err != nil {
			t.Fatal(err)
		}
		dst := reflect.New(reflect.TypeOf(v))
		if err := payload.Unpack(args, kwargs, dst.Interface()); err != nil {
			t.Fatalf("Unpack(Pack(%#v)): %v", v, err)
		}
		if !reflect.DeepEqual(dst.Elem().Interface(), v) {
			t.Fatalf("Unpack(Pack(%#v)) = %#v", v, dst.Elem().Interface())
		}
	}
}
