package wsconn

import "crypto/tls"

// TLSConnectionState returns the state of the TLS connection under c, and
// false when c does not run over TLS (ws://). For a dialed connection it is
// the state of the TLS handshake that carried the WebSocket opening
// handshake; for an accepted one, that of the hijacked *tls.Conn. The
// value's ExportKeyingMaterial works, so it serves for TLS channel binding
// (tls-unique, tls-exporter, tls-server-end-point). Safe to call from any
// goroutine.
func (c *Conn) TLSConnectionState() (tls.ConnectionState, bool) {
	if c.raw == nil {
		return tls.ConnectionState{}, false
	}
	if c.raw.tls != nil {
		return *c.raw.tls, true
	}
	if tc, ok := c.raw.ReadWriteCloser.(interface{ ConnectionState() tls.ConnectionState }); ok {
		return tc.ConnectionState(), true
	}
	return tls.ConnectionState{}, false
}
