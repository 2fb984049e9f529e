package payload_test

import (
	"encoding/json"
	"testing"

	"github.com/wampgo/wampgo/client/payload"
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

var benchValue = benchOrder{ID: "A-17", Items: []string{"tea", "milk", "bread"}, Total: 12.5, Quantity: 3,
	Express: true, Tags: map[string]string{"channel": "web"}, Address: Inner{City: "Oslo", Zip: "0150"}}

func BenchmarkDecodeStruct(b *testing.B) {
	v, err := codec.Normalize(benchValue)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		var o benchOrder
		if err := payload.Decode(v, &o); err != nil {
			b.Fatal(err)
		}
	}
}

// The baseline: what users do without package payload to get a struct out
// of a decoded dict, a round trip through encoding/json.
func BenchmarkDecodeStructViaJSON(b *testing.B) {
	v, err := codec.Normalize(benchValue)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		data, err := json.Marshal(v)
		if err != nil {
			b.Fatal(err)
		}
		var o benchOrder
		if err := json.Unmarshal(data, &o); err != nil {
			b.Fatal(err)
		}
	}
}
