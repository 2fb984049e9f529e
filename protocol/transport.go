package protocol

import "context"

// Transport is a message-level connection to a WAMP peer, as the session
// sees it. Package wsconn provides one over WebSocket, internal/transport/rawsocket
// one over RawSocket (TCP, TLS or a Unix socket), and internal/transport/memconn an
// in-memory pair for tests.
//
// Implementations must allow Send, SendEncoded, Close and Done to be called
// from any goroutine concurrently; Receive is read by one goroutine (the session).
type Transport interface {
	// Send queues msg for writing. It blocks until the message is accepted
	// by the writer, ctx is done, or the transport ends; it returns ctx's
	// error or the transport's end reason in the latter cases. A message
	// accepted is written in order with the others. After the transport
	// ended because the peer sent something undecodable (Err matches
	// ErrProtocolViolation), Send still works until Close, so that the
	// session can answer with ABORT.
	Send(ctx context.Context, msg Message) error

	// SendEncoded queues frames, each one complete message already
	// serialized with the transport's serializer (see Serializer; package
	// codec's codec of that name), to be written in order, after every
	// message queued before and back to back, as Send would have written
	// the messages they encode. It blocks and fails as Send does. The
	// transport owns frames and their bytes from then on, and may write
	// them without checking them. A session uses it to write messages
	// whose payload it encoded ahead of time (codec.AppendSpliced); a
	// transport should write the frames of one call, and whatever else is
	// queued, with as few system calls as it can.
	SendEncoded(ctx context.Context, frames [][]byte) error

	// Receive returns the channel on which decoded messages arrive. It is
	// closed once the transport has ended and every decoded message has
	// been delivered or the transport was closed. A transport with a read
	// limit may deliver a *TooLarge in place of a message over it.
	Receive() <-chan Message

	// Close ends the transport, closing the underlying connection. It is
	// safe to call more than once and waits for the transport's goroutines
	// to exit. Its error is the first error seen closing the connection.
	Close() error

	// Done is closed once the transport has ended, for any reason.
	Done() <-chan struct{}

	// Err returns why the transport ended (nil while it runs). A transport
	// ended by Close reports ErrTransportClosed.
	Err() error

	// Serializer names the negotiated serializer, such as "json".
	Serializer() string
}
