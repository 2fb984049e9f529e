package wamptest

import (
	"math"
	"strings"

	"github.com/wampgo/wampgo/protocol"
)

// The readers below accept the value types that protocol.Validate accepts
// for the options they read; messages are validated before routing, so a
// value of another type does not occur.

// intOption reads a non-negative integer option of any Go integer type.
func intOption(d protocol.Dict, key string) (int64, bool) {
	return toInt(d[key])
}

func toInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case uint64:
		return int64(min(n, math.MaxInt64)), true
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	case uint32:
		return int64(n), true
	case uint:
		return int64(n), true
	case int16:
		return int64(n), true
	case uint16:
		return int64(n), true
	case int8:
		return int64(n), true
	case uint8:
		return int64(n), true
	}
	return 0, false
}

// idList reads a list of ids; ok is false when v is absent.
func idList(v any) (ids []protocol.ID, ok bool) {
	add := func(e any) {
		if n, ok := toInt(e); ok && n > 0 {
			ids = append(ids, protocol.ID(n))
		}
	}
	switch l := v.(type) {
	case []any:
		for _, e := range l {
			add(e)
		}
	case []protocol.ID:
		ids = append(ids, l...)
	case []int64:
		for _, e := range l {
			add(e)
		}
	case []int:
		for _, e := range l {
			add(e)
		}
	default:
		return nil, false
	}
	return ids, true
}

// stringList reads a list of strings; ok is false when v is absent or not
// a list of strings.
func stringList(v any) ([]string, bool) {
	switch l := v.(type) {
	case []string:
		return l, true
	case []any:
		out := make([]string, 0, len(l))
		for _, e := range l {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

// copyPassthru copies the payload passthru keys (enc_*, ppt_*) of src into
// dst, so that a passthru payload stays valid when forwarded
// (advanced/payload_passthru_mode.md), and the implementation-specific
// keys (_*, basic/messages.md), which this router forwards as they are
// (trace context, custom headers).
func copyPassthru(dst, src protocol.Dict) {
	for k, v := range src {
		if strings.HasPrefix(k, "ppt_") || strings.HasPrefix(k, "enc_") || strings.HasPrefix(k, "_") {
			dst[k] = v
		}
	}
}
