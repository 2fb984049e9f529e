// Package scripted is a router peer for tests, driven step by step by the
// test itself: it receives exactly what the client sends, so tests can
// assert the wire form of every message, and sends whatever the test
// scripts, including messages a real router never would.
//
// Its behaviour follows the WAMP spec text (../shared/wamp-spec), not any
// router implementation.
package scripted

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// DefaultTimeout bounds each wait for a message from the client.
const DefaultTimeout = 5 * time.Second

// Router is the router side of one connection. Use it from the test's
// goroutine (or one goroutine at a time).
type Router struct {
	t       testing.TB
	tr      protocol.Transport
	Timeout time.Duration
}

// New wraps the router side of a transport pair.
func New(t testing.TB, tr protocol.Transport) *Router {
	return &Router{t: t, tr: tr, Timeout: DefaultTimeout}
}

// Transport returns the router side of the connection.
func (r *Router) Transport() protocol.Transport { return r.tr }

// Next returns the next message the client sent, failing the test if none
// arrives within Timeout or the connection ends.
func (r *Router) Next() protocol.Message {
	r.t.Helper()
	timer := time.NewTimer(r.Timeout)
	defer timer.Stop()
	select {
	case m, ok := <-r.tr.Receive():
		if !ok {
			r.t.Fatalf("scripted router: connection ended while waiting for a message: %v", r.tr.Err())
		}
		return m
	case <-timer.C:
		r.t.Fatalf("scripted router: no message from the client within %v", r.Timeout)
	}
	return nil
}

// Expect returns the next message, failing the test unless it is an M.
func Expect[M protocol.Message](r *Router) M {
	r.t.Helper()
	m := r.Next()
	got, ok := m.(M)
	if !ok {
		var want M
		r.t.Fatalf("scripted router: got %s %+v, want %T", m.Type(), m, want)
	}
	return got
}

// Send sends msg to the client, failing the test on error.
func (r *Router) Send(msg protocol.Message) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), r.Timeout)
	defer cancel()
	if err := r.tr.Send(ctx, msg); err != nil {
		r.t.Fatalf("scripted router: send %s: %v", msg.Type(), err)
	}
}

// WaitClosed waits until the connection has ended, failing the test if it
// does not within Timeout. Messages still arriving are returned.
func (r *Router) WaitClosed() []protocol.Message {
	r.t.Helper()
	timer := time.NewTimer(r.Timeout)
	defer timer.Stop()
	var rest []protocol.Message
	for {
		select {
		case m, ok := <-r.tr.Receive():
			if !ok {
				return rest
			}
			rest = append(rest, m)
		case <-timer.C:
			r.t.Fatalf("scripted router: connection still open after %v", r.Timeout)
		}
	}
}

// Roles is the WELCOME.Details.roles of a router with every feature the
// client may use. Pass it to Welcome, or build a narrower one with
// RolesWith.
func Roles() protocol.Dict {
	return RolesWith(
		[]string{"progressive_call_results", "progressive_call_invocations", "call_canceling",
			"call_timeout", "caller_identification", "pattern_based_registration",
			"shared_registration", "registration_revocation"},
		[]string{"publisher_exclusion", "publisher_identification", "subscriber_blackwhite_listing",
			"pattern_based_subscription", "subscription_revocation", "event_retention"},
	)
}

// RolesWith returns router roles announcing the given dealer and broker
// features.
func RolesWith(dealer, broker []string) protocol.Dict {
	f := func(names []string) protocol.Dict {
		d := protocol.Dict{}
		for _, n := range names {
			d[n] = true
		}
		return protocol.Dict{"features": d}
	}
	return protocol.Dict{"dealer": f(dealer), "broker": f(broker)}
}

// Welcome expects HELLO, answers WELCOME with the session id and roles,
// and returns the HELLO.
func (r *Router) Welcome(session protocol.ID, roles protocol.Dict) *protocol.Hello {
	r.t.Helper()
	h := Expect[*protocol.Hello](r)
	r.Send(&protocol.Welcome{Session: session, Details: protocol.Dict{
		"roles": roles, "authid": "anon", "authrole": "anonymous", "authmethod": "anonymous",
	}})
	return h
}

// Equal fails the test unless got deep-equals want, naming what.
func Equal(t testing.TB, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%s:\n got  %#v\n want %#v", what, got, want)
	}
}

// Describe formats a message for failure output.
func Describe(m protocol.Message) string { return fmt.Sprintf("%s %+v", m.Type(), m) }
