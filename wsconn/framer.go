package wsconn

import (
	"context"

	"github.com/wampgo/wampgo/internal/transport/wsframe"
)

// framer is what a Conn's two framings do differently: Dial's lean client
// (leanFramer, RFC 6455 framing written here) and coder/websocket's
// (coderFramer: Accept, and Dial with an HTTPClient, compression or a
// proxy). The Conn around it owns the reader goroutine, the writer, the
// keepalive timer and the end state.
type framer interface {
	// read reads the next data message, in full or (over the read limit)
	// its head, answering control frames on the way. Its error is the
	// connection's end reason (see readError). Only the reader goroutine
	// calls it; the message is valid until release or the next read.
	read() (wsframe.Message, error)
	// release gives back the last message's buffer.
	release()
	// writeBatch writes frames in order, as few network writes as it can.
	// connstate.Writer calls it, one batch at a time. It returns the
	// network's error; the Conn then fails.
	writeBatch(batch []frame) error
	// ping sends a ping and waits for its pong, or for ctx's end. Only the
	// keepalive timer calls it, one ping at a time.
	ping(ctx context.Context) error
	// closeHandshake sends a close frame (1000) and waits for the peer's.
	// Close calls it once, after the writer stopped; the network
	// connection may be closed under it (Close's deadline).
	closeHandshake() error
	// closeNow closes the network connection at once. Any goroutine may
	// call it, more than once.
	closeNow()
}

// frame is one frame for the writer: a message (data, in the frame type
// of the codec) or one of the lean framing's control frames.
type frame struct {
	data bool
	op   wsframe.Opcode // when not data
	p    []byte
}
