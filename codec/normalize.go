package codec

import (
	"encoding"
	"math"
	"reflect"

	"github.com/wampgo/wampgo/protocol"
)

// Normalize converts a Go value into the closed value set that Encode
// accepts (nil, bool, int64, uint64, float64, string, []byte, []any,
// map[string]any; see the package comment), so that payloads and options
// may be built from everyday Go values. It is the one converter of the
// module: the encoders apply it to values outside the set, and package
// client to every payload it sends. It maps
//
//	nil, nil pointer, nil interface   nil
//	bool (and named bool types)       bool
//	signed integers                   int64
//	unsigned integers                 int64, or uint64 above math.MaxInt64
//	                                  (a uint64 given as such stays uint64)
//	float32, float64                  float64
//	string (and named string types)   string
//	[]byte, [N]byte, named byte types []byte; a nil one gives an empty one
//	other slices and arrays           []any; a nil slice gives an empty list
//	maps                              map[string]any; keys that are strings,
//	                                  integers (decimal text) or
//	                                  encoding.TextMarshaler; a nil map
//	                                  gives an empty dict
//	structs                           map[string]any, one entry per exported
//	                                  field, named by its `wamp` tag, else
//	                                  its `json` tag, else its name, with
//	                                  the omitempty and omitzero options
//	                                  and encoding/json's rules for embedded
//	                                  structs (client/payload documents them)
//	non-nil pointers, interfaces      the value they point to
//	encoding.TextMarshaler            string: its text (time.Time so becomes
//	                                  an RFC 3339 string with nanoseconds)
//
// A value already in the set is returned as it is, without allocating; a
// list or dict is copied only along the branches that hold a value to
// convert. Normalize never modifies v and keeps no reference to it beyond
// the result, which may share v's lists, dicts and byte slices.
//
// Channels, functions, complex numbers and unsafe pointers have no payload
// form. The error is a *ValueError naming the path to the value at fault:
// it matches ErrUnsupportedValue, or ErrTooDeep for a value nested deeper
// than DefaultMaxDepth (a cyclic value among them), or wraps the error of a
// MarshalText method. Normalize is safe for concurrent use.
func Normalize(v any) (any, error) {
	out, _, err := normalizeAny(v, 0)
	if err != nil {
		return nil, rooted(err, "")
	}
	return out, nil
}

// NormalizePayload converts the positional and keyword arguments of a
// payload with Normalize's rules. args and kwargs themselves are returned
// when every value in them is already in the set (nil stays nil). Error
// paths start at "args" or "kwargs": "args[1].when", "kwargs.user".
func NormalizePayload(args protocol.List, kwargs protocol.Dict) (protocol.List, protocol.Dict, error) {
	a, _, err := normalizeList(args, 0)
	if err != nil {
		return nil, nil, rooted(err, "args")
	}
	k, _, err := normalizeDict(kwargs, 0)
	if err != nil {
		return nil, nil, rooted(err, "kwargs")
	}
	return a, k, nil
}

// normalizeAny converts v, at nesting depth; changed reports whether the
// result differs from v (so that lists and dicts are copied only where
// needed). Errors are *ValueErrors whose path is made of steps.
func normalizeAny(v any, depth int) (out any, changed bool, err error) {
	switch x := v.(type) {
	case nil, bool, int64, uint64, float64, string, []byte:
		return v, false, nil
	// The everyday Go scalars, without reflect.
	case int:
		return int64(x), true, nil
	case int32:
		return int64(x), true, nil
	case int16:
		return int64(x), true, nil
	case int8:
		return int64(x), true, nil
	case uint32:
		return int64(x), true, nil
	case uint16:
		return int64(x), true, nil
	case uint8:
		return int64(x), true, nil
	case uint:
		if uint64(x) > math.MaxInt64 {
			return uint64(x), true, nil
		}
		return int64(x), true, nil
	case float32:
		return float64(x), true, nil
	case []any:
		l, changed, err := normalizeList(x, depth)
		if err != nil || !changed {
			// The original interface value: boxing the slice again would
			// allocate.
			return v, false, err
		}
		return l, true, nil
	case map[string]any:
		d, changed, err := normalizeDict(x, depth)
		if err != nil || !changed {
			return v, false, err
		}
		return d, true, nil
	}
	out, err = normalizeValue(reflect.ValueOf(v), depth)
	return out, true, err
}

// isPlainScalar reports whether v is a scalar of the set (so stays as it
// is): the loops over lists and dicts test it inline, before a call.
func isPlainScalar(v any) bool {
	switch v.(type) {
	case nil, bool, int64, uint64, float64, string, []byte:
		return true
	}
	return false
}

func normalizeList(l []any, depth int) ([]any, bool, error) {
	if l == nil {
		return l, false, nil
	}
	if depth >= DefaultMaxDepth {
		return nil, false, tooDeepValue()
	}
	var out []any
	for i, e := range l {
		if isPlainScalar(e) {
			if out != nil {
				out[i] = e
			}
			continue
		}
		n, changed, err := normalizeAny(e, depth+1)
		if err != nil {
			return nil, false, within(err, indexStep(i))
		}
		if changed && out == nil {
			out = make([]any, len(l))
			copy(out, l[:i])
		}
		if out != nil {
			out[i] = n
		}
	}
	if out == nil {
		return l, false, nil
	}
	return out, true, nil
}

func normalizeDict(d map[string]any, depth int) (map[string]any, bool, error) {
	if d == nil {
		return d, false, nil
	}
	if depth >= DefaultMaxDepth {
		return nil, false, tooDeepValue()
	}
	var out map[string]any
	for k, e := range d {
		if isPlainScalar(e) {
			continue // already in out, if out was made
		}
		n, changed, err := normalizeAny(e, depth+1)
		if err != nil {
			return nil, false, within(err, keyStep(k))
		}
		if changed && out == nil {
			out = make(map[string]any, len(d))
			for k2, e2 := range d {
				out[k2] = e2
			}
		}
		if out != nil {
			out[k] = n
		}
	}
	if out == nil {
		return d, false, nil
	}
	return out, true, nil
}

var textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()

// normalizeValue converts a value outside the set's own types.
func normalizeValue(rv reflect.Value, depth int) (any, error) {
	if !rv.IsValid() {
		return nil, nil
	}
	if depth >= DefaultMaxDepth {
		return nil, tooDeepValue()
	}
	t := rv.Type()
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil, nil
		}
	}
	if isText(t) {
		return marshalText(rv)
	}
	if v, ok := scalar(rv); ok {
		return v, nil
	}
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		out, _, err := normalizeAny(rv.Elem().Interface(), depth+1)
		return out, err
	case reflect.Slice:
		if isByteElem(t) {
			if rv.IsNil() {
				return []byte{}, nil
			}
			return rv.Bytes(), nil
		}
		return normalizeSeq(rv, depth)
	case reflect.Array:
		if isByteElem(t) {
			b := make([]byte, rv.Len())
			reflect.Copy(reflect.ValueOf(b), rv)
			return b, nil
		}
		return normalizeSeq(rv, depth)
	case reflect.Map:
		return normalizeMap(rv, depth)
	case reflect.Struct:
		return normalizeStruct(rv, depth)
	}
	return nil, noPayloadForm(t, "")
}

// scalar converts rv by its kind when that is bool, an integer, a float or
// string, whatever its type's methods: the caller has checked for
// MarshalText. It reports false for the other kinds.
func scalar(rv reflect.Value) (any, bool) {
	switch rv.Kind() {
	case reflect.Bool:
		return rv.Bool(), true
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if u := rv.Uint(); u > math.MaxInt64 {
			return u, true
		}
		return int64(rv.Uint()), true
	case reflect.Float32, reflect.Float64:
		return rv.Float(), true
	case reflect.String:
		return rv.String(), true
	}
	return nil, false
}

// isScalar reports whether the values of type t convert by scalar: a
// bool, integer, float or string kind without a MarshalText method. The
// elements of a container of such a type are converted without looking
// at each one's type again.
func isScalar(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.String:
		return !isText(t)
	}
	return false
}

// isByteElem reports whether a slice or array type t holds bytes that are
// binary: uint8 elements without a MarshalText method of their own.
func isByteElem(t reflect.Type) bool {
	return t.Elem().Kind() == reflect.Uint8 && !isText(t.Elem())
}

// isText reports whether t implements encoding.TextMarshaler. The types
// most often converted have no methods at all, which is told more cheaply
// than by Implements: a predeclared type (int, string, …), or an unnamed
// slice, array or map type ([]string, map[string]int).
func isText(t reflect.Type) bool {
	switch k := t.Kind(); k {
	case reflect.Slice, reflect.Array, reflect.Map:
		if t.Name() == "" {
			return false
		}
	default:
		if int(k) < len(predeclared) && predeclared[k] == t {
			return false
		}
	}
	return t.Implements(textMarshalerType)
}

// predeclared holds the predeclared type of each scalar kind.
var predeclared = [...]reflect.Type{
	reflect.Bool: reflect.TypeFor[bool](), reflect.Int: reflect.TypeFor[int](),
	reflect.Int8: reflect.TypeFor[int8](), reflect.Int16: reflect.TypeFor[int16](),
	reflect.Int32: reflect.TypeFor[int32](), reflect.Int64: reflect.TypeFor[int64](),
	reflect.Uint: reflect.TypeFor[uint](), reflect.Uint8: reflect.TypeFor[uint8](),
	reflect.Uint16: reflect.TypeFor[uint16](), reflect.Uint32: reflect.TypeFor[uint32](),
	reflect.Uint64: reflect.TypeFor[uint64](), reflect.Uintptr: reflect.TypeFor[uintptr](),
	reflect.Float32: reflect.TypeFor[float32](), reflect.Float64: reflect.TypeFor[float64](),
	reflect.String: reflect.TypeFor[string](),
}

func normalizeSeq(rv reflect.Value, depth int) (any, error) {
	out := make([]any, rv.Len())
	if isScalar(rv.Type().Elem()) {
		for i := range out {
			out[i], _ = scalar(rv.Index(i))
		}
		return out, nil
	}
	for i := range out {
		n, err := normalizeElem(rv.Index(i), depth)
		if err != nil {
			return nil, within(err, indexStep(i))
		}
		out[i] = n
	}
	return out, nil
}

// normalizeElem converts an element of a container at depth.
func normalizeElem(ev reflect.Value, depth int) (any, error) {
	if ev.Kind() == reflect.Interface {
		if ev.IsNil() {
			return nil, nil
		}
		ev = ev.Elem()
	}
	// The set's own types take the fast path.
	switch ev.Kind() {
	case reflect.Slice, reflect.Map, reflect.Struct, reflect.Array, reflect.Pointer:
		if isPlain(ev.Type()) {
			out, _, err := normalizeAny(ev.Interface(), depth+1)
			return out, err
		}
		return normalizeValue(ev, depth+1)
	}
	if isPlain(ev.Type()) {
		return ev.Interface(), nil
	}
	return normalizeValue(ev, depth+1)
}

var (
	anyListType = reflect.TypeFor[[]any]()
	anyDictType = reflect.TypeFor[map[string]any]()
	bytesType   = reflect.TypeFor[[]byte]()
	boolType    = reflect.TypeFor[bool]()
	int64Type   = reflect.TypeFor[int64]()
	uint64Type  = reflect.TypeFor[uint64]()
	float64Type = reflect.TypeFor[float64]()
	stringType  = reflect.TypeFor[string]()
)

// isPlain reports whether t is one of the set's own types (not a named
// type defined on one of them). The kind narrows the comparisons to one or
// two.
func isPlain(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Slice:
		return t == anyListType || t == bytesType
	case reflect.Map:
		return t == anyDictType
	case reflect.Bool:
		return t == boolType
	case reflect.Int64:
		return t == int64Type
	case reflect.Uint64:
		return t == uint64Type
	case reflect.Float64:
		return t == float64Type
	case reflect.String:
		return t == stringType
	}
	return false
}

// normalizeForeign converts v, a value outside the documented set, with
// Normalize, for the encoders. The error is Normalize's *ValueError, or
// for a result still not of a documented type (which would make encoding
// recurse forever) an unsupported-value error.
func normalizeForeign(v any) (any, error) {
	nv, err := Normalize(v)
	if err != nil {
		return nil, err
	}
	switch nv.(type) {
	case nil, bool, int64, uint64, float64, string, []byte, []any, map[string]any:
		return nv, nil
	}
	return nil, unsupportedType(v)
}
