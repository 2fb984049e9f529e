package client

import (
	"context"
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// join runs the opening handshake on t: HELLO, then WELCOME or ABORT, with
// CHALLENGE and AUTHENTICATE rounds in between when WithAuth asks for
// authentication (see join_auth.go). It reads t.Receive directly: no session
// loop exists yet. addr is the URL t was dialled to, "" when unknown
// (Connect); the authentication policy looks at its host.
func join(ctx context.Context, t protocol.Transport, addr, realm string, cfg *config) (Session, error) {
	if !protocol.ValidURI(realm, false, false) {
		return Session{}, &ArgumentError{Arg: "realm", Reason: fmt.Sprintf("must be a valid URI, got %q", realm)}
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.joinTimeout)
	defer cancel()

	auth, err := startAuth(t, addr, cfg)
	if err != nil {
		return Session{}, err
	}
	details := protocol.Dict{}
	for k, v := range cfg.helloDetails {
		details[k] = v
	}
	details["roles"] = clientRoles
	if _, ok := details["agent"]; !ok {
		details["agent"] = "wampgo"
	}
	if err := auth.helloDetails(details); err != nil {
		return Session{}, err
	}
	if err := t.Send(ctx, &protocol.Hello{Realm: realm, Details: details}); err != nil {
		var ee *codec.EncodeError
		if errors.As(err, &ee) {
			// Only WithHelloDetails puts values of the caller's in HELLO.
			ae := encodeFailure("Connect", err)
			ae.Arg = "WithHelloDetails"
			return Session{}, ae
		}
		return Session{}, fmt.Errorf("wampgo: sending HELLO: %w", err)
	}
	for {
		select {
		case msg, ok := <-t.Receive():
			if !ok {
				err := t.Err()
				if errors.Is(err, protocol.ErrProtocolViolation) {
					abort(t, err) // undecodable: the connection still carries ABORT
					return Session{}, err
				}
				return Session{}, fmt.Errorf("wampgo: connection ended during join: %w", err)
			}
			switch m := msg.(type) {
			case *protocol.Welcome:
				if err := auth.welcome(m); err != nil {
					abortAuth(t, err)
					return Session{}, err
				}
				return sessionFromWelcome(realm, m), nil
			case *protocol.TooLarge:
				err := tooLargeSessionError(m)
				abort(t, err)
				return Session{}, err
			case *protocol.Abort:
				return Session{}, auth.abortError(&AbortError{Reason: m.Reason, Details: m.Details, Args: m.Args, Kwargs: m.Kwargs})
			case *protocol.Challenge:
				reply, err := auth.challenge(ctx, m)
				if err != nil {
					abortAuth(t, err)
					return Session{}, err
				}
				if err := t.Send(ctx, reply); err != nil {
					return Session{}, fmt.Errorf("wampgo: sending AUTHENTICATE: %w", err)
				}
			default:
				err := &protocol.ValidationError{Type: msg.Type(), Reason: "unexpected before WELCOME"}
				abort(t, err)
				return Session{}, err
			}
		case <-ctx.Done():
			return Session{}, fmt.Errorf("wampgo: waiting for WELCOME: %w", ctx.Err())
		}
	}
}

// abort sends ABORT wamp.error.protocol_violation for err, best effort.
func abort(t protocol.Transport, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), abortSendTimeout)
	defer cancel()
	t.Send(ctx, &protocol.Abort{
		Reason:  uriProtocolViolation,
		Details: protocol.Dict{"message": err.Error()},
	})
}
