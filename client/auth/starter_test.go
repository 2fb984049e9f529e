package auth_test

import (
	"context"
	"crypto/ed25519"
	"crypto/tls"
	"errors"
	"testing"

	"github.com/wampgo/wampgo/client/auth"
	"github.com/wampgo/wampgo/protocol"
)

// fakeConn is an auth.Conn of the test's making: Starter needs no client.
type fakeConn struct {
	authid string
	tls    *tls.ConnectionState // nil: no TLS
}

func (c fakeConn) AuthID() string { return c.authid }

func (c fakeConn) TLSConnectionState() (tls.ConnectionState, bool) {
	if c.tls == nil {
		return tls.ConnectionState{}, false
	}
	return *c.tls, true
}

// TestAuthStarterSeesConn drives SCRAM's per-join instance directly: its
// channel binding data comes from the Conn it was started with.
func TestAuthStarterSeesConn(t *testing.T) {
	a := auth.SCRAM("pencil", auth.BindChannel(auth.TLSUnique))
	starter, ok := a.(auth.Starter)
	if !ok {
		t.Fatal("SCRAM is not an auth.Starter")
	}
	unique := []byte("tls-unique of the fake connection")
	j, err := starter.Start(fakeConn{authid: "user", tls: &tls.ConnectionState{TLSUnique: unique}})
	if err != nil {
		t.Fatal(err)
	}
	srv := newSCRAMServer("pencil", "pbkdf2", 4096, 0)
	hello := &protocol.Hello{Realm: "realm1", Details: protocol.Dict{"authid": "user", "authextra": j.HelloExtra()}}
	ch, first := srv.challenge(t, hello)
	sig, extra, err := j.Authenticate(context.Background(), ch)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := srv.verify(t, first, &protocol.Authenticate{Signature: sig, Extra: extra}, "p=tls-unique,,"+string(unique)); !ok {
		t.Fatal("ClientProof does not verify with the Conn's tls-unique")
	}

	for name, tc := range map[string]struct {
		a    auth.Authenticator
		conn auth.Conn
		want error
	}{
		"scram binding without TLS":      {a, fakeConn{authid: "user"}, auth.ErrChannelBinding},
		"scram without authid":           {a, fakeConn{tls: &tls.ConnectionState{TLSUnique: unique}}, nil},
		"cryptosign binding without TLS": {auth.Cryptosign(ed25519.NewKeyFromSeed(make([]byte, 32)), auth.BindChannel(auth.TLSExporter)), fakeConn{}, auth.ErrChannelBinding},
	} {
		_, err := tc.a.(auth.Starter).Start(tc.conn)
		if err == nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: Start = %v, want an error matching %v", name, err, tc.want)
		}
	}
}
