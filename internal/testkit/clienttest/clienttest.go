// Package clienttest is the test harness of package client and its
// subpackages: a client.Connect run on a goroutine of its own against a
// scripted router (package scripted) over an in-memory pipe (package
// memconn) or RawSocket on a net.Pipe (Transport), cleaned up when the
// test ends.
//
// Joined covers the common case, a client joined with every router
// feature; Start leaves the handshake to the test (authentication, ABORT,
// garbage instead of WELCOME). Both work inside a testing/synctest bubble
// when given the bubble's *testing.T.
package clienttest

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/internal/transport/memconn"
	"github.com/wampgo/wampgo/protocol"
)

// Session is the session id that Welcome and Joined give.
const Session protocol.ID = 4242

// Setup describes the connection of a Join. The zero value is a JSON pipe
// whose messages travel by pointer and a router with every feature.
type Setup struct {
	// Codec, when set, makes the pipe encode and decode every message with
	// it, as a network would (memconn.PipeCodec), so that Join.Raw can
	// inject frames; nil passes messages by pointer (memconn.Pipe "json").
	// A RawSocket Transport ignores it.
	Codec codec.Codec
	// Transport chooses the connection (default: the in-memory pipe).
	Transport Transport
	// Roles are WELCOME.Details.roles for Welcome and Joined (default
	// scripted.Roles()).
	Roles protocol.Dict
}

// Join is one client.Connect running against a scripted router. Use it
// from the test's goroutine.
type Join struct {
	// Router is the scripted router on the other end of the pipe.
	Router *scripted.Router
	// Raw is the router's end of the pipe, for SendRaw and Fail; nil over
	// RawSocket, where Router.Transport() is a *rawsocket.Conn.
	Raw *memconn.Conn

	t     testing.TB
	roles protocol.Dict
	out   chan result // written once by the Connect goroutine
	done  bool        // Wait has returned
	res   result
	stop  sync.Once
}

type result struct {
	c   *client.Client
	err error
}

// Start runs client.Connect to "realm1" with opts against a scripted
// router on a JSON pipe. The test then plays the router's side through
// j.Router and collects the result with Wait.
func Start(t testing.TB, opts ...client.Option) *Join {
	t.Helper()
	return StartWith(t, Setup{}, opts...)
}

// StartWith is Start on the connection s describes.
func StartWith(t testing.TB, s Setup, opts ...client.Option) *Join {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), scripted.DefaultTimeout)
	defer cancel()
	ct, rt, err := s.Transport.connect(ctx, s.Codec)
	if err != nil {
		t.Fatal(err)
	}
	return StartOn(t, ct, rt, s.Roles, opts...)
}

// StartOn is Start over a transport pair of the caller's (ct the client's
// end, rt the router's), such as a wss:// connection; Raw is nil unless rt
// is a *memconn.Conn. roles nil means scripted.Roles().
func StartOn(t testing.TB, ct, rt protocol.Transport, roles protocol.Dict, opts ...client.Option) *Join {
	t.Helper()
	if roles == nil {
		roles = scripted.Roles()
	}
	j := &Join{Router: scripted.New(t, rt), t: t, roles: roles, out: make(chan result, 1)}
	j.Raw, _ = rt.(*memconn.Conn)
	go func() {
		c, err := client.Connect(context.Background(), ct, "realm1", opts...)
		j.out <- result{c, err}
	}()
	t.Cleanup(j.Stop)
	return j
}

// Wait returns what Connect returned, failing the test if it does not
// return within the router's timeout. Later calls return the same.
func (j *Join) Wait() (*client.Client, error) {
	j.t.Helper()
	if !j.done {
		timer := time.NewTimer(j.Router.Timeout)
		defer timer.Stop()
		select {
		case j.res = <-j.out:
			j.done = true
		case <-timer.C:
			j.t.Fatalf("clienttest: Connect did not return within %v", j.Router.Timeout)
		}
	}
	return j.res.c, j.res.err
}

// Welcome expects HELLO, answers WELCOME (session Session, the Setup's
// roles), and returns the joined client and the HELLO, failing the test
// if Connect fails.
func (j *Join) Welcome() (*client.Client, *protocol.Hello) {
	j.t.Helper()
	hello := j.Router.Welcome(Session, j.roles)
	c, err := j.Wait()
	if err != nil {
		j.t.Fatalf("clienttest: Connect: %v", err)
	}
	return c, hello
}

// Stop ends the join: it closes the router's end (so no GOODBYE
// handshake is waited for), then closes the client, if Connect returned
// one, and waits for its end. It runs when the test ends; calling it
// earlier, any number of times, is safe.
func (j *Join) Stop() {
	j.stop.Do(func() {
		j.Router.Transport().Close()
		if !j.done {
			// Connect ends with the connection; wait for it so that no
			// goroutine outlives the test.
			timer := time.NewTimer(j.Router.Timeout)
			defer timer.Stop()
			select {
			case j.res = <-j.out:
				j.done = true
			case <-timer.C:
				j.t.Errorf("clienttest: Connect did not return within %v of the connection's end", j.Router.Timeout)
				return
			}
		}
		if c := j.res.c; c != nil {
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			c.Close(ctx)
			<-c.Done()
		}
	})
}

// Joined returns a client joined to a scripted router with every feature
// over a JSON pipe; both are closed when the test ends.
func Joined(t testing.TB, opts ...client.Option) (*client.Client, *scripted.Router) {
	t.Helper()
	j := Start(t, opts...)
	c, _ := j.Welcome()
	return c, j.Router
}

// JoinedWith is Joined on the connection s describes; the Join gives the
// router and, with a Codec, the raw end of the pipe.
func JoinedWith(t testing.TB, s Setup, opts ...client.Option) (*client.Client, *Join) {
	t.Helper()
	j := StartWith(t, s, opts...)
	c, _ := j.Welcome()
	return c, j
}
