package codec_test

import (
	"testing"

	"github.com/wampgo/wampgo/codec"
)

type benchOrder struct {
	ID       string            `wamp:"id" json:"id"`
	Items    []string          `wamp:"items" json:"items"`
	Total    float64           `wamp:"total" json:"total"`
	Quantity int               `wamp:"quantity" json:"quantity"`
	Express  bool              `wamp:"express" json:"express"`
	Tags     map[string]string `wamp:"tags" json:"tags"`
	Address  Inner             `wamp:"address" json:"address"`
}

var benchOrderValue = benchOrder{ID: "A-17", Items: []string{"tea", "milk", "bread"}, Total: 12.5, Quantity: 3,
	Express: true, Tags: map[string]string{"channel": "web"}, Address: Inner{City: "Oslo", Zip: "0150"}}

// A payload already in the value set: no copy, no allocation.
func BenchmarkNormalizePlainList(b *testing.B) {
	v := []any{int64(1), "two", 3.0, map[string]any{"k": []any{true, nil}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := codec.Normalize(v); err != nil {
			b.Fatal(err)
		}
	}
}

// Everyday Go values of the kinds the encoders met before structs were
// converted: sized integers, typed slices and string-keyed maps.
func BenchmarkNormalizeCommonTypes(b *testing.B) {
	v := []any{1, int32(-7), float32(1.5), []string{"a", "b"}, map[string]int{"k": 2}, []any{uint8(9), []int{2, 3}}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := codec.Normalize(v); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNormalizeStruct(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := codec.Normalize(benchOrderValue); err != nil {
			b.Fatal(err)
		}
	}
}
