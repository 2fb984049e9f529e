package codec

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/wampgo/wampgo/protocol"
)

// Causes a DecodeError may wrap; test for them with errors.Is. Other causes
// (a syntax error, a disallowed type) are plain errors described by their
// text.
var (
	// ErrMessageTooLarge: the input is longer than Limits.MaxMessageSize.
	// A transport may answer it with WebSocket close code 1009. It is
	// protocol.ErrMessageTooLarge, the value every transport's size
	// errors match.
	ErrMessageTooLarge = protocol.ErrMessageTooLarge
	// ErrDecodedTooLarge: the decoded message would hold more memory than
	// Limits.MaxDecodedSize. It matches ErrMessageTooLarge too.
	ErrDecodedTooLarge error = &wrapError{msg: "decoded message too large", err: ErrMessageTooLarge}
	// ErrTooDeep: lists and dicts nest deeper than Limits.MaxDepth.
	ErrTooDeep = errors.New("nesting too deep")
	// ErrTruncated: the input ends inside a value.
	ErrTruncated = errors.New("unexpected end of input")
	// ErrTrailingData: bytes follow the message's list.
	ErrTrailingData = errors.New("trailing data after message")
	// ErrInvalidUTF8: a string is not valid UTF-8.
	ErrInvalidUTF8 = errors.New("invalid UTF-8 in string")
	// ErrUnsupportedValue: Encode met a value outside the documented
	// types, or one its serializer cannot represent. It is wrapped by an
	// EncodeError, never a DecodeError.
	ErrUnsupportedValue = errors.New("unsupported value")
)

// DecodeError reports input that Decode rejected. It matches
// protocol.ErrProtocolViolation with errors.Is, and unwraps to its cause: one
// of the Err variables above, a *protocol.ValidationError when the bytes
// parsed but the message did not validate, or a plain error.
type DecodeError struct {
	// Codec is the codec's short name, such as "json".
	Codec string
	// Offset is the byte offset in the input at which the fault was
	// found, or -1 when the fault is not tied to a position (size limit,
	// validation) or the library did not report one (CBOR).
	Offset int
	// Err is the cause.
	Err error
}

func (e *DecodeError) Error() string {
	s := "wamp codec " + e.Codec + ": decode"
	if e.Offset >= 0 {
		s += " at offset " + strconv.Itoa(e.Offset)
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the cause.
func (e *DecodeError) Unwrap() error { return e.Err }

// Is reports whether target is protocol.ErrProtocolViolation.
func (e *DecodeError) Is(target error) bool { return target == protocol.ErrProtocolViolation }

// EncodeError reports a message that Encode could not serialize: one that
// does not validate (it wraps the *protocol.ValidationError), or one holding
// a value the serializer cannot carry (it wraps ErrUnsupportedValue).
type EncodeError struct {
	// Codec is the codec's short name, such as "json".
	Codec string
	// Err is the cause.
	Err error
}

func (e *EncodeError) Error() string { return "wamp codec " + e.Codec + ": encode: " + e.Err.Error() }

// Unwrap returns the cause.
func (e *EncodeError) Unwrap() error { return e.Err }

// errDuplicateKey: a dict holds a key twice.
var errDuplicateKey = errors.New("duplicate dict key")

// duplicateKey details errDuplicateKey.
func duplicateKey(k string) error {
	return &wrapError{msg: "duplicate dict key " + strconv.Quote(k), err: errDuplicateKey}
}

// wrapError is a cause with its own text that unwraps to a sentinel.
type wrapError struct {
	msg string
	err error
}

func (e *wrapError) Error() string { return e.msg }
func (e *wrapError) Unwrap() error { return e.err }

// unsupportedError details an ErrUnsupportedValue.
type unsupportedError struct{ what string }

func (e *unsupportedError) Error() string { return "unsupported value: " + e.what }
func (e *unsupportedError) Unwrap() error { return ErrUnsupportedValue }

func unsupported(what string) error { return &unsupportedError{what} }

// unsupportedType reports a value whose Go type is outside the closed set.
func unsupportedType(v any) error { return unsupported(fmt.Sprintf("type %T", v)) }

// errLengthExceedsEnd: a header declares more than the input holds.
var errLengthExceedsEnd error = &wrapError{msg: "declared length exceeds the input", err: ErrTruncated}

// errInvalidUTF8Value: Encode refuses a string that is not valid UTF-8.
var errInvalidUTF8Value = unsupported("string that is not valid UTF-8")

// ErrHeadUnreadable matches every failure of ReadHead.
var ErrHeadUnreadable = errors.New("message head unreadable")
