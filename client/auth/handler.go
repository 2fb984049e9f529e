package auth

import (
	"context"
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/protocol"
)

// ChallengeHandler returns an Authenticator for a method this package does
// not implement: fn answers each CHALLENGE for method with the AUTHENTICATE
// signature and extra dict. Put what the method needs in HELLO's authextra
// with client.WithAuthExtra. fn's errors end the join (see Authenticator);
// their text must hold no secret.
func ChallengeHandler(method string, fn func(ctx context.Context, ch *protocol.Challenge) (signature string, extra protocol.Dict, err error)) Authenticator {
	return &handlerAuth{method: method, fn: fn}
}

type handlerAuth struct {
	method string
	fn     func(context.Context, *protocol.Challenge) (string, protocol.Dict, error)
}

func (h *handlerAuth) Method() string            { return h.method }
func (h *handlerAuth) HelloExtra() protocol.Dict { return nil }
func (h *handlerAuth) Authenticate(ctx context.Context, ch *protocol.Challenge) (string, protocol.Dict, error) {
	if h.fn == nil {
		return "", nil, errors.New("no challenge handler function")
	}
	return h.fn(ctx, ch)
}
func (h *handlerAuth) VerifyWelcome(*protocol.Welcome) error { return nil }

// String, GoString and Format print "handler(method)": the method's name
// and nothing of the function.
func (h *handlerAuth) String() string             { return "handler(" + h.method + ")" }
func (h *handlerAuth) GoString() string           { return h.String() }
func (h *handlerAuth) Format(f fmt.State, _ rune) { fmt.Fprint(f, h.String()) }
