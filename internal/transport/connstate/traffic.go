package connstate

import "sync/atomic"

// Traffic counts the bytes of the WAMP messages that connections read and
// write: the encoded messages themselves, as the codec produced them. What
// carries them is not counted: neither the transport's framing (WebSocket
// frame headers, RawSocket's 4-octet frame prefixes), nor its control
// traffic (WebSocket ping, pong and close frames, RawSocket PING and PONG),
// nor its opening handshake (the HTTP upgrade, RawSocket's 4-octet
// handshake). With WebSocket compression, a message counts with its
// uncompressed length. A message counts as read once read whole, before it
// is decoded, and as written when the writer starts writing it.
//
// Several connections may share one Traffic, which then holds their sum.
// The fields may be read from any goroutine at any time; the connections
// add to them with CountRead and CountWritten. The zero value is ready to
// use; a Traffic must not be copied after first use.
type Traffic struct {
	BytesIn, BytesOut atomic.Uint64
}

// CountRead adds n bytes read to t. t may be nil: nothing is counted.
// Any goroutine may call it.
func CountRead(t *Traffic, n int) {
	if t != nil {
		t.BytesIn.Add(uint64(n))
	}
}

// CountWritten adds n bytes written to t. t may be nil: nothing is
// counted. Any goroutine may call it.
func CountWritten(t *Traffic, n int) {
	if t != nil {
		t.BytesOut.Add(uint64(n))
	}
}
