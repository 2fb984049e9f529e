package payload

import (
	"reflect"
	"strings"
	"sync"
)

// field is one struct field as a dict entry.
type field struct {
	name      string
	index     []int // path through embedded structs, for the reflect walk
	omitEmpty bool  // `omitempty`: leave out false, 0, "", nil and empty lists and dicts
	omitZero  bool  // `omitzero`: leave out the type's zero value
}

// structInfo lists the dict entries of a struct type in declaration order
// (fields of embedded structs where the embedded field stands).
type structInfo struct {
	fields []field
}

var structCache sync.Map // reflect.Type -> *structInfo

// fieldsOf returns the dict entries of struct type t, computed once per type.
func fieldsOf(t reflect.Type) *structInfo {
	if si, ok := structCache.Load(t); ok {
		return si.(*structInfo)
	}
	si, _ := structCache.LoadOrStore(t, buildFields(t))
	return si.(*structInfo)
}

// candidate is a field found while walking a struct and its embedded
// structs, before name conflicts are resolved.
type candidate struct {
	field
	depth  int
	tagged bool
}

// buildFields applies encoding/json's rules: exported fields (and the
// exported fields of embedded structs, promoted) are entries; a name taken
// by several fields goes to the shallowest one, or at equal depth to the
// only tagged one; otherwise the name is dropped.
func buildFields(t reflect.Type) *structInfo {
	var all []candidate
	collect(t, nil, 0, map[reflect.Type]bool{}, &all)
	byName := map[string][]int{}
	for i, c := range all {
		byName[c.name] = append(byName[c.name], i)
	}
	si := &structInfo{}
	for i, c := range all {
		if winner(all, byName[c.name]) == i {
			si.fields = append(si.fields, c.field)
		}
	}
	return si
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
			field: field{
				name:      name,
				index:     idx,
				omitEmpty: hasOption(opts, "omitempty"),
				omitZero:  hasOption(opts, "omitzero"),
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
