package payload

import (
	"encoding"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/govalue"
)

var (
	textMarshalerType   = reflect.TypeFor[encoding.TextMarshaler]()
	textUnmarshalerType = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// Decode stores the value v, of the value set of package protocol, in the
// Go value that dst points to, following the rules in the package
// documentation. v is typically one argument of a payload; a value outside
// the value set is first converted with codec.Normalize.
//
// dst must be a non-nil pointer. On error dst may hold part of the value.
// Decode keeps no reference to v, except that a destination of interface
// type receives the value itself (lists, dicts and byte slices shared, not
// copied).
//
// An error is a *DecodeError naming the path to the value at fault and the
// reason; it matches ErrMismatch, ErrInvalidDestination or ErrTooDeep.
func Decode(v, dst any) error {
	return decodeRoot(v, dst, "")
}

// DecodeArgs decodes positional arguments: args[i] into dst[i]. A nil dst
// skips its position; arguments beyond len(dst) are ignored. A missing
// argument decodes like null: a pointer, interface, slice or map becomes
// nil, any other destination is an error. Errors name the path from
// "args[i]".
func DecodeArgs(args []any, dst ...any) error {
	for i, d := range dst {
		if d == nil {
			continue
		}
		var v any
		if i < len(args) {
			v = args[i]
		} else if err := missingOK(d); err != nil {
			err.Path = "args" + indexStep(i)
			err.Reason = fmt.Sprintf("missing (%d arguments given)", len(args))
			return err
		}
		if err := decodeRoot(v, d, "args"+indexStep(i)); err != nil {
			return err
		}
	}
	return nil
}

// DecodeKwargs decodes keyword arguments into dst, typically a pointer to
// a struct or a map. A nil kwargs decodes like an empty dict. Errors name
// the path from "kwargs".
func DecodeKwargs(kwargs map[string]any, dst any) error {
	if kwargs == nil {
		kwargs = map[string]any{}
	}
	return decodeRoot(kwargs, dst, "kwargs")
}

// missingOK reports, as an error to complete, a destination that null
// cannot fill.
func missingOK(dst any) *DecodeError {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return nil // decodeRoot reports it
	}
	switch rv.Elem().Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return nil
	}
	return &DecodeError{Err: ErrMismatch}
}

func decodeRoot(v, dst any, root string) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &DecodeError{Path: root, Reason: fmt.Sprintf("destination %T is not a non-nil pointer", dst), Err: ErrInvalidDestination}
	}
	if err := decodeInto(v, rv.Elem(), 0); err != nil {
		if e, ok := err.(*DecodeError); ok {
			if root == "" {
				e.Path = rootPath(e.Path)
			} else {
				e.Path = root + e.Path
			}
		}
		return err
	}
	return nil
}

// decodeInto stores v in the settable value rv.
func decodeInto(v any, rv reflect.Value, depth int) error {
	if depth >= MaxDepth {
		return &DecodeError{Reason: fmt.Sprintf("nested deeper than %d", MaxDepth), Err: ErrTooDeep}
	}
	switch v.(type) {
	case nil, bool, int64, uint64, float64, string, []byte, []any, map[string]any:
	default:
		nv, err := codec.Normalize(v)
		if err != nil {
			return &DecodeError{Reason: err.Error(), Err: errors.Join(ErrMismatch, err)}
		}
		v = nv
	}
	t := rv.Type()
	switch rv.Kind() {
	case reflect.Pointer:
		if v == nil {
			rv.SetZero()
			return nil
		}
		if rv.IsNil() {
			rv.Set(reflect.New(t.Elem()))
		}
		return decodeInto(v, rv.Elem(), depth+1)
	case reflect.Interface:
		return decodeInterface(v, rv)
	}
	if reflect.PointerTo(t).Implements(textUnmarshalerType) {
		if s, ok := v.(string); ok {
			if err := rv.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(s)); err != nil {
				return &DecodeError{Reason: fmt.Sprintf("%s cannot hold %s: %v", t, describe(v), err), Err: errors.Join(ErrMismatch, err)}
			}
			return nil
		}
		if rv.Kind() == reflect.Struct {
			return mismatch("%s wants a string, got %s", t, describe(v))
		}
	}
	switch rv.Kind() {
	case reflect.Bool:
		b, ok := v.(bool)
		if !ok {
			return mismatch("want a bool, got %s", describe(v))
		}
		rv.SetBool(b)
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return decodeInt(v, rv)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return decodeUint(v, rv)
	case reflect.Float32, reflect.Float64:
		return decodeFloat(v, rv)
	case reflect.String:
		s, ok := v.(string)
		if !ok {
			return mismatch("want a string, got %s", describe(v))
		}
		rv.SetString(s)
		return nil
	case reflect.Slice:
		return decodeSlice(v, rv, depth)
	case reflect.Array:
		return decodeArray(v, rv, depth)
	case reflect.Map:
		return decodeMap(v, rv, depth)
	case reflect.Struct:
		return decodeStruct(v, rv, depth)
	}
	return &DecodeError{Reason: fmt.Sprintf("cannot decode into %s", t), Err: ErrInvalidDestination}
}

func decodeInterface(v any, rv reflect.Value) error {
	if v == nil {
		rv.SetZero()
		return nil
	}
	vv := reflect.ValueOf(v)
	if !vv.Type().AssignableTo(rv.Type()) {
		return mismatch("%s does not implement %s", describe(v), rv.Type())
	}
	rv.Set(vv)
	return nil
}

// intOf reads v as an integer: int64, uint64, or a float64 without a
// fraction. neg and mag are its sign and magnitude.
func intOf(v any) (neg bool, mag uint64, err *DecodeError) {
	switch n := v.(type) {
	case int64:
		if n < 0 {
			return true, uint64(-(n + 1)) + 1, nil
		}
		return false, uint64(n), nil
	case uint64:
		return false, n, nil
	case float64:
		if math.IsNaN(n) || math.IsInf(n, 0) || n != math.Trunc(n) {
			return false, 0, mismatch("%s is not an integer", strconv.FormatFloat(n, 'g', -1, 64))
		}
		if n < 0 {
			if n < -(1 << 63) {
				return false, 0, mismatch("%s is out of range for an integer", strconv.FormatFloat(n, 'g', -1, 64))
			}
			return true, uint64(-n), nil
		}
		if n >= 1<<64 {
			return false, 0, mismatch("%s is out of range for an integer", strconv.FormatFloat(n, 'g', -1, 64))
		}
		return false, uint64(n), nil
	}
	return false, 0, mismatch("want an integer, got %s", describe(v))
}

func intText(neg bool, mag uint64) string {
	if neg {
		return "-" + strconv.FormatUint(mag, 10)
	}
	return strconv.FormatUint(mag, 10)
}

func decodeInt(v any, rv reflect.Value) error {
	neg, mag, err := intOf(v)
	if err != nil {
		return err
	}
	var n int64
	switch {
	case neg && mag <= 1<<63:
		n = int64(-mag) // two's complement: exact for every magnitude up to 2^63
	case !neg && mag <= math.MaxInt64:
		n = int64(mag)
	default:
		return mismatch("%s overflows %s", intText(neg, mag), rv.Type())
	}
	if rv.OverflowInt(n) {
		return mismatch("%s overflows %s", intText(neg, mag), rv.Type())
	}
	rv.SetInt(n)
	return nil
}

func decodeUint(v any, rv reflect.Value) error {
	neg, mag, err := intOf(v)
	if err != nil {
		return err
	}
	if neg && mag != 0 || rv.OverflowUint(mag) {
		return mismatch("%s overflows %s", intText(neg, mag), rv.Type())
	}
	rv.SetUint(mag)
	return nil
}

func decodeFloat(v any, rv reflect.Value) error {
	var f float64
	switch n := v.(type) {
	case float64:
		f = n
	case int64:
		f = float64(n)
	case uint64:
		f = float64(n)
	default:
		return mismatch("want a number, got %s", describe(v))
	}
	if rv.Kind() == reflect.Float32 && !math.IsInf(f, 0) && math.Abs(f) > math.MaxFloat32 {
		return mismatch("%s overflows %s", strconv.FormatFloat(f, 'g', -1, 64), rv.Type())
	}
	rv.SetFloat(f)
	return nil
}

func decodeSlice(v any, rv reflect.Value, depth int) error {
	t := rv.Type()
	byteElem := t.Elem().Kind() == reflect.Uint8 && !reflect.PointerTo(t.Elem()).Implements(textUnmarshalerType)
	switch l := v.(type) {
	case nil:
		rv.SetZero()
		return nil
	case []any:
		s := reflect.MakeSlice(t, len(l), len(l))
		for i, e := range l {
			if err := decodeInto(e, s.Index(i), depth+1); err != nil {
				return within(err, indexStep(i))
			}
		}
		rv.Set(s)
		return nil
	case []byte:
		if byteElem {
			s := reflect.MakeSlice(t, len(l), len(l))
			reflect.Copy(s, reflect.ValueOf(l))
			rv.Set(s)
			return nil
		}
	case string:
		if byteElem {
			b, err := decodeBase64(l)
			if err != nil {
				return mismatch("want binary, got %s that is not base64", describe(v))
			}
			s := reflect.MakeSlice(t, len(b), len(b))
			reflect.Copy(s, reflect.ValueOf(b))
			rv.Set(s)
			return nil
		}
	}
	if byteElem {
		return mismatch("want binary, got %s", describe(v))
	}
	return mismatch("want a list, got %s", describe(v))
}

// decodeBase64 reads standard base64, padded or not.
func decodeBase64(s string) ([]byte, error) {
	if strings.HasSuffix(s, "=") {
		return base64.StdEncoding.DecodeString(s)
	}
	return base64.RawStdEncoding.DecodeString(s)
}

func decodeArray(v any, rv reflect.Value, depth int) error {
	t := rv.Type()
	switch l := v.(type) {
	case []any:
		if len(l) != rv.Len() {
			return mismatch("%s does not fit %s", describe(v), t)
		}
		for i, e := range l {
			if err := decodeInto(e, rv.Index(i), depth+1); err != nil {
				return within(err, indexStep(i))
			}
		}
		return nil
	case []byte:
		if t.Elem().Kind() == reflect.Uint8 {
			if len(l) != rv.Len() {
				return mismatch("%s does not fit %s", describe(v), t)
			}
			reflect.Copy(rv, reflect.ValueOf(l))
			return nil
		}
	}
	return mismatch("want a list, got %s", describe(v))
}

func decodeMap(v any, rv reflect.Value, depth int) error {
	t := rv.Type()
	d, ok := v.(map[string]any)
	if !ok {
		if v == nil {
			rv.SetZero()
			return nil
		}
		return mismatch("want a dict, got %s", describe(v))
	}
	kt := t.Key()
	keyText := reflect.PointerTo(kt).Implements(textUnmarshalerType)
	switch kt.Kind() {
	case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
	default:
		if !keyText {
			return &DecodeError{Reason: fmt.Sprintf("cannot decode into %s: keys must be strings, integers or encoding.TextUnmarshaler", t), Err: ErrInvalidDestination}
		}
	}
	if rv.IsNil() {
		rv.Set(reflect.MakeMapWithSize(t, len(d)))
	}
	// Sorted, so that the first error reported does not depend on map order.
	keys := make([]string, 0, len(d))
	for k := range d {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	ev := reflect.New(t.Elem()).Elem()
	for _, k := range keys {
		kv, err := decodeKey(k, kt, keyText)
		if err != nil {
			return within(err, keyStep(k))
		}
		ev.SetZero()
		if err := decodeInto(d[k], ev, depth+1); err != nil {
			return within(err, keyStep(k))
		}
		rv.SetMapIndex(kv, ev)
	}
	return nil
}

func decodeKey(k string, kt reflect.Type, keyText bool) (reflect.Value, error) {
	kv := reflect.New(kt).Elem()
	if keyText {
		if err := kv.Addr().Interface().(encoding.TextUnmarshaler).UnmarshalText([]byte(k)); err != nil {
			return kv, &DecodeError{Reason: fmt.Sprintf("key is not a %s: %v", kt, err), Err: errors.Join(ErrMismatch, err)}
		}
		return kv, nil
	}
	switch kt.Kind() {
	case reflect.String:
		kv.SetString(k)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, err := strconv.ParseInt(k, 10, 64)
		if err != nil || kv.OverflowInt(n) {
			return kv, mismatch("key is not a %s", kt)
		}
		kv.SetInt(n)
	default:
		n, err := strconv.ParseUint(k, 10, 64)
		if err != nil || kv.OverflowUint(n) {
			return kv, mismatch("key is not a %s", kt)
		}
		kv.SetUint(n)
	}
	return kv, nil
}

func decodeStruct(v any, rv reflect.Value, depth int) error {
	d, ok := v.(map[string]any)
	if !ok {
		return mismatch("want a dict, got %s", describe(v))
	}
	fields := govalue.Fields(rv.Type())
	for i := range fields {
		f := &fields[i]
		e, ok := d[f.Name]
		if !ok {
			continue
		}
		fv, err := settableField(rv, f.Index)
		if err == nil {
			err = decodeInto(e, fv, depth+1)
		}
		if err != nil {
			return within(err, keyStep(f.Name))
		}
	}
	return nil
}

// settableField follows index, allocating nil embedded pointers on the way.
func settableField(v reflect.Value, index []int) (reflect.Value, error) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					return reflect.Value{}, &DecodeError{Reason: fmt.Sprintf("cannot set a field through the nil embedded pointer to unexported %s", v.Type().Elem()), Err: ErrInvalidDestination}
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, nil
}
