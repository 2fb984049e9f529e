package client_test

import (
	"errors"
	"fmt"
	"io"
	"testing"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

// Every error type a user may want to match has a sentinel that
// errors.Is finds on a value of the type, wrapped or not, and the type
// matches no other type's sentinel.
func TestErrorTypesMatchTheirSentinels(t *testing.T) {
	abort := &client.AbortError{Reason: "wamp.error.not_authorized", Details: protocol.Dict{}}
	cases := []struct {
		name     string
		err      error
		sentinel error
	}{
		{"AbortError", abort, client.ErrAborted},
		{"GoodbyeError", &client.GoodbyeError{Reason: "wamp.close.system_shutdown"}, client.ErrGoodbye},
		{"SlowConsumerError", &client.SlowConsumerError{Topic: "t", Subscription: 1, Publication: 2, Dropped: 1}, client.ErrSlowConsumer},
		{"HandlerPanicError", &client.HandlerPanicError{Value: "boom"}, client.ErrHandlerPanic},
		{"RestoreError", &client.RestoreError{Kind: "registration", URI: "p", Attempt: 1, Err: errors.New("refused")}, client.ErrRestoreFailed},
		{"ArgumentError", &client.ArgumentError{Op: "Call", Arg: "procedure", Reason: "empty"}, client.ErrInvalidArgument},
		{"AuthError", &client.AuthError{Method: "ticket", Err: abort}, client.ErrAuthentication},
		{"InterruptError", &client.InterruptError{Mode: client.CancelKill}, client.ErrInterrupted},
		{"MessageTooLargeError", &client.MessageTooLargeError{Type: protocol.TypeResult, Size: 2, Limit: 1}, client.ErrMessageTooLarge},
		{"StreamReadError", &client.StreamReadError{Err: io.ErrUnexpectedEOF}, client.ErrStreamRead},
		{"PassthruError", &client.PassthruError{Op: "Call", Err: client.ErrPassthruPayload}, client.ErrPassthruPayload},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if !errors.Is(tc.err, tc.sentinel) {
				t.Errorf("errors.Is(%v, %v) = false", tc.err, tc.sentinel)
			}
			if w := fmt.Errorf("op: %w", tc.err); !errors.Is(w, tc.sentinel) {
				t.Errorf("errors.Is(wrapped %v, %v) = false", tc.err, tc.sentinel)
			}
			for _, other := range cases {
				if other.sentinel == tc.sentinel || tc.name == "AuthError" && other.name == "AbortError" {
					continue // an *AuthError may wrap the router's *AbortError
				}
				if errors.Is(tc.err, other.sentinel) {
					t.Errorf("%s matches %v, the sentinel of %s", tc.name, other.sentinel, other.name)
				}
			}
		})
	}
}

// An *AuthError for the router's refusal matches ErrAborted through the
// *AbortError it wraps; one the client ended itself does not.
func TestAuthErrorMatchesErrAbortedOnlyForARefusal(t *testing.T) {
	refused := &client.AuthError{Method: "ticket", Err: &client.AbortError{Reason: "wamp.error.not_authorized"}}
	if !errors.Is(refused, client.ErrAborted) {
		t.Errorf("%v does not match ErrAborted", refused)
	}
	local := &client.AuthError{Method: "ticket", Err: client.ErrAuthMethodNotOffered}
	if errors.Is(local, client.ErrAborted) {
		t.Errorf("%v matches ErrAborted", local)
	}
}
