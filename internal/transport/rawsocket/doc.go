// Package rawsocket carries WAMP messages over RawSocket
// (advanced/transport_rawsocket.md): WAMP's own length-prefixed framing
// straight on a stream, TCP, TLS or a Unix domain socket. Dial opens a
// client connection from an rs://, rss://, tcp://, tcps:// or unix:// URL;
// Client and Server run the handshake on a stream of the caller's; a
// Listener serves the router's side. All return a *Conn implementing
// protocol.Transport with the semantics of package wsconn's connections.
//
// # Handshake
//
// The client sends four octets: the magic 0x7F, its maximum message length
// (2^(9+n) octets, n in 0..15) and serializer (JSON 1, MessagePack 2, CBOR
// 3), and two reserved zero octets. The router echoes the serializer with
// its own maximum length, or replies with an error code, which Dial
// returns as a *HandshakeError matching ErrSerializerUnsupported,
// ErrMaxLengthUnacceptable, ErrReservedBits or ErrConnectionLimit. A reply
// that breaks the protocol matches ErrBadHandshake.
//
// # Framing and limits
//
// Each frame is a 4-octet prefix (reserved bits, a type: message, PING or
// PONG, and a 24-bit length, with a 25th bit for exactly 16 MiB) and the
// payload. Each side announces in the handshake the longest message it
// accepts: Send refuses a longer message whole (ErrMessageTooLarge, nothing
// written, the connection stays up). A message frame over our own limit is
// read through in bounded memory (its length is in its prefix) and
// delivered as a *protocol.TooLarge with the type and ids of its head, so
// that the session fails only the operation it belongs to; a PING or PONG
// over it, or a message whose head cannot be read, ends the read side
// with an error matching ErrMessageTooLarge and
// protocol.ErrProtocolViolation. Every PING is answered with a PONG echoing
// its payload; with PingInterval set, keepalive PINGs detect a dead peer
// (ErrPingTimeout) as wsconn's do.
//
// # Errors
//
// A running connection ends with one cause, reported by Conn.Err:
//
//   - protocol.ErrTransportClosed: the owner called Close;
//   - ErrPeerClosed: the peer closed the stream between frames;
//   - ErrPingTimeout: the peer stopped answering keepalive PINGs;
//   - an error matching protocol.ErrProtocolViolation: a malformed frame
//     (ErrBadFrame), a frame over the limit that cannot be delivered as a
//     *protocol.TooLarge (ErrMessageTooLarge) or an
//     undecodable message; see Conn for what still works then;
//   - otherwise a network error, wrapped.
package rawsocket
