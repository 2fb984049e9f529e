package wsconn

import "sync/atomic"

// Traffic counts the bytes of the WebSocket messages a connection reads
// and writes (their payloads: the encoded WAMP messages; framing and the
// HTTP handshake aside). A message counts as written when the writer
// starts writing it. Several connections may share one Traffic, which
// then holds their sum. Its fields may be read from any goroutine at any
// time.
type Traffic struct {
	BytesIn, BytesOut atomic.Uint64
}

// read counts n bytes read; t may be nil.
func (t *Traffic) read(n int) {
	if t != nil {
		t.BytesIn.Add(uint64(n))
	}
}

// wrote counts n bytes written; t may be nil.
func (t *Traffic) wrote(n int) {
	if t != nil {
		t.BytesOut.Add(uint64(n))
	}
}
