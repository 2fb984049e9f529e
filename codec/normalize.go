package codec

import (
	"fmt"
	"math"
	"reflect"
)

// Normalize converts a Go value into the closed set of types that Encode
// accepts (see the package comment), so that application code may build
// arguments from everyday Go values:
//
//   - every signed integer kind becomes int64; every unsigned one int64, or
//     uint64 above math.MaxInt64; float32 becomes float64;
//   - a string, bool or []byte (of any named type) keeps its value;
//   - a slice or array becomes []any, a map with string keys map[string]any,
//     their elements normalized in turn; a nil slice or map stays nil;
//   - nil, and a nil pointer or interface, becomes nil; a non-nil pointer is
//     followed.
//
// Values already in the closed set are returned as they are when nothing
// below them changes. Other types (structs, channels, functions, maps with
// non-string keys, complex numbers) are an error wrapping
// ErrUnsupportedValue; nesting deeper than DefaultMaxDepth (which also
// stops a cyclic value) is ErrTooDeep. Normalize does not modify v.
func Normalize(v any) (any, error) {
	return normalize(v, 0)
}

func normalize(v any, depth int) (any, error) {
	switch v := v.(type) {
	case nil, bool, int64, uint64, float64, string, []byte:
		return v, nil
	case int:
		return int64(v), nil
	}
	if depth >= DefaultMaxDepth {
		return nil, ErrTooDeep
	}
	switch v := v.(type) {
	case []any:
		var out []any
		for i, e := range v {
			n, err := normalize(e, depth+1)
			if err != nil {
				return nil, err
			}
			if out == nil && !sameValue(n, e) {
				out = make([]any, len(v))
				copy(out, v[:i])
			}
			if out != nil {
				out[i] = n
			}
		}
		if out == nil {
			return v, nil
		}
		return out, nil
	case map[string]any:
		var out map[string]any
		for k, e := range v {
			n, err := normalize(e, depth+1)
			if err != nil {
				return nil, err
			}
			if out == nil && !sameValue(n, e) {
				out = make(map[string]any, len(v))
				for k2, e2 := range v {
					out[k2] = e2
				}
			}
			if out != nil {
				out[k] = n
			}
		}
		if out == nil {
			return v, nil
		}
		return out, nil
	}
	return normalizeReflect(reflect.ValueOf(v), depth)
}

// sameValue reports whether normalizing left e unchanged: same dynamic type,
// and for the container types the same backing store.
func sameValue(n, e any) bool {
	switch n := n.(type) {
	case []any:
		o, ok := e.([]any)
		return ok && len(n) == len(o) && (len(n) == 0 || &n[0] == &o[0])
	case map[string]any:
		o, ok := e.(map[string]any)
		return ok && reflect.ValueOf(n).UnsafePointer() == reflect.ValueOf(o).UnsafePointer()
	case []byte:
		_, ok := e.([]byte)
		return ok
	}
	return reflect.TypeOf(n) == reflect.TypeOf(e)
}

func normalizeReflect(rv reflect.Value, depth int) (any, error) {
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if u := rv.Uint(); u > math.MaxInt64 {
			return u, nil
		}
		return int64(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.String:
		return rv.String(), nil
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil, nil
		}
		if depth >= DefaultMaxDepth {
			return nil, ErrTooDeep
		}
		return normalize(rv.Elem().Interface(), depth+1)
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			if rv.Type().Elem().Kind() == reflect.Uint8 {
				return []byte(nil), nil
			}
			return []any(nil), nil
		}
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			b := make([]byte, rv.Len())
			reflect.Copy(reflect.ValueOf(b), rv)
			return b, nil
		}
		out := make([]any, rv.Len())
		for i := range out {
			n, err := normalize(rv.Index(i).Interface(), depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = n
		}
		return out, nil
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			break
		}
		if rv.IsNil() {
			return map[string]any(nil), nil
		}
		out := make(map[string]any, rv.Len())
		it := rv.MapRange()
		for it.Next() {
			n, err := normalize(it.Value().Interface(), depth+1)
			if err != nil {
				return nil, err
			}
			out[it.Key().String()] = n
		}
		return out, nil
	}
	return nil, unsupported(fmt.Sprintf("type %s", rv.Type()))
}

// normalizeForeign converts a value outside the documented set with
// Normalize, for the encoders. It reports false when Normalize cannot, or
// when the result is still not of a documented type (so that encoding
// cannot recurse forever).
func normalizeForeign(v any) (any, bool) {
	nv, err := Normalize(v)
	if err != nil {
		return nil, false
	}
	switch nv.(type) {
	case nil, bool, int64, uint64, float64, string, []byte, []any, map[string]any:
		return nv, true
	}
	return nil, false
}
