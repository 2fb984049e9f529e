package govalue_test

import (
	"reflect"
	"testing"

	"github.com/wampgo/wampgo/internal/govalue"
)

func TestPaths(t *testing.T) {
	for _, tc := range []struct{ key, step string }{
		{"name", ".name"}, {"a_b-1", ".a_b-1"}, {"", `[""]`}, {"a b", `["a b"]`},
		{"1a", `["1a"]`}, {"-a", `["-a"]`}, {"é", `["é"]`},
	} {
		if got := govalue.KeyStep(tc.key); got != tc.step {
			t.Errorf("KeyStep(%q) = %q, want %q", tc.key, got, tc.step)
		}
	}
	if got := govalue.IndexStep(12); got != "[12]" {
		t.Errorf("IndexStep(12) = %q", got)
	}
	for _, tc := range []struct{ steps, root string }{
		{"", ""}, {".a.b", "a.b"}, {"[1].a", "[1].a"}, {`["a b"]`, `["a b"]`},
	} {
		if got := govalue.RootPath(tc.steps); got != tc.root {
			t.Errorf("RootPath(%q) = %q, want %q", tc.steps, got, tc.root)
		}
		if got := govalue.StepPath(tc.root); got != tc.steps {
			t.Errorf("StepPath(%q) = %q, want %q", tc.root, got, tc.steps)
		}
	}
}

type inner struct {
	City string `wamp:"city"`
}

type outer struct {
	*inner
	Name    string `json:"name,omitempty"`
	Skip    string `wamp:"-"`
	Dash    string `wamp:"-,"`
	private int
	Zero    int `wamp:"zero,omitzero"`
}

func TestFields(t *testing.T) {
	_ = outer{}.private
	want := []govalue.Field{
		{Name: "city", Index: []int{0, 0}},
		{Name: "name", Index: []int{1}, OmitEmpty: true},
		{Name: "-", Index: []int{3}},
		{Name: "zero", Index: []int{5}, OmitZero: true},
	}
	got := govalue.Fields(reflect.TypeFor[outer]())
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Fields = %+v\nwant %+v", got, want)
	}
	// A nil embedded pointer on the way is reported, not followed.
	if _, ok := govalue.FieldByIndex(reflect.ValueOf(outer{}), got[0].Index); ok {
		t.Error("FieldByIndex through a nil embedded pointer reported ok")
	}
	v, ok := govalue.FieldByIndex(reflect.ValueOf(outer{inner: &inner{City: "c"}}), got[0].Index)
	if !ok || v.String() != "c" {
		t.Errorf("FieldByIndex = %v, %v", v, ok)
	}
	for _, tc := range []struct {
		v     any
		empty bool
	}{{0, true}, {"", true}, {[]int{}, true}, {map[string]int{}, true}, {(*int)(nil), true}, {false, true},
		{1, false}, {"x", false}, {[]int{0}, false}, {inner{}, false}} {
		if got := govalue.IsEmpty(reflect.ValueOf(tc.v)); got != tc.empty {
			t.Errorf("IsEmpty(%#v) = %v", tc.v, got)
		}
	}
}
