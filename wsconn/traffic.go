package wsconn

import "github.com/wampgo/wampgo/internal/transport/connstate"

// Traffic counts the bytes of the WAMP messages that connections read and
// write; pass it in Options.Traffic. Its fields are
//
//	BytesIn, BytesOut atomic.Uint64
//
// and may be read from any goroutine at any time. They count the encoded
// messages themselves (their uncompressed length when compression is on),
// not what carries them: WebSocket framing, ping, pong and close frames
// and the HTTP handshake are left out. A message counts as read once read
// whole, before it is decoded, and as written when the writer starts
// writing it. Several connections may share one Traffic, which then holds
// their sum. The zero value is ready to use; do not copy a Traffic after
// first use.
type Traffic = connstate.Traffic
