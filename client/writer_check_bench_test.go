package client

import (
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// BenchmarkRequestCheck compares what the caller's goroutine spends
// checking a request's options against the connection's codec (check) with
// what the writer spends encoding the same CALL, header and spliced
// three-argument payload (write, the baseline), per codec. A request
// without options skips the check.
func BenchmarkRequestCheck(b *testing.B) {
	args := protocol.List{"hello", int64(42), protocol.Dict{"k": 1.5}}
	for _, cd := range []codec.Codec{codec.JSON(), codec.MsgPack(), codec.CBOR()} {
		ci := &connInfo{codec: cd}
		msg := &protocol.Call{Request: 1, Procedure: "com.example.echo",
			Options: protocol.Dict{"receive_progress": true, "timeout": int64(1000), "rkey": "shard-7"}}
		p, err := codec.EncodePayload(cd, args, nil)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(cd.Name()+"/check", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ci.checkOptions("Call", msg); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(cd.Name()+"/write", func(b *testing.B) {
			b.ReportAllocs()
			buf := make([]byte, 0, 512)
			for b.Loop() {
				if _, err := codec.AppendSpliced(cd, buf[:0], msg, p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
