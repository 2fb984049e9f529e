package client_test

import (
	"net"
	"path/filepath"
	"testing"

	"github.com/wampgo/wampgo/client/wamptest"
)

// The TestRealRouter… suite, which `make interop` runs against a router
// the user names, runs here against the test kit's router over every
// transport Dial speaks (ws://, rs://, unix://) and every serializer: the
// suite and its URL handling work over RawSocket in every `make test`,
// where no installable router speaks RawSocket, MessagePack or CBOR.
func TestInteropSuiteOverEveryTransport(t *testing.T) {
	router := wamptest.NewRouter()
	t.Cleanup(router.Close)
	rs, err := router.ListenRawSocket()
	if err != nil {
		t.Fatal(err)
	}
	sock := filepath.Join(t.TempDir(), "router.sock")
	ln, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan struct{})
	go func() {
		defer close(served)
		router.ServeRawSocket(ln)
	}()
	t.Cleanup(func() { ln.Close(); <-served })
	urls := []string{router.ListenWebSocket().URL(), rs.URL(), "unix://" + sock}

	for name, suite := range map[string]func(*testing.T, interopTarget){
		"RPC":                 testRealRouterRPC,
		"PubSub":              testRealRouterPubSub,
		"ManyConcurrentCalls": testRealRouterManyConcurrentCalls,
		"SessionMetaAndClose": testRealRouterSessionMetaAndClose,
		"CancelIsTolerated":   testRealRouterCancelIsTolerated,
	} {
		t.Run(name, func(t *testing.T) {
			forEachTargetAt(t, urls, interopRealm, func(t *testing.T, r interopTarget) {
				suite(t, r)
			})
		})
	}
}
