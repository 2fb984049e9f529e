package meta

import (
	"errors"
	"fmt"

	"github.com/wampgo/wampgo/protocol"
)

// Errors for the ids the router does not know, matched (errors.Is) by the
// error of a procedure the router answered with the ERROR named; the
// error is also the router's *client.Error (errors.As).
var (
	ErrNoSuchSession      = errors.New("meta: no such session")
	ErrNoSuchRegistration = errors.New("meta: no such registration")
	ErrNoSuchSubscription = errors.New("meta: no such subscription")
)

// ErrBadPayload is matched (errors.Is) by the errors of results and events
// whose payload is not what the spec describes.
var ErrBadPayload = errors.New("meta: unexpected payload")

// PayloadError says which part of a meta result or event did not decode.
type PayloadError struct {
	URI    protocol.URI // the procedure or topic
	Path   string       // where in the payload, such as "args[0].authid"
	Reason string
}

func (e *PayloadError) Error() string {
	return fmt.Sprintf("meta: %s: %s: %s", e.URI, e.Path, e.Reason)
}

// Is makes a *PayloadError match ErrBadPayload.
func (e *PayloadError) Is(target error) bool { return target == ErrBadPayload }
