package codec

import (
	"fmt"

	"github.com/wampgo/wampgo/internal/govalue"
)

// ValueError reports a Go value that Normalize could not convert to the
// closed value set: one without a payload form (it matches
// ErrUnsupportedValue), one nested deeper than DefaultMaxDepth (ErrTooDeep;
// a cyclic value ends this way), or one whose MarshalText method failed
// (it wraps that method's error). An encoder that meets such a value
// reports it inside an *EncodeError.
type ValueError struct {
	// Path locates the value inside the one given to Normalize: "" for the
	// value itself, "user.age", "[1].when", `["a b"][0]`. NormalizePayload
	// names paths from "args" and "kwargs" ("args[1]", "kwargs.user"). In
	// an encoder's *EncodeError the path starts at the value the encoder
	// converted: the foreign value (JSON, MessagePack) or the message's
	// list (CBOR).
	Path string
	// Reason says what is wrong, such as "chan int has no payload form".
	Reason string
	// Err is ErrUnsupportedValue, ErrTooDeep, or the error of a
	// MarshalText method.
	Err error
}

// Error returns "payload: path: reason" ("payload: reason" without a
// path).
func (e *ValueError) Error() string {
	if e.Path == "" {
		return "payload: " + e.Reason
	}
	return "payload: " + e.Path + ": " + e.Reason
}

// Unwrap returns Err.
func (e *ValueError) Unwrap() error { return e.Err }

// noPayloadForm is the *ValueError of a value of type t.
func noPayloadForm(t fmt.Stringer, why string) *ValueError {
	return &ValueError{Reason: t.String() + " has no payload form" + why, Err: ErrUnsupportedValue}
}

func tooDeepValue() *ValueError {
	return &ValueError{Reason: fmt.Sprintf("nested deeper than %d", DefaultMaxDepth), Err: ErrTooDeep}
}

// within prefixes the path of err, a *ValueError, with one step (see
// govalue.KeyStep and govalue.IndexStep).
func within(err error, step string) error {
	if e, ok := err.(*ValueError); ok {
		e.Path = step + e.Path
	}
	return err
}

// rooted turns the path of err, a *ValueError built of steps, into its root
// form prefixed by root ("" for Normalize's own value, "args", "kwargs").
func rooted(err error, root string) error {
	if e, ok := err.(*ValueError); ok {
		if root == "" {
			e.Path = govalue.RootPath(e.Path)
		} else {
			e.Path = root + e.Path
		}
	}
	return err
}
