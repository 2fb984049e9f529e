package protocol_test

import (
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

func TestValidURI(t *testing.T) {
	// Each case gives the expected result for
	// (loose, loose+empty, strict, strict+empty).
	for _, tc := range []struct {
		uri  string
		want [4]bool
	}{
		{"com.myapp.topic1", [4]bool{true, true, true, true}},
		{"a", [4]bool{true, true, true, true}},
		{"wamp.error.no_such_procedure", [4]bool{true, true, true, true}},
		{"com.my_app.2nd", [4]bool{true, true, true, true}},
		{"Com.MyApp.Topic", [4]bool{true, true, false, false}},
		{"com.my-app.topic", [4]bool{true, true, false, false}},
		{"com.myapp.тема", [4]bool{true, true, false, false}},
		{"com.myapp.a/b:c", [4]bool{true, true, false, false}},
		{"", [4]bool{false, true, false, true}},
		{".", [4]bool{false, true, false, true}},
		{"..", [4]bool{false, true, false, true}},
		{"com..topic", [4]bool{false, true, false, true}},
		{".com.topic", [4]bool{false, true, false, true}},
		{"com.topic.", [4]bool{false, true, false, true}},
		{"com..Topic", [4]bool{false, true, false, false}},
		{"com.my topic", [4]bool{false, false, false, false}},
		{"com.my\ttopic", [4]bool{false, false, false, false}},
		{"com.my\ntopic", [4]bool{false, false, false, false}},
		{"com.my\u00a0topic", [4]bool{false, false, false, false}},
		{"com.my\u2003topic", [4]bool{false, false, false, false}},
		{"com.my#topic", [4]bool{false, false, false, false}},
		{"#", [4]bool{false, false, false, false}},
		{"com..#", [4]bool{false, false, false, false}},
		{"com.\xff", [4]bool{false, false, false, false}},
	} {
		got := [4]bool{
			protocol.ValidURI(tc.uri, false, false),
			protocol.ValidURI(tc.uri, false, true),
			protocol.ValidURI(tc.uri, true, false),
			protocol.ValidURI(tc.uri, true, true),
		}
		if got != tc.want {
			t.Errorf("ValidURI(%q): got %v, want %v", tc.uri, got, tc.want)
		}
	}
}

func TestPatternURIs(t *testing.T) {
	for _, tc := range []struct {
		match string
		uri   string
		ok    bool
	}{
		{"", "com.topic", true},
		{"", "com.", false},
		{"exact", "com..t", false},
		{"prefix", "com.myapp", true},
		{"prefix", "com.myapp.", true},
		{"prefix", "", true},
		{"prefix", "com..myapp", false},
		{"prefix", ".com", false},
		{"prefix", "com.my app", false},
		{"wildcard", "com..topic", true},
		{"wildcard", "..", true},
		{"wildcard", "com.#", false},
	} {
		opts := D{}
		if tc.match != "" {
			opts["match"] = tc.match
		}
		for _, l := range []L{
			{int64(32), int64(1), opts, tc.uri},
			{int64(64), int64(1), opts, tc.uri},
		} {
			_, err := protocol.FromList(l)
			if (err == nil) != tc.ok {
				t.Errorf("FromList(%v) = %v, want ok=%v", l, err, tc.ok)
			}
		}
	}
}
