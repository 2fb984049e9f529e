package wsconn_test

import (
	"testing"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
	"github.com/wampgo/wampgo/wsconn"
)

// TestTrafficCountsPayloadBytes checks that a shared Traffic adds up the
// encoded size of what its connections write and read.
func TestTrafficCountsPayloadBytes(t *testing.T) {
	cd := codec.JSON()
	var tr wsconn.Traffic
	srv := newAcceptServer(t, nil)
	client := dial(t, srv.url, &wsconn.Options{Codecs: []codec.Codec{cd}, Traffic: &tr})
	server := srv.next(t)
	out := &protocol.Publish{Request: 1, Options: protocol.Dict{}, Topic: "com.t", Payload: protocol.Payload{Args: protocol.List{"hello"}}}
	in := &protocol.Published{Request: 1, Publication: 99}
	send(t, client, out)
	recv(t, server)
	send(t, server, in)
	recv(t, client)
	wantOut, err := cd.Encode(out)
	if err != nil {
		t.Fatal(err)
	}
	wantIn, err := cd.Encode(in)
	if err != nil {
		t.Fatal(err)
	}
	if got := tr.BytesOut.Load(); got != uint64(len(wantOut)) {
		t.Fatalf("BytesOut = %d, want %d", got, len(wantOut))
	}
	if got := tr.BytesIn.Load(); got != uint64(len(wantIn)) {
		t.Fatalf("BytesIn = %d, want %d", got, len(wantIn))
	}
}
