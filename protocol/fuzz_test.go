package protocol_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

// FuzzFromList feeds FromList lists built from the fuzz input: a JSON
// text when the input is valid JSON (decoded as a codec would), else a list
// built by listBuilder. It asserts that FromList does not panic, that its
// errors are *ValidationError, and that every accepted message round-trips:
// FromList(ToList(m)) deep-equals m, and ToList is then stable.
func FuzzFromList(f *testing.F) {
	for _, s := range []string{
		`[48,1,{},"com.p",[1],{"a":2}]`,
		`[36,1,2,{"enc_algo":"cryptobox"},"\u0000AQI="]`,
		`[35,0,{"subscription":5,"reason":"x"}]`,
		`[1,"realm1",{"roles":{"caller":{"features":{"call_canceling":true}}}}]`,
		`[16,1,{"exclude":[1,2],"forward_for":[{"session":3}]},"t",null,{"k":[]}]`,
	} {
		f.Add([]byte(s))
	}
	f.Add([]byte{0x03, 0x0b, 0x02, 0x0b, 0x01})
	f.Fuzz(func(t *testing.T, data []byte) {
		var l L
		if json.Valid(data) {
			v, err := decodeJSON(data)
			if err != nil {
				return
			}
			var ok bool
			if l, ok = v.([]any); !ok {
				return
			}
		} else {
			l = (&listBuilder{data: data}).list()
		}
		m, err := protocol.FromList(l)
		if err != nil {
			var ve *protocol.ValidationError
			if !errors.As(err, &ve) || !errors.Is(err, protocol.ErrProtocolViolation) {
				t.Fatalf("FromList error %v (%T) is not a *ValidationError", err, err)
			}
			return
		}
		l2, err := protocol.ToList(m)
		if err != nil {
			t.Fatalf("ToList of accepted %#v: %v", m, err)
		}
		m2, err := protocol.FromList(l2)
		if err != nil {
			t.Fatalf("FromList(ToList(m)) of %#v: %v (list %#v)", m, err, l2)
		}
		if !reflect.DeepEqual(m, m2) {
			t.Fatalf("round trip\n got %#v\nwant %#v", m2, m)
		}
		l3, err := protocol.ToList(m2)
		if err != nil || !reflect.DeepEqual(l2, l3) {
			t.Fatalf("ToList not stable: %#v vs %#v (%v)", l2, l3, err)
		}
	})
}

// listBuilder turns arbitrary bytes into a WAMP-shaped list, biased towards
// the type codes, keys and strings validation cares about, so that the fuzzer
// reaches deep validation paths. It never produces NaN.
type listBuilder struct{ data []byte }

func (b *listBuilder) next() byte {
	if len(b.data) == 0 {
		return 0
	}
	c := b.data[0]
	b.data = b.data[1:]
	return c
}

var fuzzCodes = []int64{1, 2, 3, 4, 5, 6, 8, 16, 17, 32, 33, 34, 35, 36, 48, 49, 50, 64, 65, 66, 67, 68, 69, 70, 0, 7, 99}

var fuzzStrings = []string{"", "com.a", "a..b", ".", "a.", "a b", "#", "\xff", "wamp.close.normal",
	"cryptobox", "invalid", "x_y", "mqtt", "exact", "prefix", "wildcard", "kill", "skip", "killnowait",
	"roundrobin", "single", "caller", "broker"}

var fuzzKeys = []string{"roles", "caller", "broker", "features", "authid", "authrole", "authmethods",
	"authextra", "agent", "message", "acknowledge", "exclude_me", "exclude", "eligible", "exclude_authid",
	"eligible_authrole", "retain", "transaction_hash", "forward_for", "session", "enc_algo", "enc_serializer",
	"ppt_scheme", "match", "get_retained", "subscription", "registration", "reason", "publisher", "topic",
	"procedure", "retained", "x_acknowledged_delivery", "receive_progress", "progress", "timeout", "mode",
	"invoke", "concurrency", "caller_authid", "challenge", "iterations", "x_custom"}

func (b *listBuilder) list() L {
	n := int(b.next() % 8)
	l := L{fuzzCodes[int(b.next())%len(fuzzCodes)]}
	for i := 1; i < n; i++ {
		l = append(l, b.value(0))
	}
	return l
}

func (b *listBuilder) value(depth int) any {
	op := b.next() % 16
	if depth > 3 && op >= 9 && op <= 13 {
		op = 0
	}
	switch op {
	case 0:
		return nil
	case 1:
		return b.next()%2 == 0
	case 2:
		return int64(b.next())
	case 3:
		return int64(0)
	case 4:
		return []any{uint64(protocol.MaxID), uint64(protocol.MaxID + 1), int64(-1), int64(-1 << 63),
			uint64(1 << 63)}[int(b.next())%5]
	case 5:
		return float64(b.next()) / 2
	case 6, 7:
		return fuzzStrings[int(b.next())%len(fuzzStrings)]
	case 8:
		n := int(b.next() % 4)
		out := make([]byte, 0, n)
		for range n {
			out = append(out, b.next())
		}
		return out
	case 9, 10:
		n := int(b.next() % 4)
		l := L{}
		for range n {
			l = append(l, b.value(depth+1))
		}
		return l
	case 11, 12, 13:
		n := int(b.next() % 4)
		d := D{}
		for range n {
			d[fuzzKeys[int(b.next())%len(fuzzKeys)]] = b.value(depth + 1)
		}
		return d
	case 14:
		return fuzzCodes[int(b.next())%len(fuzzCodes)]
	default:
		return uint64(b.next())
	}
}
