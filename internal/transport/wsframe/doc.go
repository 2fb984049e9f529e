// Package wsframe is the client side of RFC 6455 WebSocket framing, for
// wsconn's lean client: reading the messages a server sends (Reader), and
// writing masked frames (AppendHeader, Mask), plus the opening handshake's
// key and accept values (NewKey, AcceptKey).
//
// It holds no buffer for a connection's life: a Reader reads each frame
// header into a small fixed array and each message into a buffer sized to
// it (a pooled one for all but large messages), which it keeps only until
// the caller releases the message. It starts no goroutines.
//
// Bad input from the peer is reported as an error matching ErrBadFrame
// and protocol.ErrProtocolViolation (a frame that breaks RFC 6455), never
// a panic.
package wsframe
