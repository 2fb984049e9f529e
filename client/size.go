package client

import "github.com/wampgo/wampgo/protocol"

// payloadSize estimates the memory a payload holds, for mailbox byte
// limits: string and binary lengths plus a small cost per value.
func payloadSize(p protocol.Payload) int {
	return valueSize(p.Args) + valueSize(p.Kwargs) + len(p.Payload)
}

func valueSize(v any) int {
	const overhead = 16
	switch x := v.(type) {
	case string:
		return overhead + len(x)
	case []byte:
		return overhead + len(x)
	case []any:
		n := overhead
		for _, e := range x {
			n += valueSize(e)
		}
		return n
	case map[string]any:
		n := overhead
		for k, e := range x {
			n += overhead + len(k) + valueSize(e)
		}
		return n
	default:
		return overhead
	}
}
