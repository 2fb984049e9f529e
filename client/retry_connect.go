package client

import (
	"context"
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// Retrying the first connection (Reconnect.RetryOnFailedConnect).
//
// Dial tries each router once. When every attempt fails for a reason that
// retrying may fix (the router is not up yet, the network is down), Dial
// with RetryOnFailedConnect returns a client anyway, in StateConnecting,
// and keeps trying in the background exactly as a reconnecting client that
// lost its session does, except that no StateLeft is reported (no session
// was lost): each attempt is reported as StateRetrying, whose Err is the
// previous failure (the first one's, Dial's), with the backoff,
// MaxAttempts and URLs of Reconnect; the first join as StateJoined, and
// logged as "joined". A call held meanwhile that ends for want of a
// session (its context, its Timeout), and Await ended by its context,
// wrap the last failure too. Until then operations wait for
// the session (or fail fast, per WhileDisconnected), Subscribe and Register
// included: what they set up is made once the session exists. Use
// WaitJoined to wait for it.
//
// Dial still fails at once when the failure cannot be fixed by retrying (an
// authentication failure, an ABORT such as wamp.error.no_such_realm, an
// invalid realm) or when its context has ended.

// ErrNotConnected matches the first StateRetrying's error and the end
// reasons of a client whose first connection failed (Reconnect.RetryOnFailedConnect); it wraps
// the failures.
var ErrNotConnected = errors.New("wampgo: not connected yet")

// retryFailedConnect returns a client that keeps trying to connect, when
// cfg asks for it and the failures errs allow it; nil otherwise.
func retryFailedConnect(ctx context.Context, realm string, cfg *config, errs []error) *Client {
	r := cfg.reconnect
	if r == nil || !r.RetryOnFailedConnect || ctx.Err() != nil || !protocol.ValidURI(realm, false, false) {
		return nil
	}
	for _, err := range errs {
		if permanent(err) {
			return nil
		}
	}
	cfg.connectErr = fmt.Errorf("%w: %w", ErrNotConnected, errors.Join(errs...))
	cfg.logger.Warn("wampgo: first connection failed; retrying in the background", "realm", realm, "err", cfg.connectErr)
	return start(nil, "", realm, Session{}, cfg)
}

// serializerOf names t's serializer; empty without a transport.
func serializerOf(t protocol.Transport) string {
	if t == nil {
		return ""
	}
	return t.Serializer()
}

// startCodec is the codec callers encode payloads with before the first
// message goes out: the transport's, or, while the first connection is
// still being retried, the serializer Dial prefers (a payload encoded with
// it is transcoded if the router picks another).
func startCodec(t protocol.Transport, cfg *config) codec.Codec {
	if t != nil {
		if cd, ok := cfg.codecFor(t.Serializer()); ok {
			return cd
		}
	}
	if len(cfg.codecs) > 0 {
		return cfg.codecs[0] // Dial's, with the read limit applied
	}
	return codec.Default()[0]
}
