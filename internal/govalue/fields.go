package govalue

import (
	"reflect"
	"strings"
	"sync"
)

// Field is one struct field as a dict entry.
type Field struct {
	Name      string // the dict key
	Index     []int  // path through embedded structs, for FieldByIndex
	OmitEmpty bool   // `omitempty`: leave out false, 0, "", nil and empty lists, dicts and strings (IsEmpty)
	OmitZero  bool   // `omitzero`: leave out the type's zero value
}

var structCache sync.Map // reflect.Type -> []Field

// Fields returns the dict entries of struct type t in declaration order
// (the fields of an embedded struct where the embedded field stands),
// computed once per type. Each exported field is an entry named by its
// `wamp` tag, else its `json` tag, else its Go name; encoding/json's rules
// settle conflicting names (see buildFields). The result is shared: the
// caller must not modify it.
func Fields(t reflect.Type) []Field {
	if fs, ok := structCache.Load(t); ok {
		return fs.([]Field)
	}
	fs, _ := structCache.LoadOrStore(t, buildFields(t))
	return fs.([]Field)
}

// candidate is a field found while walking a struct and its embedded
// structs, before name conflicts are resolved.
type candidate struct {
	Field
	depth  int
	tagged bool
}

// buildFields applies encoding/json's rules: exported fields (and the
// exported fields of embedded structs, promoted) are entries; a name taken
// by several fields goes to the shallowest one, or at equal depth to the
// only tagged one; otherwise the name is dropped.
func buildFields(t reflect.Type) []Field {
	var all []candidate
	collect(t, nil, 0, map[reflect.Type]bool{}, &all)
	byName := map[string][]int{}
	for i, c := range all {
		byName[c.Name] = append(byName[c.Name], i)
	}
	var fields []Field
	for i, c := range all {
		if winner(all, byName[c.Name]) == i {
			fields = append(fields, c.Field)
		}
	}
	return fields
}

// winner picks the field that owns a name among the candidates at idx, or
// -1 when the name is ambiguous.
func winner(all []candidate, idx []int) int {
	if len(idx) == 1 {
		return idx[0]
	}
	minDepth := all[idx[0]].depth
	for _, i := range idx {
		minDepth = min(minDepth, all[i].depth)
	}
	best, count, tagged := -1, 0, 0
	for _, i := range idx {
		if all[i].depth != minDepth {
			continue
		}
		count++
		if all[i].tagged {
			tagged++
			best = i
		}
	}
	switch {
	case count == 1:
		for _, i := range idx {
			if all[i].depth == minDepth {
				return i
			}
		}
	case tagged == 1:
		return best
	}
	return -1
}

func collect(t reflect.Type, index []int, depth int, onPath map[reflect.Type]bool, out *[]candidate) {
	if onPath[t] {
		return // an embedding cycle through pointers
	}
	onPath[t] = true
	defer delete(onPath, t)
	for i := range t.NumField() {
		sf := t.Field(i)
		name, opts, tagged := fieldTag(sf)
		if name == "-" && !tagged {
			continue
		}
		ft := sf.Type
		if sf.Anonymous {
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if !sf.IsExported() && ft.Kind() != reflect.Struct {
				continue
			}
		} else if !sf.IsExported() {
			continue
		}
		idx := append(append([]int(nil), index...), i)
		if sf.Anonymous && name == "" && ft.Kind() == reflect.Struct {
			collect(ft, idx, depth+1, onPath, out)
			continue
		}
		if !sf.IsExported() {
			continue // an unexported embedded struct given a name
		}
		if name == "" {
			name = sf.Name
		}
		*out = append(*out, candidate{
			Field: Field{
				Name:      name,
				Index:     idx,
				OmitEmpty: hasOption(opts, "omitempty"),
				OmitZero:  hasOption(opts, "omitzero"),
			},
			depth:  depth,
			tagged: tagged,
		})
	}
}

// fieldTag reads a field's `wamp` tag, else its `json` tag. name is "" when
// the tag gives none; name "-" with tagged false means "skip the field".
func fieldTag(sf reflect.StructField) (name, opts string, tagged bool) {
	tag, ok := sf.Tag.Lookup("wamp")
	if !ok {
		tag, ok = sf.Tag.Lookup("json")
	}
	if !ok {
		return "", "", false
	}
	if tag == "-" {
		return "-", "", false
	}
	name, opts, _ = strings.Cut(tag, ",")
	return name, opts, name != ""
}

func hasOption(opts, want string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		if o == want {
			return true
		}
	}
	return false
}

// FieldByIndex follows index, a Field's Index, from struct value v like
// reflect.Value.FieldByIndex, reporting false when an embedded pointer on
// the way is nil (where reflect would panic).
func FieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
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

// IsEmpty is omitempty's test, as in encoding/json: false, 0, "", a nil
// pointer or interface, an empty list, dict or array.
func IsEmpty(v reflect.Value) bool {
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
