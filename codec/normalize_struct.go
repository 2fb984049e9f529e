package codec

import (
	"encoding"
	"fmt"
	"reflect"
	"strconv"

	"github.com/wampgo/wampgo/internal/govalue"
)

// The parts of Normalize that turn Go's record types, structs and maps,
// into dicts.

func normalizeStruct(rv reflect.Value, depth int) (any, error) {
	fields := govalue.Fields(rv.Type())
	out := make(map[string]any, len(fields))
	for i := range fields {
		f := &fields[i]
		fv, ok := govalue.FieldByIndex(rv, f.Index)
		if !ok || f.OmitEmpty && govalue.IsEmpty(fv) || f.OmitZero && fv.IsZero() {
			continue
		}
		n, err := normalizeElem(fv, depth)
		if err != nil {
			return nil, within(err, keyStep(f.Name))
		}
		out[f.Name] = n
	}
	return out, nil
}

func normalizeMap(rv reflect.Value, depth int) (any, error) {
	t := rv.Type()
	keyText := isText(t.Key())
	switch t.Key().Kind() {
	case reflect.String, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
	default:
		if !keyText {
			return nil, noPayloadForm(t, ": dict keys must be strings, integers or encoding.TextMarshaler")
		}
	}
	out := make(map[string]any, rv.Len())
	scalarValues := isScalar(t.Elem())
	it := rv.MapRange()
	for it.Next() {
		k, err := mapKey(it.Key(), keyText)
		if err != nil {
			return nil, err
		}
		// Distinct strings and integers give distinct keys; only MarshalText
		// may give two keys one text.
		if keyText {
			if _, dup := out[k]; dup {
				return nil, &ValueError{Path: keyStep(k), Reason: "two keys of the map have this text", Err: ErrUnsupportedValue}
			}
		}
		if scalarValues {
			out[k], _ = scalar(it.Value())
			continue
		}
		n, err := normalizeElem(it.Value(), depth)
		if err != nil {
			return nil, within(err, keyStep(k))
		}
		out[k] = n
	}
	return out, nil
}

// mapKey is the dict key of map key k.
func mapKey(k reflect.Value, keyText bool) (string, error) {
	if keyText {
		if k.Kind() == reflect.Pointer && k.IsNil() {
			return "", &ValueError{Reason: "nil map key", Err: ErrUnsupportedValue}
		}
		text, err := k.Interface().(encoding.TextMarshaler).MarshalText()
		if err != nil {
			return "", &ValueError{Reason: fmt.Sprintf("%s.MarshalText: %v", k.Type(), err), Err: err}
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

// marshalText is the string form of rv, an encoding.TextMarshaler.
func marshalText(rv reflect.Value) (any, error) {
	text, err := rv.Interface().(encoding.TextMarshaler).MarshalText()
	if err != nil {
		return nil, &ValueError{Reason: fmt.Sprintf("%s.MarshalText: %v", rv.Type(), err), Err: err}
	}
	return string(text), nil
}

func keyStep(k string) string { return govalue.KeyStep(k) }
func indexStep(i int) string  { return govalue.IndexStep(i) }
