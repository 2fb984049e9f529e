package codec_test

import (
	"errors"
	"math"
	"net"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

type Level int

type Celsius float32

type Name string

type Blob []byte

type upper string

func (u upper) MarshalText() ([]byte, error) { return []byte(strings.ToUpper(string(u))), nil }

type badText struct{}

func (badText) MarshalText() ([]byte, error) { return nil, errors.New("no text") }

type Inner struct {
	City string `wamp:"city"`
	Zip  string `json:"zip,omitempty"`
}

type Base struct {
	ID   int64  `wamp:"id"`
	Kind string `wamp:"kind"`
}

type user struct {
	Name     string            `wamp:"name"`
	Age      int               `wamp:"age,omitempty"`
	Email    string            `json:"email"`
	Nick     *string           `wamp:"nick"`
	Tags     []string          `wamp:"tags"`
	Home     Inner             `wamp:"home"`
	Extra    map[string]int    `wamp:"extra,omitempty"`
	Secret   string            `wamp:"-"`
	Skipped  string            `json:"-"`
	Dash     string            `wamp:"-,"`
	Plain    bool              //
	When     time.Time         `wamp:"when,omitzero"`
	Score    float32           `wamp:"score"`
	private  int               //nolint:unused // unexported: never a field
	Labels   map[Level]Name    `wamp:"labels,omitempty"`
	Any      any               `wamp:"any"`
	Raw      Blob              `wamp:"raw,omitempty"`
	Children []*Inner          `wamp:"children,omitempty"`
	Nested   map[string][]bool `wamp:"nested,omitempty"`
}

type embedded struct {
	Base
	*Inner
	Kind  string `wamp:"kind2"`
	Extra string `wamp:"extra"`
}

type conflict struct {
	A
	B
}

type A struct{ Name, OnlyA string }

type B struct{ Name, OnlyB string }

type tagWins struct {
	A
	C
}

type C struct {
	Name string `wamp:"Name"`
}

type node struct {
	Next *node `wamp:"next"`
}

func TestNormalizeTable(t *testing.T) {
	nick := "ada"
	when := time.Date(2026, 11, 30, 5, 0, 0, 123, time.UTC)
	tests := []struct {
		name string
		in   any
		want any
	}{
		{"nil", nil, nil},
		{"int", 42, int64(42)},
		{"int8", int8(-8), int64(-8)},
		{"uint16", uint16(7), int64(7)},
		{"uint big", uint(math.MaxUint64), uint64(math.MaxUint64)},
		{"uint64 kept", uint64(5), uint64(5)},
		{"named int", Level(3), int64(3)},
		{"float32", float32(1.5), float64(1.5)},
		{"named float", Celsius(-2.5), float64(-2.5)},
		{"named string", Name("x"), "x"},
		{"bytes", []byte("ab"), []byte("ab")},
		{"named bytes", Blob("ab"), []byte("ab")},
		{"byte array", [3]byte{1, 2, 3}, []byte{1, 2, 3}},
		{"nil byte slice field type", Blob(nil), []byte{}},
		{"int slice", []int{1, 2}, []any{int64(1), int64(2)}},
		{"nil int slice", []int(nil), []any{}},
		{"array", [2]string{"a", "b"}, []any{"a", "b"}},
		{"nested any list", []any{1, []any{int8(2)}, "s"}, []any{int64(1), []any{int64(2)}, "s"}},
		{"map", map[string]float32{"a": 1}, map[string]any{"a": float64(1)}},
		{"nil map", map[string]int(nil), map[string]any{}},
		{"int keys", map[int]string{-1: "m", 2: "p"}, map[string]any{"-1": "m", "2": "p"}},
		{"text keys", map[upper]int{"a": 1}, map[string]any{"A": int64(1)}},
		{"dict with struct", map[string]any{"in": Inner{City: "Oslo"}}, map[string]any{"in": map[string]any{"city": "Oslo"}}},
		{"pointer", &nick, "ada"},
		{"nil pointer", (*int)(nil), nil},
		{"pointer to pointer", func() any { p := &nick; return &p }(), "ada"},
		{"text marshaler", upper("abc"), "ABC"},
		{"time", when, "2026-11-30T05:00:00.000000123Z"},
		{"duration", 2 * time.Second, int64(2e9)},
		{"net.IP is text", net.IPv4(10, 0, 0, 1), "10.0.0.1"},
		{"struct", user{Name: "Ada", Email: "a@x", Nick: &nick, Tags: []string{"x"}, Home: Inner{City: "Oslo"},
			Secret: "s", Skipped: "k", Dash: "d", Plain: true, When: when, Score: 0.5, private: 1,
			Labels: map[Level]Name{1: "one"}, Any: []int{1}, Raw: Blob{9}, Children: []*Inner{nil, {Zip: "1"}},
			Nested: map[string][]bool{"b": {true}}},
			map[string]any{"name": "Ada", "email": "a@x", "nick": "ada", "tags": []any{"x"},
				"home": map[string]any{"city": "Oslo"}, "-": "d", "Plain": true,
				"when": "2026-11-30T05:00:00.000000123Z", "score": float64(0.5),
				"labels": map[string]any{"1": "one"}, "any": []any{int64(1)}, "raw": []byte{9},
				"children": []any{nil, map[string]any{"city": "", "zip": "1"}},
				"nested":   map[string]any{"b": []any{true}}}},
		{"struct zero", user{}, map[string]any{"name": "", "email": "", "nick": nil, "tags": []any{},
			"home": map[string]any{"city": ""}, "-": "", "Plain": false, "score": float64(0), "any": nil}},
		{"embedded", embedded{Base: Base{ID: 7, Kind: "k"}, Inner: &Inner{City: "c"}, Kind: "k2", Extra: "e"},
			map[string]any{"id": int64(7), "kind": "k", "city": "c", "kind2": "k2", "extra": "e"}},
		{"embedded nil pointer", embedded{}, map[string]any{"id": int64(0), "kind": "", "kind2": "", "extra": ""}},
		{"conflict dropped", conflict{A{"a", "1"}, B{"b", "2"}}, map[string]any{"OnlyA": "1", "OnlyB": "2"}},
		{"tagged wins", tagWins{A{"a", "1"}, C{"c"}}, map[string]any{"Name": "c", "OnlyA": "1"}},
		{"list of structs", []any{Inner{City: "x"}}, []any{map[string]any{"city": "x"}}},
		{"interface slice elem", []any{(*int)(nil), any(nil)}, []any{nil, nil}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := codec.Normalize(tt.in)
			if err != nil {
				t.Fatalf("Normalize(%#v): %v", tt.in, err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Normalize(%#v)\n got %#v\nwant %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestNormalizeErrors(t *testing.T) {
	cyc := &node{}
	cyc.Next = cyc
	loop := []any{nil}
	loop[0] = loop
	tests := []struct {
		name string
		in   any
		is   error
		msg  string
	}{
		{"chan", make(chan int), codec.ErrUnsupportedValue, "payload: chan int has no payload form"},
		{"func in list", []any{1, func() {}}, codec.ErrUnsupportedValue, "payload: [1]: func() has no payload form"},
		{"complex in struct", struct {
			C complex64 `wamp:"c"`
		}{}, codec.ErrUnsupportedValue, "payload: c: complex64 has no payload form"},
		{"struct keys", map[Inner]int{{}: 1}, codec.ErrUnsupportedValue, "dict keys must be strings"},
		{"deep in dict", map[string]any{"a b": []any{make(chan int)}}, codec.ErrUnsupportedValue, `payload: ["a b"][0]: chan int`},
		{"cycle", cyc, codec.ErrTooDeep, "nested deeper than 64"},
		{"list cycle", loop, codec.ErrTooDeep, "nested deeper than 64"},
		{"marshal text fails", []badText{{}}, nil, "payload: [0]: codec_test.badText.MarshalText: no text"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := codec.Normalize(tt.in)
			var ee *codec.ValueError
			if !errors.As(err, &ee) {
				t.Fatalf("Normalize: %v, want *ValueError", err)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Fatalf("error %v does not match %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("error %q, want it to contain %q", err, tt.msg)
			}
		})
	}
}

// A value already in the value set comes back as it is, without a copy or
// an allocation.
func TestNormalizeFastPath(t *testing.T) {
	list := []any{int64(1), "s", []byte("b"), map[string]any{"k": []any{true, nil, 2.5, uint64(math.MaxUint64)}}}
	dict := map[string]any{"l": list}
	for _, v := range []any{nil, true, int64(-1), uint64(1), 1.5, "s", []byte("x"), list, dict} {
		allocs := testing.AllocsPerRun(100, func() {
			if _, err := codec.Normalize(v); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("Normalize(%T) allocated %v times", v, allocs)
		}
	}
	got, _ := codec.Normalize(list)
	if &got.([]any)[0] != &list[0] {
		t.Fatal("Normalize copied a list of the value set")
	}
	// A list with one foreign value is copied, the original left alone.
	mixed := []any{int64(1), 2}
	got, _ = codec.Normalize(mixed)
	if mixed[1] != 2 || got.([]any)[1] != int64(2) || got.([]any)[0] != int64(1) {
		t.Fatalf("Normalize(%v) = %v", mixed, got)
	}
	d := map[string]any{"a": int64(1), "b": int16(2)}
	gd, _ := codec.Normalize(d)
	if d["b"] != int16(2) || gd.(map[string]any)["b"] != int64(2) || gd.(map[string]any)["a"] != int64(1) {
		t.Fatalf("Normalize(%v) = %v", d, gd)
	}
}

func TestNormalizePayload(t *testing.T) {
	args := []any{int64(1), "a"}
	kwargs := map[string]any{"k": []any{true}}
	l, kw, err := codec.NormalizePayload(args, kwargs)
	if err != nil || &l[0] != &args[0] || reflect.ValueOf(kw).UnsafePointer() != reflect.ValueOf(kwargs).UnsafePointer() {
		t.Fatalf("NormalizePayload of a plain payload = %v, %v, %v (copied)", l, kw, err)
	}
	if allocs := testing.AllocsPerRun(100, func() { _, _, _ = codec.NormalizePayload(args, kwargs) }); allocs != 0 {
		t.Errorf("NormalizePayload of a plain payload allocated %v times", allocs)
	}
	l, kw, err = codec.NormalizePayload([]any{1, "a", Inner{}}, map[string]any{"in": &Inner{City: "c"}})
	if err != nil || !reflect.DeepEqual(l, []any{int64(1), "a", map[string]any{"city": ""}}) ||
		!reflect.DeepEqual(kw, map[string]any{"in": map[string]any{"city": "c"}}) {
		t.Fatalf("NormalizePayload = %v, %v, %v", l, kw, err)
	}
	if l, kw, err := codec.NormalizePayload(nil, nil); l != nil || kw != nil || err != nil {
		t.Fatalf("NormalizePayload(nil, nil) = %v, %v, %v", l, kw, err)
	}
	_, _, err = codec.NormalizePayload([]any{1, []any{make(chan int)}}, nil)
	var ve *codec.ValueError
	if !errors.As(err, &ve) || ve.Path != "args[1][0]" || err.Error() != "payload: args[1][0]: chan int has no payload form" {
		t.Fatalf("NormalizePayload(chan in args): %v", err)
	}
	_, _, err = codec.NormalizePayload(nil, map[string]any{"in": map[string]any{"x y": make(chan int)}})
	if !errors.As(err, &ve) || err.Error() != `payload: kwargs.in["x y"]: chan int has no payload form` {
		t.Fatalf("NormalizePayload(chan in kwargs): %v", err)
	}
	_, _, err = codec.NormalizePayload(nil, map[string]any{"a b": make(chan int)})
	if !errors.As(err, &ve) || ve.Path != `kwargs["a b"]` || !errors.Is(err, codec.ErrUnsupportedValue) {
		t.Fatalf("NormalizePayload(chan at a quoted key): %v", err)
	}
}

// Every encoder reports what Normalize cannot convert with its
// *ValueError, path included, inside the *EncodeError. The path starts at
// the value the encoder converted: the foreign value itself (JSON,
// MessagePack), or the message's list (CBOR: "[4][0].items[1]").
func TestEncodersReportValueError(t *testing.T) {
	type order struct {
		Items []any `wamp:"items"`
	}
	for _, c := range []codec.Codec{codec.JSON(), codec.MsgPack(), codec.CBOR()} {
		_, err := c.Encode(&protocol.Call{Request: 1, Procedure: "a.b",
			Payload: protocol.Payload{Args: protocol.List{order{Items: []any{1, make(chan int)}}}}})
		var ee *codec.EncodeError
		var ve *codec.ValueError
		if !errors.As(err, &ee) || !errors.As(err, &ve) || !strings.HasSuffix(ve.Path, "items[1]") || !errors.Is(err, codec.ErrUnsupportedValue) {
			t.Errorf("%s: %v, want an EncodeError holding the ValueError at items[1]", c.Name(), err)
		}
	}
}
