package payload_test

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client/payload"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// lower reads its text in lower case, and refuses "bad".
type lower string

func (l *lower) UnmarshalText(b []byte) error {
	if string(b) == "bad" {
		return errors.New("bad word")
	}
	*l = lower(strings.ToLower(string(b)))
	return nil
}

type person struct {
	Name string   `wamp:"name"`
	Age  int      `wamp:"age"`
	Nick *string  `wamp:"nick"`
	Tags []string `json:"tags"`
	Home *Inner   `wamp:"home"`
	Skip string   `wamp:"-"`
}

// decodeCase decodes in into a new value of want's type and expects want.
type decodeCase struct {
	name string
	in   any
	want any
}

func runDecode(t *testing.T, tests []decodeCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := reflect.New(reflect.TypeOf(tt.want))
			if err := payload.Decode(tt.in, dst.Interface()); err != nil {
				t.Fatalf("Decode(%#v) into %T: %v", tt.in, tt.want, err)
			}
			if got := dst.Elem().Interface(); !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("Decode(%#v)\n got %#v\nwant %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestDecodeScalars(t *testing.T) {
	runDecode(t, []decodeCase{
		{"bool", true, true},
		{"int", int64(-5), -5},
		{"int8 min", int64(math.MinInt8), int8(math.MinInt8)},
		{"uint8 max", int64(255), uint8(255)},
		{"int64 min", int64(math.MinInt64), int64(math.MinInt64)},
		{"uint64 max", uint64(math.MaxUint64), uint64(math.MaxUint64)},
		{"uint64 into int64", uint64(math.MaxInt64), int64(math.MaxInt64)},
		{"integral float", 2.0, 2},
		{"negative integral float", -3.0, int16(-3)},
		{"float to uint", 1e19, uint64(1e19)},
		{"named int", int64(4), Level(4)},
		{"float", 2.5, 2.5},
		{"float32", 0.25, float32(0.25)},
		{"float from int", int64(3), 3.0},
		{"float from uint64", uint64(math.MaxUint64), float64(math.MaxUint64)},
		{"float32 inf", math.Inf(1), float32(math.Inf(1))},
		{"string", "héllo", "héllo"},
		{"named string", "x", Name("x")},
		{"duration", int64(1500), time.Duration(1500)},
		{"time", "2026-11-30T05:00:00.000000123Z", time.Date(2026, 11, 30, 5, 0, 0, 123, time.UTC)},
		{"text unmarshaler", "ABC", lower("abc")},
		{"any keeps value", []any{int64(1), "x"}, []any{int64(1), "x"}},
		{"local int is encoded first", 7, int64(7)},
		{"local struct is encoded first", Inner{City: "c"}, map[string]any{"city": "c"}},
	})
}

func TestDecodeContainers(t *testing.T) {
	nick := "ada"
	runDecode(t, []decodeCase{
		{"slice", []any{int64(1), 2.0}, []int{1, 2}},
		{"empty slice", []any{}, []string{}},
		{"null slice", nil, []int(nil)},
		{"nested slice", []any{[]any{"a"}, []any{}}, [][]string{{"a"}, {}}},
		{"bytes", []byte("ab"), []byte("ab")},
		{"named bytes", []byte("ab"), Blob("ab")},
		{"bytes from base64", "YWI=", []byte("ab")},
		{"bytes from raw base64", "YWI", []byte("ab")},
		{"bytes from list", []any{int64(1), int64(255)}, []byte{1, 255}},
		{"array", []any{"a", "b"}, [2]string{"a", "b"}},
		{"byte array from binary", []byte{1, 2}, [2]byte{1, 2}},
		{"map", map[string]any{"a": int64(1)}, map[string]int{"a": 1}},
		{"map int keys", map[string]any{"-1": "m", "7": "p"}, map[int8]string{-1: "m", 7: "p"}},
		{"map uint keys", map[string]any{"7": true}, map[uint]bool{7: true}},
		{"map text keys", map[string]any{"ABC": int64(1)}, map[lower]int{"abc": 1}},
		{"map of any", map[string]any{"k": []any{nil}}, map[string]any{"k": []any{nil}}},
		{"null map", nil, map[string]int(nil)},
		{"pointer", "x", func() *string { s := "x"; return &s }()},
		{"null pointer", nil, (*string)(nil)},
		{"struct", map[string]any{"name": "Ada", "age": int64(36), "nick": "ada", "tags": []any{"x"},
			"home": map[string]any{"city": "Oslo"}, "Skip": "no", "-": "no", "unknown": []any{1.5}},
			person{Name: "Ada", Age: 36, Nick: &nick, Tags: []string{"x"}, Home: &Inner{City: "Oslo"}}},
		{"struct null fields", map[string]any{"nick": nil, "tags": nil, "home": nil}, person{}},
		{"struct by json tag and field name", map[string]any{"zip": "z", "city": "c", "City": "no"}, Inner{City: "c", Zip: "z"}},
		{"embedded", map[string]any{"id": int64(1), "kind": "k", "city": "c", "kind2": "k2"},
			embedded{Base: Base{ID: 1, Kind: "k"}, Inner: &Inner{City: "c"}, Kind: "k2"}},
		{"embedded pointer left nil", map[string]any{"id": int64(1)}, embedded{Base: Base{ID: 1}}},
		{"pointer to struct", map[string]any{"city": "c"}, &Inner{City: "c"}},
	})
}

func TestDecodeKeepsWhatIsNotGiven(t *testing.T) {
	p := person{Name: "old", Age: 3}
	if err := payload.Decode(map[string]any{"age": int64(4)}, &p); err != nil || p.Name != "old" || p.Age != 4 {
		t.Fatalf("Decode = %+v, %v", p, err)
	}
	m := map[string]int{"a": 1}
	if err := payload.Decode(map[string]any{"b": int64(2)}, &m); err != nil || len(m) != 2 {
		t.Fatalf("Decode into a map = %v, %v", m, err)
	}
	home := &Inner{Zip: "z"}
	p.Home = home
	if err := payload.Decode(map[string]any{"home": map[string]any{"city": "c"}}, &p); err != nil || p.Home != home || *home != (Inner{City: "c", Zip: "z"}) {
		t.Fatalf("Decode through an existing pointer = %+v, %v", p.Home, err)
	}
	// Decoded bytes are a copy.
	src := []byte("ab")
	var b []byte
	if err := payload.Decode(src, &b); err != nil {
		t.Fatal(err)
	}
	src[0] = 'x'
	if string(b) != "ab" {
		t.Fatalf("Decode shared the byte slice: %q", b)
	}
}

func TestDecodeErrors(t *testing.T) {
	type deep struct {
		User struct {
			Age int `wamp:"age"`
		} `wamp:"user"`
	}
	tests := []struct {
		name string
		in   any
		dst  any
		msg  string
	}{
		{"fraction", 2.5, new(int), "payload: 2.5 is not an integer"},
		{"nested fraction", map[string]any{"user": map[string]any{"age": 2.5}}, new(deep), "user.age: 2.5 is not an integer"},
		{"overflow int8", int64(300), new(int8), "payload: 300 overflows int8"},
		{"negative uint", int64(-1), new(uint), "payload: -1 overflows uint"},
		{"uint64 into int64", uint64(math.MaxUint64), new(int64), "18446744073709551615 overflows int64"},
		{"float too big", 1e19, new(int64), "10000000000000000000 overflows int64"},
		{"float way too big", 1e30, new(uint64), "1e+30 is out of range for an integer"},
		{"nan", math.NaN(), new(int), "NaN is not an integer"},
		{"string into int", "5", new(int), `want an integer, got string "5"`},
		{"null into int", nil, new(int), "want an integer, got null"},
		{"bool from int", int64(1), new(bool), "want a bool, got integer 1"},
		{"float32 overflow", 1e300, new(float32), "1e+300 overflows float32"},
		{"number from string", "1.5", new(float64), `want a number, got string "1.5"`},
		{"string from binary", []byte("x"), new(string), "want a string, got binary of 1 bytes"},
		{"long string shortened", strings.Repeat("é", 40), new(int), `got string "` + strings.Repeat("é", 16) + `"...`},
		{"bytes from text", "not base64!", new([]byte), "want binary, got string"},
		{"bytes from bool", true, new([]byte), "want binary, got bool true"},
		{"list element", []any{int64(1), "x"}, new([]int), "[1]: want an integer"},
		{"list from dict", map[string]any{}, new([]int), "want a list, got dict of 0"},
		{"array length", []any{int64(1)}, new([2]int), "list of 1 does not fit [2]int"},
		{"byte array length", []byte{1}, new([2]byte), "binary of 1 bytes does not fit [2]uint8"},
		{"array from null", nil, new([2]int), "want a list, got null"},
		{"map value", map[string]any{"a b": "x"}, new(map[string]int), `["a b"]: want an integer`},
		{"map key", map[string]any{"x": int64(1)}, new(map[int]int), "x: key is not a int"},
		{"map key range", map[string]any{"300": int64(1)}, new(map[uint8]int), `["300"]: key is not a uint8`},
		{"text key", map[string]any{"bad": int64(1)}, new(map[lower]int), "bad: key is not a payload_test.lower: bad word"},
		{"struct from list", []any{}, new(Inner), "want a dict, got list of 0"},
		{"struct from null", nil, new(Inner), "want a dict, got null"},
		{"text unmarshaler refuses", "bad", new(lower), "payload_test.lower cannot hold string \"bad\": bad word"},
		{"time from int", int64(5), new(time.Time), "time.Time wants a string, got integer 5"},
		{"bad time", "yesterday", new(time.Time), `time.Time cannot hold string "yesterday"`},
		{"interface", "x", new(fmt.Stringer), `string "x" does not implement fmt.Stringer`},
		{"deep", func() any {
			var v any = int64(1)
			for range payload.MaxDepth + 1 {
				v = []any{v}
			}
			return v
		}(), new(any), ""}, // any keeps the value, however deep
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := payload.Decode(tt.in, tt.dst)
			if tt.msg == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var de *payload.DecodeError
			if !errors.As(err, &de) || !errors.Is(err, payload.ErrMismatch) {
				t.Fatalf("Decode: %v, want a *DecodeError matching ErrMismatch", err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("error %q, want it to contain %q", err, tt.msg)
			}
		})
	}
}

func TestDecodeTooDeep(t *testing.T) {
	var v any = int64(1)
	for range payload.MaxDepth + 1 {
		v = []any{v}
	}
	var dst any
	for range payload.MaxDepth + 1 {
		dst = []any{dst}
	}
	var nested [][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][][]int
	err := payload.Decode(v, &nested)
	if !errors.Is(err, payload.ErrTooDeep) {
		t.Fatalf("Decode of a value nested %d deep: %v", payload.MaxDepth+1, err)
	}
}

func TestDecodeInvalidDestination(t *testing.T) {
	var nilPtr *int
	for _, dst := range []any{nil, 5, nilPtr, new(chan int), new(func()), new(map[Inner]int), new(complex64)} {
		in := any(int64(1))
		if _, ok := dst.(*map[Inner]int); ok {
			in = map[string]any{}
		}
		err := payload.Decode(in, dst)
		if !errors.Is(err, payload.ErrInvalidDestination) || errors.Is(err, payload.ErrMismatch) {
			t.Errorf("Decode into %T: %v", dst, err)
		}
	}
}

func TestDecodeArgsAndKwargs(t *testing.T) {
	var (
		a    int
		b    string
		opt  *int
		rest []any
	)
	args := []any{int64(1), "two", nil, "ignored"}
	if err := payload.DecodeArgs(args, &a, &b, &opt); err != nil || a != 1 || b != "two" || opt != nil {
		t.Fatalf("DecodeArgs = %v %q %v, %v", a, b, opt, err)
	}
	// A nil destination skips its position; a missing argument fills
	// nullable destinations with nil.
	if err := payload.DecodeArgs(args[:1], nil, &opt, &rest); err != nil || opt != nil || rest != nil {
		t.Fatalf("DecodeArgs with missing = %v %v, %v", opt, rest, err)
	}
	err := payload.DecodeArgs(args[:1], &a, &b)
	if !errors.Is(err, payload.ErrMismatch) || err.Error() != "args[1]: missing (1 arguments given)" {
		t.Fatalf("missing argument: %v", err)
	}
	type req struct {
		User struct {
			Age int `wamp:"age"`
		} `wamp:"user"`
	}
	var r req
	err = payload.DecodeArgs([]any{int64(0), map[string]any{"user": map[string]any{"age": 2.5}}}, nil, &r)
	if err == nil || err.Error() != "args[1].user.age: 2.5 is not an integer" {
		t.Fatalf("nested error: %v", err)
	}
	var de *payload.DecodeError
	if !errors.As(err, &de) || de.Path != "args[1].user.age" || de.Reason != "2.5 is not an integer" {
		t.Fatalf("DecodeError %+v", de)
	}
	if err := payload.DecodeArgs(args, 3); !errors.Is(err, payload.ErrInvalidDestination) || !strings.HasPrefix(err.Error(), "args[0]: ") {
		t.Fatalf("DecodeArgs into an int: %v", err)
	}

	var p person
	if err := payload.DecodeKwargs(nil, &p); err != nil {
		t.Fatalf("DecodeKwargs(nil): %v", err)
	}
	var m map[string]int
	if err := payload.DecodeKwargs(nil, &m); err != nil || m == nil || len(m) != 0 {
		t.Fatalf("DecodeKwargs(nil) into a map = %v, %v", m, err)
	}
	err = payload.DecodeKwargs(map[string]any{"tags": []any{"a", int64(1)}}, &p)
	if err == nil || err.Error() != "kwargs.tags[1]: want a string, got integer 1" {
		t.Fatalf("DecodeKwargs error: %v", err)
	}
}

func TestID(t *testing.T) {
	for _, v := range []any{int64(1), uint64(protocol.MaxID), float64(12345), int64(protocol.MaxID)} {
		id, err := payload.ID(v)
		if err != nil || id == 0 {
			t.Errorf("ID(%#v) = %d, %v", v, id, err)
		}
	}
	for _, v := range []any{int64(0), int64(-1), uint64(protocol.MaxID + 1), 1.5, "1", nil, []any{}} {
		if id, err := payload.ID(v); !errors.Is(err, payload.ErrMismatch) || id != 0 {
			t.Errorf("ID(%#v) = %d, %v", v, id, err)
		}
	}
	ids, err := payload.IDs([]any{int64(3), uint64(4)})
	if err != nil || !reflect.DeepEqual(ids, []protocol.ID{3, 4}) {
		t.Fatalf("IDs = %v, %v", ids, err)
	}
	if _, err := payload.IDs([]any{int64(3), "x"}); err == nil || !strings.HasPrefix(err.Error(), "[1]: want an id") {
		t.Fatalf("IDs error: %v", err)
	}
	if _, err := payload.IDs(int64(3)); !errors.Is(err, payload.ErrMismatch) {
		t.Fatalf("IDs(3): %v", err)
	}
}

type hidden struct {
	City string `wamp:"city"`
}

type viaUnexported struct {
	*hidden
	Name string `wamp:"name"`
}

type viaUnexportedValue struct {
	hidden
}

// The exported fields of an unexported embedded struct are promoted, as in
// encoding/json; through a nil pointer to one they cannot be set.
func TestUnexportedEmbedded(t *testing.T) {
	v, err := codec.Normalize(viaUnexported{hidden: &hidden{City: "c"}, Name: "n"})
	if err != nil || !reflect.DeepEqual(v, map[string]any{"city": "c", "name": "n"}) {
		t.Fatalf("Encode = %v, %v", v, err)
	}
	var byValue viaUnexportedValue
	if err := payload.Decode(map[string]any{"city": "c"}, &byValue); err != nil || byValue.City != "c" {
		t.Fatalf("Decode through an embedded value = %+v, %v", byValue, err)
	}
	set := viaUnexported{hidden: &hidden{}}
	if err := payload.Decode(map[string]any{"city": "c"}, &set); err != nil || set.City != "c" {
		t.Fatalf("Decode through a set embedded pointer = %+v, %v", set.hidden, err)
	}
	var unset viaUnexported
	err = payload.Decode(map[string]any{"city": "c", "name": "n"}, &unset)
	if !errors.Is(err, payload.ErrInvalidDestination) || !strings.HasPrefix(err.Error(), "city: ") {
		t.Fatalf("Decode through a nil unexported embedded pointer: %v", err)
	}
}
