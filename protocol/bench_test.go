package protocol_test

import (
	"testing"

	"github.com/wampgo/wampgo/protocol"
)

var benchCall = L{int64(48), int64(7814135), D{"receive_progress": true, "timeout": int64(1000)},
	"com.myapp.myprocedure1", L{"Hello, world!", int64(42)}, D{"k": "v"}}

func BenchmarkFromList(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := protocol.FromList(benchCall); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkToList(b *testing.B) {
	m, err := protocol.FromList(benchCall)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := protocol.ToList(m); err != nil {
			b.Fatal(err)
		}
	}
}
