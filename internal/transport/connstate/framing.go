package connstate

import "context"

// Framing is what a transport supplies to a Conn, the skeleton both
// transports share: how its messages and control frames are framed on the
// stream. Its handshake is done before; the Conn runs the reader, the
// writer, the keepalive timer and the end state around it.
type Framing interface {
	// Wait waits until the stream has data to read, or fails; the error
	// is not reported (Read meets it again). It keeps the reader's stack
	// shallow while the connection idles: Read runs only once data
	// arrived. Only the reader goroutine calls it.
	Wait()
	// Read reads the next message, whole or (over the read limit) its
	// head, handling the control frames met on the way (answering pings
	// with Conn.Control, handing pongs to Ping). Its error is the end
	// reason: an error matching protocol.ErrProtocolViolation ends the
	// read side only (the peer broke the framing), any other the whole
	// connection. Only the reader goroutine calls it; the message is
	// valid until Release or the next Read.
	Read() (Message, error)
	// Release gives back the buffer of the message Read returned last.
	Release()
	// WriteBatch writes frames in order, in as few network writes as it
	// can, and returns the network's error (the Conn then fails). The
	// Conn's Writer calls it, one batch at a time; Close calls it once
	// more with its close frame, after the writer stopped. The batch is
	// valid only during the call.
	WriteBatch(batch []Frame) error
	// Ping sends a keepalive ping and waits for its answer or ctx's end.
	// The keepalive timer calls it, one ping at a time.
	Ping(ctx context.Context) error
	// CloseHandshake ends the stream gracefully (a closing handshake or
	// nothing), once, from Close, after the writer stopped and the reader
	// stopped delivering. The network connection may be closed under it
	// (Close's deadline).
	CloseHandshake() error
	// CloseNow closes the network connection at once. Any goroutine may
	// call it, more than once.
	CloseNow()
}

// Message is one message Framing.Read read.
type Message struct {
	// Binary is set for a message in a binary frame (WebSocket), clear
	// for a text one; a transport without frame types leaves it to
	// match its codec.
	Binary bool
	// Data is the message, or its first oversize.HeadSize octets when
	// Over is set.
	Data []byte
	// Size is the message's whole length.
	Size int64
	// Over is set when Size is over the read limit: the rest of the
	// message was read through and discarded.
	Over bool
}

// Frame is one frame for Framing.WriteBatch: an encoded message (Control
// zero), or a control frame of the transport's (its kind in Control).
type Frame struct {
	Control uint8
	P       []byte
}
