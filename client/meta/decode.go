package meta

import (
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// ErrBadPayload is matched (errors.Is) by the errors of results and events
// whose payload is not what the spec describes.
var ErrBadPayload = errors.New("meta: unexpected payload")

// PayloadError says which part of a meta result or event did not decode.
type PayloadError struct {
	URI    protocol.URI // the procedure or topic
	Path   string       // where in the payload, such as "args[0].authid"
	Reason string
}

func (e *PayloadError) Error() string {
	return fmt.Sprintf("meta: %s: %s: %s", e.URI, e.Path, e.Reason)
}

// Is makes a *PayloadError match ErrBadPayload.
func (e *PayloadError) Is(target error) bool { return target == ErrBadPayload }

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

// id converts an id carried in a payload: any integer type, or an integral
// float, in [1, 2^53].
func (d *decoder) id(path string, v any) protocol.ID {
	n, ok := integer(v)
	if !ok || n < 1 || n > protocol.MaxID {
		d.fail(path, "%v (%T) is not an id", v, v)
		return 0
	}
	return protocol.ID(n)
}

// integer returns v as a non-negative integer that fits in uint64.
func integer(v any) (uint64, bool) {
	switch n := v.(type) {
	case int64:
		return uint64(n), n >= 0
	case uint64:
		return n, true
	case int:
		return uint64(n), n >= 0
	case int32:
		return uint64(n), n >= 0
	case uint32:
		return uint64(n), true
	case int16:
		return uint64(n), n >= 0
	case uint16:
		return uint64(n), true
	case int8:
		return uint64(n), n >= 0
	case uint8:
		return uint64(n), true
	case uint:
		return uint64(n), true
	case float64:
		if n >= 0 && n <= math.MaxUint64 && n == math.Trunc(n) {
			return uint64(n), true
		}
	case float32:
		return integer(float64(n))
	}
	return 0, false
}

// count converts a count.
func (d *decoder) count(path string, v any) int {
	n, ok := integer(v)
	if !ok || n > math.MaxInt32 {
		d.fail(path, "%v (%T) is not a count", v, v)
		return 0
	}
	return int(n)
}

// ids converts a list of ids.
func (d *decoder) ids(path string, v any) []protocol.ID {
	l, ok := v.(protocol.List)
	if !ok {
		d.fail(path, "%T is not a list", v)
		return nil
	}
	out := make([]protocol.ID, 0, len(l))
	for i, e := range l {
		out = append(out, d.id(fmt.Sprintf("%s[%d]", path, i), e))
	}
	return out
}

// optString reads an optional string field of a dict.
func (d *decoder) optString(path string, m protocol.Dict, key string) string {
	v, ok := m[key]
	if !ok || v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		d.fail(path+"."+key, "%T is not a string", v)
	}
	return s
}

// optStringAt reads an optional positional string.
func (d *decoder) optStringAt(args protocol.List, i int) string {
	if i >= len(args) || args[i] == nil {
		return ""
	}
	s, ok := args[i].(string)
	if !ok {
		d.fail(fmt.Sprintf("args[%d]", i), "%T is not a string", args[i])
	}
	return s
}

// dict reads a dict.
func (d *decoder) dict(path string, v any) protocol.Dict {
	m, ok := v.(protocol.Dict)
	if !ok {
		d.fail(path, "%T is not a dict", v)
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

// time reads an optional ISO 8601 time field.
func (d *decoder) time(path string, m protocol.Dict, key string) time.Time {
	s := d.optString(path, m, key)
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		d.fail(path+"."+key, "%q is not an ISO 8601 time", s)
	}
	return t
}
