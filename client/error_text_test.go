package client_test

import (
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

// An *Error prints its payload in a readable, JSON-like form, never in Go
// map syntax, and never with a raw control character from the peer.
func TestErrorText(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  *client.Error
		want string
	}{
		{"uri only", client.NewError("com.example.failed", nil, nil), "wamp error com.example.failed"},
		{"args and kwargs", client.NewError("com.example.invalid_order",
			protocol.List{"qty must be positive"}, protocol.Dict{"qty": int64(-1), "item": "A-17"}),
			`wamp error com.example.invalid_order: "qty must be positive" {"item": "A-17", "qty": -1}`},
		{"nested and typed values", client.NewError("e", protocol.List{int64(1), 2.5, true, nil,
			protocol.List{"a", uint64(7)}, protocol.Dict{"k": protocol.List{}}, []byte{1, 2, 3}, math.Inf(1)}, nil),
			`wamp error e: 1, 2.5, true, null, ["a", 7], {"k": []}, <3 bytes>, +Inf`},
		{"control characters quoted", client.NewError("e", protocol.List{"line\nbreak\x1b[31m"}, protocol.Dict{"k\n": "v"}),
			`wamp error e: "line\nbreak\x1b[31m" {"k\n": "v"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	t.Run("long payload cut", func(t *testing.T) {
		got := client.NewError("e", protocol.List{strings.Repeat("é", 5000)}, nil).Error()
		if len(got) > 1200 || !strings.HasSuffix(got, "…") || !strings.HasPrefix(got, `wamp error e: "éé`) {
			t.Errorf("got %d bytes: %.80q…%q", len(got), got, got[len(got)-20:])
		}
		if !utf8.ValidString(got) {
			t.Errorf("cut inside a rune")
		}
	})
}
