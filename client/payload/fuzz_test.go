package payload_test

import (
	"errors"
	"math"
	"reflect"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client/payload"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// bytesReader hands out fuzz input piece by piece; past the end it
// returns zeros, so every input builds some value.
type bytesReader struct {
	b []byte
}

func (r *bytesReader) byte() byte {
	if len(r.b) == 0 {
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *bytesReader) uint64() uint64 {
	var u uint64
	for range 8 {
		u = u<<8 | uint64(r.byte())
	}
	return u
}

func (r *bytesReader) string() string {
	n := int(r.byte() % 12)
	if n > len(r.b) {
		n = len(r.b)
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}

// fill sets v (settable) to a value read from r, for the round trip: no
// NaN (it never equals itself), no nil slices or maps (they travel as
// empty lists and dicts), no pointer to a nil pointer, times in UTC
// without a monotonic reading.
func (r *bytesReader) fill(v reflect.Value, depth int) {
	if v.Type() == reflect.TypeFor[time.Time]() {
		// Years 1970 to 6325: RFC 3339 text has four digits for the year.
		v.Set(reflect.ValueOf(time.Unix(int64(r.uint64()%(1<<37)), int64(r.uint64()%1e9)).UTC()))
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(r.byte()&1 == 1)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(r.uint64()) >> (r.byte() % 64))
		if v.OverflowInt(v.Int()) {
			v.SetInt(0)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		u := r.uint64() >> (r.byte() % 64)
		if v.OverflowUint(u) {
			u = uint64(r.byte())
		}
		v.SetUint(u)
	case reflect.Float32, reflect.Float64:
		f := math.Float64frombits(r.uint64())
		if v.Kind() == reflect.Float32 {
			f = float64(float32(f))
		}
		if math.IsNaN(f) {
			f = 0
		}
		v.SetFloat(f)
	case reflect.String:
		v.SetString(r.string())
	case reflect.Pointer:
		if r.byte()%3 == 0 || depth > 4 {
			v.SetZero()
			return
		}
		// A pointer to a nil pointer travels as null and comes back nil.
		p := reflect.New(v.Type().Elem())
		for e := p; e.Elem().Kind() == reflect.Pointer; e = e.Elem() {
			e.Elem().Set(reflect.New(e.Elem().Type().Elem()))
		}
		inner := p.Elem()
		for inner.Kind() == reflect.Pointer {
			inner = inner.Elem()
		}
		r.fill(inner, depth+1)
		v.Set(p)
	case reflect.Slice:
		n := int(r.byte() % 4)
		if depth > 4 {
			n = 0
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			r.fill(s.Index(i), depth+1)
		}
		v.Set(s)
	case reflect.Array:
		for i := range v.Len() {
			r.fill(v.Index(i), depth+1)
		}
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		n := int(r.byte() % 4)
		if depth > 4 {
			n = 0
		}
		for range n {
			k := reflect.New(v.Type().Key()).Elem()
			r.fill(k, depth+1)
			e := reflect.New(v.Type().Elem()).Elem()
			r.fill(e, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				r.fill(v.Field(i), depth+1)
			}
		}
	}
}

// record exercises every rule of the round trip.
type record struct {
	B       bool              `wamp:"b"`
	I       int               `wamp:"i,omitempty"`
	I8      int8              `json:"i8"`
	U16     uint16            //
	U64     uint64            `wamp:"u64"`
	F32     float32           `wamp:"f32"`
	F64     float64           `wamp:"f64,omitzero"`
	S       string            `wamp:"s"`
	Name    Name              `wamp:"name"`
	Bin     []byte            `wamp:"bin"`
	Arr     [3]byte           `wamp:"arr"`
	Ints    []int32           `wamp:"ints"`
	Grid    [2][2]int16       `wamp:"grid"`
	Ptr     *float64          `wamp:"ptr"`
	PtrPtr  **string          `wamp:"pp"`
	Map     map[string]uint8  `wamp:"map"`
	IntKeys map[int16]string  `wamp:"int_keys"`
	Nested  []map[string]bool `wamp:"nested"`
	Inner   Inner             `wamp:"inner"`
	Inners  []*Inner          `wamp:"inners"`
	When    time.Time         `wamp:"when"`
	Dur     time.Duration     `wamp:"dur"`
	Base
	Skip string `wamp:"-"`
}

// FuzzRoundTrip: a Go value built from the input survives Encode, a trip
// through every codec in a PUBLISH, and Decode into a value of its type.
func FuzzRoundTrip(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("\x01\x02\x03\x04\x05\x06\x07\x08 hello world \xff\xfe\x00\x10"))
	f.Add(make([]byte, 300))
	codecs := []codec.Codec{codec.JSON(), codec.MsgPack(), codec.CBOR()}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &bytesReader{b: data}
		var in record
		r.fill(reflect.ValueOf(&in).Elem(), 0)
		in.Skip = ""
		enc, err := codec.Normalize(in)
		if err != nil {
			t.Fatalf("Encode: %v", err)
		}
		var out record
		if err := payload.Decode(enc, &out); err != nil {
			t.Fatalf("Decode of %#v: %v", enc, err)
		}
		if !reflect.DeepEqual(in, out) {
			t.Fatalf("round trip\n  in %#v\n out %#v", in, out)
		}
		for _, c := range codecs {
			b, err := c.Encode(&protocol.Publish{Request: 1, Options: protocol.Dict{}, Topic: "t",
				Payload: protocol.Payload{Args: protocol.List{enc}}})
			if err != nil {
				continue // JSON cannot carry infinities, nor NUL followed by base64
			}
			msg, err := c.Decode(b)
			if err != nil {
				t.Fatalf("%T: Decode: %v", c, err)
			}
			var wired record
			if err := payload.DecodeArgs(msg.(*protocol.Publish).Args, &wired); err != nil {
				t.Fatalf("%T: DecodeArgs: %v", c, err)
			}
			if !reflect.DeepEqual(in, wired) {
				t.Fatalf("%T round trip\n  in %#v\n out %#v", c, in, wired)
			}
		}
	})
}

// value builds an arbitrary tree of the value set (with a few values
// outside it) from r.
func (r *bytesReader) value(depth int) any {
	switch k := r.byte() % 13; {
	case k == 0:
		return nil
	case k == 1:
		return r.byte()&1 == 1
	case k == 2:
		return int64(r.uint64())
	case k == 3:
		return r.uint64()
	case k == 4:
		return math.Float64frombits(r.uint64())
	case k == 5:
		return float64(int64(r.uint64()) >> (r.byte() % 64))
	case k == 6:
		return r.string()
	case k == 7:
		return []byte(r.string())
	case k == 8:
		return int(int8(r.byte())) // outside the set: converted first
	case k <= 10 && depth < 6:
		l := make([]any, r.byte()%4)
		for i := range l {
			l[i] = r.value(depth + 1)
		}
		return l
	case depth < 6:
		d := map[string]any{}
		for range r.byte() % 4 {
			keys := []string{"b", "i", "i8", "U16", "s", "bin", "arr", "ints", "grid", "ptr", "pp", "map",
				"int_keys", "nested", "inner", "inners", "when", "dur", "id", "kind", "city", "zip", "1", "-2"}
			d[keys[int(r.byte())%len(keys)]] = r.value(depth + 1)
		}
		return d
	}
	return int64(r.byte())
}

// FuzzDecode: Decode never panics, whatever the value and destination, and
// fails only with a *DecodeError.
func FuzzDecode(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{12, 3, 0, 1, 5, 0, 0, 0, 0, 0, 0, 0, 7})
	f.Add([]byte{10, 2, 4, 64, 4, 0, 0, 0, 0, 0, 0, 12, 1, 3})
	dsts := []func() any{
		func() any { return new(record) },
		func() any { return new(any) },
		func() any { return new([]int) },
		func() any { return new(map[string][]uint8) },
		func() any { return new(map[int8]*Inner) },
		func() any { return new([3]float32) },
		func() any { return new(*time.Time) },
		func() any { return new(lower) },
		func() any { return new(map[lower]lower) },
		func() any { return new(embedded) },
		func() any { return new([]person) },
		func() any { return new(uint8) },
		func() any { return new(string) },
		func() any { return new(viaUnexported) },
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := &bytesReader{b: data}
		v := r.value(0)
		for _, mk := range dsts {
			dst := mk()
			err := payload.Decode(v, dst)
			var de *payload.DecodeError
			if err != nil && !errors.As(err, &de) {
				t.Fatalf("Decode(%#v) into %T: %v is not a *DecodeError", v, dst, err)
			}
			if err == nil {
				// What decoded encodes back without error.
				if _, err := codec.Normalize(reflect.ValueOf(dst).Elem().Interface()); err != nil {
					t.Fatalf("Encode after Decode into %T: %v", dst, err)
				}
			}
		}
		if _, err := payload.ID(v); err != nil && !errors.Is(err, payload.ErrMismatch) {
			t.Fatalf("ID: %v", err)
		}
		if err := payload.DecodeArgs([]any{v, v}, new(int), new(record)); err != nil && !errors.Is(err, payload.ErrMismatch) {
			t.Fatalf("DecodeArgs: %v", err)
		}
	})
}
