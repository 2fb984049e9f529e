package rawsocket_test

import (
	"net"
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/transport/connstate"
	"github.com/wampgo/wampgo/internal/transport/rawsocket"
	"github.com/wampgo/wampgo/protocol"
)

// BenchmarkSendReceive measures the write and read paths: one side sends
// PUBLISH messages over loopback TCP as fast as Send takes them, the other
// receives and decodes them; with Traffic counting on both sides or not.
func BenchmarkSendReceive(b *testing.B) {
	b.Run("uncounted", func(b *testing.B) { benchSendReceive(b, nil, nil) })
	b.Run("counted", func(b *testing.B) {
		var ct, st connstate.Traffic
		benchSendReceive(b, &ct, &st)
	})
}

func benchSendReceive(b *testing.B, ct, st *connstate.Traffic) {
	nl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer nl.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		sn, err := nl.Accept()
		if err != nil {
			close(accepted)
			return
		}
		accepted <- sn
	}()
	cn, err := net.Dial("tcp", nl.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	sn, ok := <-accepted
	if !ok {
		b.Fatal("accept failed")
	}
	cd := codec.JSON()
	client, server := pairOn(b, cn, sn, &rawsocket.Options{Codecs: []codec.Codec{cd}, Traffic: ct},
		&rawsocket.ServerOptions{Traffic: st})
	msg := &protocol.Publish{Request: 1, Options: protocol.Dict{}, Topic: "com.example.topic",
		Payload: protocol.Payload{Args: protocol.List{"some text", 42, true}}}
	enc, err := cd.Encode(msg)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(enc)))
	ctx := ctxT(b)
	got := make(chan int, 1)
	b.ResetTimer()
	go func() {
		n := 0
		for range b.N {
			if _, ok := <-server.Receive(); !ok {
				break
			}
			n++
		}
		got <- n
	}()
	for range b.N {
		if err := client.Send(ctx, msg); err != nil {
			b.Fatal(err)
		}
	}
	if n := <-got; n != b.N {
		b.Fatalf("received %d of %d messages", n, b.N)
	}
}
