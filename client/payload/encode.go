package payload

import (
	"encoding"
	"fmt"
	"math"
	"reflect"
	"strconv"
)

var (
	textMarshalerType   = reflect.TypeFor[encoding.TextMarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// Encode converts a Go value into the value set of package protocol (nil,
// bool, int64, uint64, float64, string, []byte, []any, map[string]any),
// following the rules in the package documentation.
//
// A value already in the value set is returned as it is, without
// allocating; a list or dict is copied only along the branches that hold a
// value to convert. Encode never modifies v and keeps no reference to it
// beyond the result, which may share v's lists, dicts and byte slices.
//
// An error is an *EncodeError matching ErrUnsupported or ErrTooDeep, or
// wrapping a MarshalText method's error.
func Encode(v any) (any, error) {
	out, _, err := encodeAny(v, 0)
	if err != nil {
		if e, ok := err.(*EncodeError); ok {
			e.Path = rootPath(e.Path)
		}
		return nil, err
	}
	return out, nil
}

// EncodeDict converts v with Encode and requires a dict: a struct, a map,
// or a pointer to one (nil gives a nil dict). It is what keyword arguments
// built from a struct need.
func EncodeDict(v any) (map[string]any, error) {
	out, err := Encode(v)
	if err != nil {
		return nil, err
	}
	switch d := out.(type) {
	case nil:
		return nil, nil
	case map[string]any:
		return d, nil
	}
	return nil, &EncodeError{Reason: fmt.Sprintf("%T does not encode to a dict", v), Err: ErrUnsupported}
}

// EncodeArgs converts positional arguments with Encode. The result is args
// itself when every argument is already in the value set. Errors name the
// path from "args[i]".
func EncodeArgs(args []any) ([]any, error) {
	out, _, err := encodeList(args, 0)
	if err != nil {
		if e, ok := err.(*EncodeError); ok {
			e.Path = "args" + e.Path
		}
		return nil, err
	}
	return out, nil
}

// EncodeKwargs converts the values of keyword arguments with Encode. The
// result is kwargs itself when every value is already in the value set.
// Errors name the path from "kwargs".
func EncodeKwargs(kwargs map[string]any) (map[string]any, error) {
	out, _, err := encodeDict(kwargs, 0)
	if err != nil {
		if e, ok := err.(*EncodeError); ok {
			e.Path = "kwargs" + e.Path
		}
		return nil, err
	}
	return out, nil
}

// encodeAny converts v; changed reports whether the result differs from v
// (so that lists and dicts are copied only where needed).
func encodeAny(v any, depth int) (out any, changed bool, err error) {
	switch x := v.(type) {
	case nil, bool, int64, uint64, float64, string, []byte:
		return v, false, nil
	case []any:
		l, changed, err := encodeList(x, depth)
		if err != nil || !changed {
			// The original interface value: boxing the slice again would
			// allocate.
			return v, false, err
		}
		return l, true, nil
	case map[string]any:
		d, changed, err := encodeDict(x, depth)
		if err != nil || !changed {
			return v, false, err
		}
		return d, true, nil
	}
	out, err = encodeValue(reflect.ValueOf(v), depth)
	return out, true, err
}

func tooDeep() *EncodeError {
	return &EncodeError{Reason: fmt.Sprintf("nested deeper than %d", MaxDepth), Err: ErrTooDeep}
}

func encodeList(l []any, depth int) ([]any, bool, error) {
	if l == nil {
		return l, false, nil
	}
	if depth >= MaxDepth {
		return nil, false, tooDeep()
	}
	var out []any
	for i, e := range l {
		n, changed, err := encodeAny(e, depth+1)
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

func encodeDict(d map[string]any, depth int) (map[string]any, bool, error) {
	if d == nil {
		return d, false, nil
	}
	if depth >= MaxDepth {
		return nil, false, tooDeep()
	}
	var out map[string]any
	for k, e := range d {
		n, changed, err := encodeAny(e, depth+1)
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

// encodeValue converts a value outside the value set's own types.
func encodeValue(rv reflect.Value, depth int) (any, error) {
	if !rv.IsValid() {
		return nil, nil
	}
	if depth >= MaxDepth {
		return nil, tooDeep()
	}
	t := rv.Type()
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			return nil, nil
		}
	}
	if t.Implements(textMarshalerType) {
		return marshalText(rv)
	}
	switch rv.Kind() {
	case reflect.Bool:
		return rv.Bool(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int(), nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if u := rv.Uint(); u > math.MaxInt64 {
			return u, nil
		}
		return int64(rv.Uint()), nil
	case reflect.Float32, reflect.Float64:
		return rv.Float(), nil
	case reflect.String:
		return rv.String(), nil
	case reflect.Pointer, reflect.Interface:
		out, _, err := encodeAny(rv.Elem().Interface(), depth+1)
		return out, err
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 && !t.Elem().Implements(textMarshalerType) {
			if rv.IsNil() {
				return []byte{}, nil
			}
			return rv.Bytes(), nil
		}
		return encodeSeq(rv, depth)
	case reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 && !t.Elem().Implements(textMarshalerType) {
			b := make([]byte, rv.Len())
			reflect.Copy(reflect.ValueOf(b), rv)
			return b, nil
		}
		return encodeSeq(rv, depth)
	case reflect.Map:
		return encodeMap(rv, depth)
	case reflect.Struct:
		return encodeStruct(rv, depth)
	}
	return nil, &EncodeError{Reason: fmt.Sprintf("%s has no payload form", t), Err: ErrUnsupported}
}

func marshalText(rv reflect.Value) (any, error) {
	text, err := rv.Interface().(encoding.TextMarshaler).MarshalText()
	if err != nil {
		return nil, &EncodeError{Reason: fmt.Sprintf("%s.MarshalText: %v", rv.Type(), err), Err: err}
	}
	return string(text), nil
}

func encodeSeq(rv reflect.Value, depth int) (any, error) {
	out := make([]any, rv.Len())
	for i := range out {
		n, err := encodeElem(rv.Index(i), depth)
		if err != nil {
			return nil, within(err, indexStep(i))
		}
		out[i] = n
	}
	return out, nil
}

// encodeElem converts an element of a container at depth.
func encodeElem(ev reflect.Value, depth int) (any, error) {
	if ev.Kind() == reflect.Interface {
		if ev.IsNil() {
			return nil, nil
		}
		ev = ev.Elem()
	}
	// The value set's own types take the fast path.
	switch ev.Kind() {
	case reflect.Slice, reflect.Map, reflect.Struct, reflect.Array, reflect.Pointer:
		if isPlain(ev.Type()) {
			out, _, err := encodeAny(ev.Interface(), depth+1)
			return out, err
		}
		return encodeValue(ev, depth+1)
	}
	if isPlain(ev.Type()) {
		return ev.Interface(), nil
	}
	return encodeValue(ev, depth+1)
}

var (
	anyListType = reflect.TypeFor[[]any]()
	anyDictType = reflect.TypeFor[map[string]any]()
	bytesType   = reflect.TypeFor[[]byte]()
)

// isPlain reports whether t is one of the value set's own types.
func isPlain(t reflect.Type) bool {
	switch t {
	case anyListType, anyDictType, bytesType:
		return true
	}
	switch t.Kind() {
	case reflect.Bool, reflect.Int64, reflect.Uint64, reflect.Float64, reflect.String:
		return t.PkgPath() == "" // bool, int64, uint64, float64, string, not named types
	}
	return false
}

func encodeMap(rv reflect.Value, depth int) (any, error) {
	t := rv.Type()
	keyText := t.Key().Implements(textMarshalerType)
	switch t.Key().Kind() {
	case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
	default:
		if !keyText {
			return nil, &EncodeError{Reason: fmt.Sprintf("%s has no payload form: dict keys must be strings, integers or encoding.TextMarshaler", t), Err: ErrUnsupported}
		}
	}
	out := make(map[string]any, rv.Len())
	it := rv.MapRange()
	for it.Next() {
		k, err := mapKey(it.Key(), keyText)
		if err != nil {
			return nil, err
		}
		if _, dup := out[k]; dup {
			return nil, &EncodeError{Path: keyStep(k), Reason: "two keys of the map have this text", Err: ErrUnsupported}
		}
		n, err := encodeElem(it.Value(), depth)
		if err != nil {
			return nil, within(err, keyStep(k))
		}
		out[k] = n
	}
	return out, nil
}

func mapKey(k reflect.Value, keyText bool) (string, error) {
	if keyText {
		if k.Kind() == reflect.Pointer && k.IsNil() {
			return "", &EncodeError{Reason: "nil map key", Err: ErrUnsupported}
		}
		text, err := k.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return "", &EncodeError{Reason: fmt.Sprintf("%s.MarshalText: %v", k.Type(), err), Err: err}
		}
		return string(text), nil
	}
	switch k.Kind() {
	case reflect.String:
		return k.String(), nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(k.Int(), 10), nil
	}
	return strconv.FormatUint(k.Uint(), 10), nil
}

func encodeStruct(rv reflect.Value, depth int) (any, error) {
	si := fieldsOf(rv.Type())
	out := make(map[string]any, len(si.fields))
	for i := range si.fields {
		f := &si.fields[i]
		fv, ok := fieldByIndex(rv, f.index)
		if !ok || f.omitEmpty && isEmpty(fv) || f.omitZero && fv.IsZero() {
			continue
		}
		n, err := encodeElem(fv, depth)
		if err != nil {
			return nil, within(err, keyStep(f.name))
		}
		out[f.name] = n
	}
	return out, nil
}

// fieldByIndex follows index like reflect.Value.FieldByIndex, reporting
// false when an embedded pointer on the way is nil.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

// isEmpty is omitempty's test, as in encoding/json.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}
