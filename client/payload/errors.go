package payload

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
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
	// ErrUnsupported matches an EncodeError for a Go value that has no
	// payload form: a channel, a function, a complex number, a map whose
	// keys are not strings, integers or encoding.TextMarshaler.
	ErrUnsupported = errors.New("payload: unsupported Go value")
	// ErrTooDeep matches an EncodeError or DecodeError for a value nested
	// deeper than MaxDepth (a cyclic value ends this way too).
	ErrTooDeep = errors.New("payload: nested too deep")
)

// MaxDepth is how deeply lists, dicts, structs and pointers may nest in a
// value that Encode or Decode converts.
const MaxDepth = 64

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

// EncodeError reports a Go value that Encode could not convert. It matches
// ErrUnsupported or ErrTooDeep with errors.Is, and wraps the error of a
// MarshalText method.
type EncodeError struct {
	// Path locates the value inside the one given to Encode, as in
	// DecodeError ("" for the value itself).
	Path string
	// Reason says what is wrong, such as "chan int has no payload form".
	Reason string
	// Err is ErrUnsupported or ErrTooDeep, or the error of a MarshalText
	// method.
	Err error
}

// Error returns "payload: path: reason".
func (e *EncodeError) Error() string {
	if e.Path == "" {
		return "payload: " + e.Reason
	}
	return "payload: " + e.Path + ": " + e.Reason
}

// Unwrap returns Err.
func (e *EncodeError) Unwrap() error { return e.Err }

func mismatch(format string, a ...any) *DecodeError {
	return &DecodeError{Reason: fmt.Sprintf(format, a...), Err: ErrMismatch}
}

// within prefixes err's path with one step (see keyStep and indexStep).
// Errors that are not ours pass through unchanged.
func within(err error, step string) error {
	switch e := err.(type) {
	case *DecodeError:
		e.Path = join(step, e.Path)
	case *EncodeError:
		e.Path = join(step, e.Path)
	}
	return err
}

// join puts step before path. Every step starts with '.' or '[', so the
// steps concatenate.
func join(step, path string) string { return step + path }

// keyStep is the path step of a dict key: .name for identifier-like keys,
// ["key"] otherwise.
func keyStep(k string) string {
	if isIdent(k) {
		return "." + k
	}
	return "[" + strconv.Quote(k) + "]"
}

func indexStep(i int) string { return "[" + strconv.Itoa(i) + "]" }

// rootPath turns a path built by within (starting ".name" or "[i]") into
// the form shown at the top ("name", "[i]").
func rootPath(p string) string {
	if len(p) > 0 && p[0] == '.' {
		return p[1:]
	}
	return p
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '-'):
		default:
			return false
		}
	}
	return true
}

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
