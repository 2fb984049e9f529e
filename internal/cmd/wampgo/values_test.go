package main

import (
	"flag"
	"fmt"
	"math"
	"testing"
)

func TestParseValue(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want any
	}{
		{"1", int64(1)},
		{"-1", int64(-1)},
		{"2.5", 2.5},
		{"1e3", 1000.0},
		{"18446744073709551615", uint64(math.MaxUint64)},
		{"1e999", "1e999"},
		{`"two"`, "two"},
		{"hello", "hello"},
		{"", ""},
		{"true", true},
		{"null", nil},
		{"1 2", "1 2"},
		{`{"a":3}`, map[string]any{"a": int64(3)}},
		{`[1,"x",[2.5]]`, []any{int64(1), "x", []any{2.5}}},
		{`"\u0000AQID"`, []byte{1, 2, 3}},
		{`"\u0000not base64!"`, "\x00not base64!"},
		{`{"a":`, `{"a":`},
	} {
		if got := parseValue(tc.in); fmt.Sprintf("%#v", got) != fmt.Sprintf("%#v", tc.want) {
			t.Errorf("parseValue(%q) = %#v, want %#v", tc.in, got, tc.want)
		}
	}
}

func TestToJSON(t *testing.T) {
	in := map[string]any{"nan": math.NaN(), "inf": math.Inf(1), "ninf": math.Inf(-1), "bin": []byte{0xff},
		"list": []any{[]byte{}, 1.5, "<&>"}}
	got := jsonLine(toJSON(in))
	want := `{"bin":"\u0000/w==","inf":"Infinity","list":["\u0000",1.5,"<&>"],"nan":"NaN","ninf":"-Infinity"}`
	if got != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	if _, ok := in["bin"].([]byte); !ok {
		t.Fatal("toJSON modified its input")
	}
}

func TestParseInterleaved(t *testing.T) {
	for _, tc := range []struct {
		args       []string
		pos, tail  string
		dashed     bool
		k          string
		wantErrMsg bool
	}{
		{[]string{"p", "1", "-k", "a=1", "2"}, "[p 1 2]", "[]", false, "map[a:1]", false},
		{[]string{"-k", "a=1", "p"}, "[p]", "[]", false, "map[a:1]", false},
		{[]string{"p", "-1", "-2.5", "-", "-Infinity"}, "[p -1 -2.5 - -Infinity]", "[]", false, "map[]", false},
		{[]string{"p", "--", "-k", "x"}, "[p]", "[-k x]", true, "map[]", false},
		{[]string{"p", "-k", "a=1", "--", "cmd", "-k", "b=2"}, "[p]", "[cmd -k b=2]", true, "map[a:1]", false},
		{[]string{"p", "-x"}, "", "", false, "", true},
		{[]string{"p", "-k"}, "", "", false, "", true},
	} {
		fs := flag.NewFlagSet("t", flag.ContinueOnError)
		fs.SetOutput(discard{})
		var kw kwargsFlag
		fs.Var(&kw, "k", "")
		pos, tail, dashed, err := parseInterleaved(fs, tc.args)
		if tc.wantErrMsg {
			if err == nil {
				t.Errorf("%q: no error", tc.args)
			}
			continue
		}
		if err != nil || fmt.Sprint(pos) != tc.pos || fmt.Sprint(tail) != tc.tail || dashed != tc.dashed || fmt.Sprint(map[string]any(kw.d)) != tc.k {
			t.Errorf("%q: %v %v %v %v %v", tc.args, pos, tail, dashed, kw.d, err)
		}
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
