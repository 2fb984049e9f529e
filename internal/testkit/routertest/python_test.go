package routertest

import (
	"fmt"
	"strings"
	"testing"
)

func TestPythonPeerCannotConnect(t *testing.T) {
	res := RunPython(t, "typed_peer.py", "ws://127.0.0.1:1/ws", realm, "caller", "[]")
	res.RequireExit(t, 2)
	fatal := res.OfType(t, "fatal")
	if len(fatal) != 1 || !strings.Contains(fmt.Sprint(fatal[0]["message"]), "could not connect") {
		t.Fatalf("fatal lines %v\n%s", fatal, res)
	}
}

func TestPythonPeerServesUntilStopped(t *testing.T) {
	r := Start(t)
	p := StartPython(t, "typed_peer.py", r.URL(), realm, "callee")
	if ready := p.WaitReady(t); ready["role"] != "callee" {
		t.Fatalf("ready line %v", ready)
	}
	p.Stop()
	if !p.Exited() {
		t.Fatal("the peer still runs after Stop")
	}
}
