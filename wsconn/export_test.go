package wsconn

import (
	"context"
	"net"
)

// SetNetDial makes Dial's lean client open its connections with dial (for
// tests that run a WebSocket over net.Pipe, in a synctest bubble).
func SetNetDial(o *Options, dial func(ctx context.Context, network, addr string) (net.Conn, error)) {
	o.netDial = dial
}
