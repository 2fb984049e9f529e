package payload

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/govalue"
)

// Sentinel errors, for use with errors.Is.
var (
	// ErrMismatch matches every DecodeError caused by a value that does
	// not fit its destination: a wrong kind, an integer out of range, a
	// float with a fraction where an integer is wanted, a list of the
	// wrong length, a missing value, a text an UnmarshalText method refused.
	ErrMismatch = errors.New("payload: value does not match the destination")
	// ErrInvalidDestination matches a DecodeError caused by the
	// destination itself: not a non-nil pointer, or a type no value can
	// decode into (a channel, a function, a map with unsupported keys).
	ErrInvalidDestination = errors.New("payload: invalid destination")
	// ErrTooDeep matches a DecodeError for a value nested deeper than
	// MaxDepth. It is codec.ErrTooDeep, which the *codec.ValueError of
	// codec.Normalize (and so of Pack) matches for a Go value nested too
	// deeply (a cyclic value ends this way too).
	ErrTooDeep = codec.ErrTooDeep
)

// MaxDepth is how deeply lists, dicts, structs and pointers may nest in a
// value that Decode converts (codec.DefaultMaxDepth, Normalize's limit).
const MaxDepth = codec.DefaultMaxDepth

// DecodeError reports why a value could not be decoded into a destination.
// It matches ErrMismatch, ErrInvalidDestination or ErrTooDeep with
// errors.Is, and wraps the error of an UnmarshalText method.
type DecodeError struct {
	// Path locates the value: "args[1].user.age", "kwargs.tags[2]", or for
	// Decode a path relative to its value ("user.age"; "" for the value
	// itself).
	Path string
	// Reason says what is wrong, such as "2.5 is not an integer".
	Reason string
	// Err is ErrMismatch, ErrInvalidDestination or ErrTooDeep, possibly
	// joined with the error of an UnmarshalText method.
	Err error
}

// Error returns "path: reason".
func (e *DecodeError) Error() string {
	if e.Path == "" {
		return "payload: " + e.Reason
	}
	return e.Path + ": " + e.Reason
}

// Unwrap returns Err.
func (e *DecodeError) Unwrap() error { return e.Err }

func mismatch(format string, a ...any) *DecodeError {
	return &DecodeError{Reason: fmt.Sprintf(format, a...), Err: ErrMismatch}
}

// within prefixes err's path with one step (see keyStep and indexStep).
// Errors that are not ours pass through unchanged.
func within(err error, step string) error {
	if e, ok := err.(*DecodeError); ok {
		e.Path = join(step, e.Path)
	}
	return err
}

// join puts step before path. Every step starts with '.' or '[', so the
// steps concatenate.
func join(step, path string) string { return step + path }

// keyStep, indexStep and rootPath write paths as codec.Normalize does
// (package govalue).
func keyStep(k string) string  { return govalue.KeyStep(k) }
func indexStep(i int) string   { return govalue.IndexStep(i) }
func rootPath(p string) string { return govalue.RootPath(p) }

// describe names a value of the value set for error reasons: its kind, and
// for scalars the value itself (long strings and binaries shortened).
func describe(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool " + strconv.FormatBool(v)
	case int64:
		return "integer " + strconv.FormatInt(v, 10)
	case uint64:
		return "integer " + strconv.FormatUint(v, 10)
	case float64:
		return "float " + strconv.FormatFloat(v, 'g', -1, 64)
	case string:
		if len(v) > 32 {
			cut := 32
			for cut > 0 && !utf8.RuneStart(v[cut]) {
				cut--
			}
			return "string " + strconv.Quote(v[:cut]) + "..."
		}
		return "string " + strconv.Quote(v)
	case []byte:
		return fmt.Sprintf("binary of %d bytes", len(v))
	case []any:
		return fmt.Sprintf("list of %d", len(v))
	case map[string]any:
		return fmt.Sprintf("dict of %d", len(v))
	}
	return fmt.Sprintf("%T", v)
}
