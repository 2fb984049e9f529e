// Package routertest runs the real WAMP router and JavaScript peers that
// wampgo's interop tests talk to.
//
// The router is fox-wamp, started as `node testdata/router/server.js`; the
// peers are the scripts in testdata/peers (autobahn-js and wampy). Both need
// Node.js and the npm packages installed by `make router`. When they are
// missing, tests that ask for them are skipped with a hint to run
// `make router`, except when the CI environment variable is set: then they
// fail, because a skipped interop suite would hide a broken install.
//
// Typical use:
//
//	r := routertest.Start(t)
//	callee := routertest.StartNode(t, "autobahn_peer.js", r.URL(), "realm1", "callee")
//	callee.WaitReady(t)
//	res := routertest.RunNode(t, "autobahn_peer.js", r.URL(), "realm1", "caller", "com.peer.add2", "2", "3")
//	res.RequireExit(t, 0)
//	got := res.OfType(t, "result")[0]["args"]
//
// Every process is stopped by PID when the test ends (SIGTERM, then SIGKILL
// after a grace period) and reaped. The child processes also watch their
// stdin, which this package holds open: if the test binary dies without
// cleaning up, they exit on their own.
//
// See testdata/router/QUIRKS.md for how fox-wamp differs from the WAMP spec.
package routertest
