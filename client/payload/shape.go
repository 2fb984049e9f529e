package payload

import (
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/govalue"
)

// shape is how a Go type maps to arguments (see Pack).
type shape int

const (
	shapeNothing shape = iota
	shapeRecord
	shapeList
	shapeValue
)

// shapeOf classifies a Go type (see Pack).
func shapeOf(t reflect.Type) shape {
	if t == nil {
		return shapeNothing
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Implements(textMarshalerType) || reflect.PointerTo(t).Implements(textUnmarshalerType) {
		return shapeValue
	}
	switch t.Kind() {
	case reflect.Struct:
		if t.NumField() == 0 {
			return shapeNothing
		}
		return shapeRecord
	case reflect.Map:
		return shapeRecord
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return shapeValue // binary
		}
		return shapeList
	}
	return shapeValue
}

// Pack encodes v as the arguments of a call or an event, the way WAMP
// peers in other languages pass one value. Typed RPC in package client
// uses it for requests. The Go type decides the shape:
//
//	struct{} (no fields)             nothing: no arguments
//	struct, map, or a pointer to one a record: keyword arguments (a nil
//	                                 pointer gives none)
//	anything else                    the one positional argument, args[0]
//
// A type with a MarshalText or UnmarshalText method, such as time.Time, is
// never a record. Values are converted with codec.Normalize; errors are its
// *codec.ValueError with paths starting "args[0]" or "kwargs".
func Pack(v any) (args []any, kwargs map[string]any, err error) {
	sh := shapeOf(reflect.TypeOf(v))
	if sh == shapeNothing {
		return nil, nil, nil
	}
	n, err := codec.Normalize(v)
	if sh != shapeRecord {
		if err != nil {
			return nil, nil, under("args[0]", err)
		}
		return []any{n}, nil, nil
	}
	if err != nil {
		return nil, nil, under("kwargs", err)
	}
	switch d := n.(type) {
	case nil: // a nil pointer to a record
		return nil, nil, nil
	case map[string]any:
		return nil, d, nil
	}
	// A record is a struct or map, which Normalize makes a dict.
	return nil, nil, &codec.ValueError{Path: "kwargs", Reason: fmt.Sprintf("%T does not encode to a dict", v), Err: codec.ErrUnsupportedValue}
}

// under puts root before the path of err, a *codec.ValueError.
func under(root string, err error) error {
	if e, ok := err.(*codec.ValueError); ok {
		e.Path = root + govalue.StepPath(e.Path)
	}
	return err
}

// Unpack decodes the arguments of a call, a result or an event into the
// value dst points to, accepting every form in which peers naturally send
// one value of that type (and what Pack writes):
//
//   - a struct or map (a record): the keyword arguments, by name; or a
//     single dict argument when there are no keyword arguments
//     (autobahn-js's call(p, [{a: 1}]), a Python dict); positional
//     arguments fill a struct's fields in declaration order, as Python
//     fills a function's parameters (call(p, 2, 3) for struct{A, B int}),
//     with keyword arguments for the rest. A field given both ways is an
//     error.
//   - a slice or array (not of bytes): args[0] when it is the only
//     argument and a list; otherwise the positional arguments themselves
//     (Python's call(p, 1, 2, 3), or a router that unwrapped a single list
//     argument). Keyword arguments are an error.
//   - anything else: args[0]; more positional arguments, or keyword
//     arguments, are an error. No argument decodes like null.
//   - struct{}: whatever was sent is ignored.
//
// Values decode by the rules of Decode. Errors are *DecodeError values
// with paths starting "args" or "kwargs".
func Unpack(args []any, kwargs map[string]any, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &DecodeError{Reason: fmt.Sprintf("destination %T is not a non-nil pointer", dst), Err: ErrInvalidDestination}
	}
	t := rv.Type().Elem()
	switch shapeOf(t) {
	case shapeNothing:
		return nil
	case shapeRecord:
		return unpackRecord(args, kwargs, rv)
	case shapeList:
		if err := noKwargs(kwargs); err != nil {
			return err
		}
		if len(args) == 1 {
			if _, ok := args[0].([]any); ok {
				return decodeRoot(args[0], dst, "args[0]")
			}
		}
		if args == nil {
			args = []any{}
		}
		return decodeRoot(args, dst, "args")
	}
	if err := noKwargs(kwargs); err != nil {
		return err
	}
	if len(args) > 1 {
		return mismatchAt("args", "%d positional arguments, want 1", len(args))
	}
	return DecodeArgs(args, dst)
}

func mismatchAt(path, format string, a ...any) *DecodeError {
	e := mismatch(format, a...)
	e.Path = path
	return e
}

func noKwargs(kwargs map[string]any) error {
	if len(kwargs) == 0 {
		return nil
	}
	keys := make([]string, 0, len(kwargs))
	for k := range kwargs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return mismatchAt("kwargs", "unexpected keyword arguments %s", strings.Join(keys, ", "))
}

func unpackRecord(args []any, kwargs map[string]any, rv reflect.Value) error {
	if len(kwargs) == 0 && len(args) == 1 {
		if d, ok := args[0].(map[string]any); ok {
			return decodeRoot(d, rv.Interface(), "args[0]")
		}
	}
	if kwargs == nil {
		kwargs = map[string]any{}
	}
	if err := decodeRoot(kwargs, rv.Interface(), "kwargs"); err != nil {
		return err
	}
	if len(args) == 0 {
		return nil
	}
	// Positional arguments fill a struct's fields in order.
	sv := rv.Elem()
	for sv.Kind() == reflect.Pointer {
		if sv.IsNil() {
			sv.Set(reflect.New(sv.Type().Elem()))
		}
		sv = sv.Elem()
	}
	if sv.Kind() != reflect.Struct {
		return mismatchAt("args", "%d positional arguments, but %s takes keyword arguments only", len(args), sv.Type())
	}
	fields := govalue.Fields(sv.Type())
	if len(args) > len(fields) {
		return mismatchAt("args", "%d positional arguments, %s has %d fields", len(args), sv.Type(), len(fields))
	}
	for i, a := range args {
		f := &fields[i]
		at := "args" + indexStep(i)
		if _, dup := kwargs[f.Name]; dup {
			return mismatchAt(at, "%q is also given as a keyword argument", f.Name)
		}
		fv, err := settableField(sv, f.Index)
		if err == nil {
			err = decodeInto(a, fv, 1)
		}
		if err != nil {
			if e, ok := err.(*DecodeError); ok {
				e.Path = at + e.Path
			}
			return err
		}
	}
	return nil
}
