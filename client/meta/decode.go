package meta

import (
	"errors"
	"fmt"
	"time"

	"github.com/wampgo/wampgo/client/payload"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// decoder reads one payload, remembering the first error.
type decoder struct {
	uri protocol.URI
	err error
}

func (d *decoder) fail(path, format string, a ...any) {
	if d.err == nil {
		d.err = &PayloadError{URI: d.uri, Path: path, Reason: fmt.Sprintf(format, a...)}
	}
}

// failWith records err, an error of package payload or of
// codec.Normalize for the value at path, with the full path to the value at
// fault.
func (d *decoder) failWith(path string, err error) {
	var de *payload.DecodeError
	if errors.As(err, &de) {
		d.fail(path+step(de.Path), "%s", de.Reason)
		return
	}
	var ve *codec.ValueError
	if errors.As(err, &ve) {
		d.fail(path+step(ve.Path), "%s", ve.Reason)
		return
	}
	d.fail(path, "%v", err)
}

// step turns p, a path relative to a value ("name.x", "[1]"), into a
// suffix of the value's own path.
func step(p string) string {
	if p != "" && p[0] != '[' {
		return "." + p
	}
	return p
}

// id converts an id carried in a payload (payload.ID): an integer, or an
// integral float, in [1, 2^53]. Go integer types outside the value set of
// package protocol are accepted too.
func (d *decoder) id(path string, v any) protocol.ID {
	nv, err := codec.Normalize(v)
	if err != nil {
		d.failWith(path, err)
		return 0
	}
	id, err := payload.ID(nv)
	if err != nil {
		d.failWith(path, err)
		return 0
	}
	return id
}

// count converts a count: an integer in [0, 2^31-1].
func (d *decoder) count(path string, v any) int {
	var n int32
	if err := payload.Decode(v, &n); err != nil {
		d.failWith(path, err)
		return 0
	}
	if n < 0 {
		d.fail(path, "%d is not a count", n)
		return 0
	}
	return int(n)
}

// ids converts a list of ids (payload.IDs).
func (d *decoder) ids(path string, v any) []protocol.ID {
	ids, err := payload.IDs(v)
	if err != nil {
		d.failWith(path, err)
		return nil
	}
	return ids
}

// optString reads an optional string field of a dict.
func (d *decoder) optString(path string, m protocol.Dict, key string) string {
	return d.optStringValue(path+"."+key, m[key])
}

// optStringAt reads an optional positional string.
func (d *decoder) optStringAt(args protocol.List, i int) string {
	if i >= len(args) {
		return ""
	}
	return d.optStringValue(fmt.Sprintf("args[%d]", i), args[i])
}

// optStringValue reads an optional string: null or absent is "".
func (d *decoder) optStringValue(path string, v any) string {
	var s string
	if v == nil {
		return s
	}
	if err := payload.Decode(v, &s); err != nil {
		d.failWith(path, err)
	}
	return s
}

// dict reads a dict.
func (d *decoder) dict(path string, v any) protocol.Dict {
	m, ok := v.(protocol.Dict)
	if !ok {
		d.fail(path, "want a dict, got %T", v)
	}
	return m
}

// arg returns args[i], failing when absent.
func (d *decoder) arg(args protocol.List, i int) any {
	if i >= len(args) {
		d.fail(fmt.Sprintf("args[%d]", i), "missing")
		return nil
	}
	return args[i]
}

// time reads an optional ISO 8601 time field (time.Time's text form).
func (d *decoder) time(path string, m protocol.Dict, key string) time.Time {
	var t time.Time
	if s := d.optString(path, m, key); s != "" {
		if err := payload.Decode(s, &t); err != nil {
			d.fail(path+"."+key, "%q is not an ISO 8601 time", s)
		}
	}
	return t
}
