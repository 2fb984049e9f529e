package bench

import (
	"fmt"
	"io"

	"github.com/wampgo/wampgo/client/wamptest"
)

// KitRouterEnv is the environment variable that turns a process into the
// test kit's router for StartKitRouter (TestMain checks it).
const KitRouterEnv = "WAMPGO_BENCH_KIT_ROUTER"

// ServeKitRouter runs the test kit's router (wamptest, message log off) on
// a loopback WebSocket and RawSocket listener, writes their URLs to out as
// one line, "<ws URL> <rs URL>\n", and serves until in reaches end of file.
func ServeKitRouter(in io.Reader, out io.Writer) error {
	r := wamptest.NewRouter(wamptest.WithoutMessageLog())
	defer r.Close()
	rs, err := r.ListenRawSocket()
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(out, "%s %s\n", r.ListenWebSocket().URL(), rs.URL()); err != nil {
		return err
	}
	_, err = io.Copy(io.Discard, in)
	return err
}

// StartKitRouter starts exe (the running test binary) as the kit's router
// in a child process and returns it with its WebSocket and RawSocket URLs
// (RouterURL and EchoURL respectively).
func StartKitRouter(exe string) (*External, error) {
	x, urls, _, err := startChild(exe, KitRouterEnv, 2)
	if err != nil {
		return nil, err
	}
	x.RouterURL, x.EchoURL = urls[0], urls[1]
	return x, nil
}
