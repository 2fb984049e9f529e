// Package wsconn carries WAMP messages over WebSocket: Dial opens a client
// connection, Accept serves one, and both return a *Conn implementing
// protocol.Transport.
//
// Dial runs its own lean client by default: the HTTP/1.1 upgrade and the
// client side of RFC 6455 framing (internal/transport/wsframe), which hold
// no buffer while the connection idles. Accept, and Dial with an
// HTTPClient, compression or an HTTP proxy, use github.com/coder/websocket.
// Both run on the skeleton RawSocket shares (internal/transport/connstate):
// one reader goroutine, the writer, keepalive and the end state.
//
// # Serializers
//
// The WAMP serializer is negotiated as a WebSocket subprotocol
// ("wamp.2.json", "wamp.2.msgpack", "wamp.2.cbor"): the client offers its
// codecs in order of preference and the server selects one. JSON travels in
// text frames, the binary serializers in binary frames; a frame of the other
// type is a protocol violation.
//
// # Errors
//
// Dial and Accept return a *NegotiationError when no subprotocol is agreed.
// A running connection ends with one cause, reported by Conn.Err:
//
//   - protocol.ErrTransportClosed: the owner called Close;
//   - a *CloseError: the peer sent a close frame (its code and reason);
//   - ErrPingTimeout: the peer stopped answering keepalive pings;
//   - an error matching ErrMessageTooLarge (and
//     protocol.ErrProtocolViolation): the peer sent a message over the read
//     limit whose head cannot be read (one whose head can be read is
//     delivered as a *protocol.TooLarge, and the connection goes on);
//   - an error matching protocol.ErrProtocolViolation: a message could not
//     be decoded; see Conn for what still works then;
//   - otherwise a network error, wrapped.
package wsconn
