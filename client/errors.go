package client

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/wampgo/wampgo/actor"
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/internal/ppterr"
	"github.com/wampgo/wampgo/protocol"
)

// Sentinel errors, for use with errors.Is.
var (
	// ErrClosed matches every error caused by the session having ended; such
	// errors also wrap the reason the session ended (see Client.Err).
	ErrClosed = errors.New("wampgo: session closed")
	// ErrNotFound is returned by Unregister and Unsubscribe when there is no
	// registration or subscription to remove.
	ErrNotFound = errors.New("wampgo: not found")
	// ErrProtocolViolation matches every error reporting a message that
	// broke the protocol, ours or the router's.
	ErrProtocolViolation = protocol.ErrProtocolViolation
	// ErrCanceled matches a call completed because its context ended, and an
	// ERROR wamp.error.canceled.
	ErrCanceled = errors.New("wampgo: canceled")
	// ErrTimeout matches a call that ran out of its Timeout, locally or at
	// the router (ERROR wamp.error.timeout).
	ErrTimeout = errors.New("wampgo: timeout")
	// ErrNotSupported is returned when an option needs a feature that the
	// router did not announce in WELCOME.
	ErrNotSupported = errors.New("wampgo: feature not supported by the router")
)

// Sentinels of the error types, for errors.Is where the type's fields are
// not needed (errors.As gives them).
var (
	// ErrAborted matches every *AbortError: the router refused the join or
	// ended the session with ABORT.
	ErrAborted = errors.New("wampgo: router aborted the session")
	// ErrGoodbye matches every *GoodbyeError: the router closed the
	// session with GOODBYE.
	ErrGoodbye = errors.New("wampgo: router closed the session")
	// ErrSlowConsumer matches every *SlowConsumerError: an event dropped
	// because its subscription's mailbox was full.
	ErrSlowConsumer = errors.New("wampgo: slow consumer")
	// ErrHandlerPanic matches every *HandlerPanicError: a panic the client
	// recovered.
	ErrHandlerPanic = errors.New("wampgo: handler panic")
	// ErrRestoreFailed matches every *RestoreError: a registration or
	// subscription a rejoined session could not restore.
	ErrRestoreFailed = errors.New("wampgo: restore failed")
	// ErrStreamRead matches every *StreamReadError: CallStream's input
	// reader failed.
	ErrStreamRead = errors.New("wampgo: reading the stream's input failed")
)

// Error is an ERROR message from the router or a peer, or an error a
// handler returns to give its caller a specific URI and payload.
type Error struct {
	URI     protocol.URI
	Args    protocol.List
	Kwargs  protocol.Dict
	Details protocol.Dict
}

// NewError returns an *Error with the given URI and payload, for a handler
// to return.
func NewError(uri protocol.URI, args protocol.List, kwargs protocol.Dict) *Error {
	return &Error{URI: uri, Args: args, Kwargs: kwargs}
}

// Error formats the URI and the payload in a JSON-like form, for logs:
// `wamp error com.example.invalid_order: "qty must be positive" {"qty": -1}`.
// Strings the peer sent are quoted, so that no control character or line
// break from the network reaches a log through an error's text; a long
// payload is cut after about 1 KiB, marked with "…".
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("wamp error ")
	b.WriteString(quoteIfUnprintable(e.URI))
	writePayloadText(&b, e.Args, e.Kwargs)
	return b.String()
}

// Is lets errors.Is match the well-known URIs to the package's sentinels:
// wamp.error.canceled to ErrCanceled, wamp.error.timeout to ErrTimeout,
// wamp.error.payload_size_exceeded to ErrMessageTooLarge.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrCanceled:
		return e.URI == uriCanceled
	case ErrTimeout:
		return e.URI == uriTimeout
	case ErrMessageTooLarge:
		return e.URI == URIPayloadSizeExceeded
	}
	return false
}

// AbortError reports an ABORT from the router: a join that was refused, or
// a session the router ended.
type AbortError struct {
	Reason  protocol.URI
	Details protocol.Dict
	Args    protocol.List
	Kwargs  protocol.Dict
}

// Error gives the reason and the router's message, quoted (Go syntax).
// Is matches ErrAborted.
func (e *AbortError) Is(target error) bool { return target == ErrAborted }

func (e *AbortError) Error() string {
	s := "wampgo: router aborted the session: " + quoteIfUnprintable(e.Reason)
	if m, ok := e.Details["message"].(string); ok && m != "" {
		s += ": " + strconv.Quote(m)
	}
	return s
}

// Message returns the human-readable message the router gave, if any.
func (e *AbortError) Message() string {
	m, _ := e.Details["message"].(string)
	return m
}

// GoodbyeError is the end reason of a session the router closed with
// GOODBYE.
type GoodbyeError struct {
	Reason  protocol.URI
	Details protocol.Dict
}

// Is matches ErrGoodbye.
func (e *GoodbyeError) Is(target error) bool { return target == ErrGoodbye }

func (e *GoodbyeError) Error() string {
	return "wampgo: router closed the session: " + quoteIfUnprintable(e.Reason)
}

// SlowConsumerError reports an event dropped because its subscription's
// mailbox was full. It is passed to the error handler, not returned.
type SlowConsumerError struct {
	Topic        protocol.URI
	Subscription protocol.ID
	Publication  protocol.ID
	Dropped      uint64 // total dropped for this subscription so far
}

// Is matches ErrSlowConsumer.
func (e *SlowConsumerError) Is(target error) bool { return target == ErrSlowConsumer }

func (e *SlowConsumerError) Error() string {
	return fmt.Sprintf("wampgo: slow consumer: event %d on %q dropped (%d dropped so far)",
		e.Publication, e.Topic, e.Dropped)
}

// HandlerPanicError reports a panic the client recovered; it is the one
// panic type a user of this package matches (the actor and mailbox
// packages' PanicError never reaches the user). A handler's panic goes to
// the error handler and the session goes on (invocation handlers' callers
// receive ERROR wamp.error.runtime_error). A panic of the session loop
// itself, a bug in this package, is the session's end reason (Client.Err).
// It matches ErrHandlerPanic.
type HandlerPanicError struct {
	Value any    // the value passed to panic; it never leaves the process
	Stack []byte // the stack of the panicking goroutine
}

func (e *HandlerPanicError) Error() string { return fmt.Sprintf("wampgo: handler panic: %v", e.Value) }

// Is matches ErrHandlerPanic.
func (e *HandlerPanicError) Is(target error) bool { return target == ErrHandlerPanic }

// userPanic turns the panic types of the actor and mailbox packages into
// the *HandlerPanicError a user matches; other errors pass unchanged.
func userPanic(err error) error {
	if p, ok := err.(*actor.PanicError); ok {
		return &HandlerPanicError{Value: p.Value, Stack: p.Stack}
	}
	return err
}

// closedError wraps the session's end reason so that it matches both
// ErrClosed and the reason.
func closedError(reason error) error {
	if reason == nil || errors.Is(reason, ErrClosed) {
		if reason == nil {
			return ErrClosed
		}
		return reason
	}
	return fmt.Errorf("%w: %w", ErrClosed, reason)
}

// errorFromMessage builds the typed error for an ERROR message.
func errorFromMessage(m *protocol.Error) *Error {
	return &Error{URI: m.Error, Args: m.Args, Kwargs: m.Kwargs, Details: m.Details}
}

// Authentication errors, for use with errors.Is. Every error of a join that
// failed for authentication is an *AuthError and matches ErrAuthentication;
// the others say why. Package auth returns ErrRouterNotAuthenticated,
// ErrChannelBinding and ErrBadChallenge under the same names
// (auth.ErrBadChallenge is ErrBadChallenge).
var (
	// ErrAuthentication matches every *AuthError: a router that refused
	// the credentials (the *AuthError then wraps its *AbortError), and a
	// handshake the client itself ended.
	ErrAuthentication = errors.New("wampgo: authentication failed")
	// ErrAuthMethodNotOffered matches a CHALLENGE for a method the client
	// did not offer in HELLO.
	ErrAuthMethodNotOffered = errors.New("wampgo: router challenged for a method that was not offered")
	// ErrRouterNotAuthenticated matches a WELCOME whose proof of the
	// router's identity is missing or wrong (the WAMP-SCRAM verifier; see
	// RouterAuthenticator).
	ErrRouterNotAuthenticated = errors.New("wampgo: router failed to authenticate itself")
	// ErrChannelBinding matches a TLS channel binding that was asked for
	// but is not available on the connection, or that the router did not
	// confirm.
	ErrChannelBinding = errors.New("wampgo: TLS channel binding unavailable or refused")
	// ErrBadChallenge matches a CHALLENGE whose fields the method cannot
	// use (missing, malformed, or KDF costs outside auth.KDFLimits).
	ErrBadChallenge = errors.New("wampgo: unusable authentication challenge")
)

// ErrDraining matches the error of Subscribe and Register once Drain has
// begun.
var ErrDraining = errors.New("wampgo: client is draining")

// ErrInterrupted matches the cause of an invocation handler's context that
// ended because the dealer sent INTERRUPT: the caller canceled the call, or
// the dealer's own call timeout expired. Read it with context.Cause:
//
//	if errors.Is(context.Cause(ctx), client.ErrInterrupted) { … }
//
// The cause is an *InterruptError telling which.
var ErrInterrupted = errors.New("wampgo: call interrupted by the router")

// Errors of the join's defences, for use with errors.Is. Both come wrapped
// in an *AuthError.
var (
	// ErrTooManyChallenges matches a join the router kept challenging
	// after maxChallengeRounds (4) answered CHALLENGE messages.
	ErrTooManyChallenges = errors.New("wampgo: too many authentication challenges")
	// ErrPlaintextSecret matches a CHALLENGE for a method that reveals a
	// secret (ticket, WAMP-CRA) on a connection without TLS to a host that
	// is not loopback (see WithPlaintextSecrets).
	ErrPlaintextSecret = errors.New("wampgo: refusing to reveal a secret over a connection without TLS to a remote host")
)

// ErrMessageTooLarge matches every error about a message over a size
// limit: one from the router over our read limit (WithReadLimit; see
// *MessageTooLargeError), one of ours over the router's (RawSocket), and
// ERROR wamp.error.payload_size_exceeded, a callee's refusal of a call too
// large for it. It is codec.ErrMessageTooLarge.
var ErrMessageTooLarge = codec.ErrMessageTooLarge

// Errors of payload passthru, wrapped in a *PassthruError.
var (
	// ErrDecrypt: an encrypted payload failed authentication (wrong key,
	// tampered ciphertext) or names a key the KeyRing does not hold (the
	// error then also matches ErrUnknownKey).
	ErrDecrypt = ppterr.ErrDecrypt
	// ErrUnknownKey: the KeyRing (WithKeyRing) holds no key of that id.
	ErrUnknownKey = ppterr.ErrUnknownKey
	// ErrUnknownCipher: a ppt_cipher this package does not implement.
	ErrUnknownCipher = ppterr.ErrUnknownCipher
	// ErrPassthruPayload: a passthru payload of the wrong shape (not one
	// binary argument, not a {"args", "kwargs"} map in its serializer, an
	// unknown ppt_serializer), or arguments a native payload cannot carry.
	ErrPassthruPayload = errors.New("wampgo: invalid passthru payload")
)

// ErrSessionLost matches the error of every operation that was in flight
// when the connection of a reconnecting client died, and of operations
// refused while it reconnects (WhileDisconnected FailFast). The error also
// wraps the cause.
var ErrSessionLost = errors.New("wampgo: session lost")

// ErrGaveUp matches the end reason of a reconnecting client that stopped
// retrying; it wraps the last failure.
var ErrGaveUp = errors.New("wampgo: gave up reconnecting")

// ErrNotConnected matches the first StateRetrying's error and the end
// reasons of a client whose first connection failed (Reconnect.RetryOnFailedConnect); it wraps
// the failures.
var ErrNotConnected = errors.New("wampgo: not connected yet")

// ErrInvalidArgument matches the error of an operation refused because of
// an argument the caller gave (a malformed URI, an option out of range).
// Such an operation is refused in the caller's goroutine, before anything
// reaches the session or the router; the session is unaffected.
var ErrInvalidArgument = errors.New("wampgo: invalid argument")

// AuthError reports a join that failed for authentication. It matches
// ErrAuthentication with errors.Is; when the router refused the session, Err
// is its *AbortError (reachable with errors.As).
type AuthError struct {
	// Method is the authmethod concerned; empty when the router refused
	// before any method was chosen (for example, none it accepts was
	// offered).
	Method string
	// Err says what went wrong: the router's *AbortError, or the local
	// failure (matching ErrAuthMethodNotOffered, one of the sentinels of
	// package auth, or an error of an Authenticator).
	Err error
}

func (e *AuthError) Error() string {
	var b strings.Builder
	b.WriteString("wampgo: authentication")
	if e.Method != "" {
		b.WriteString(" (" + e.Method + ")")
	}
	b.WriteString(" failed")
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Err.
func (e *AuthError) Unwrap() error { return e.Err }

// Is reports whether target is ErrAuthentication.
func (e *AuthError) Is(target error) bool { return target == ErrAuthentication }

// InterruptError is the cause (context.Cause) of an invocation handler's
// context ended by INTERRUPT. It matches ErrInterrupted and
// context.Canceled; it also matches ErrTimeout when the dealer gave the
// call timeout as the reason, and ErrCanceled otherwise.
type InterruptError struct {
	// Mode is the cancel mode: CancelKill (the dealer waits for the
	// handler's answer and passes it on) or CancelKillNoWait (the answer is
	// discarded).
	Mode CancelMode
	// Reason is INTERRUPT.Options.reason when the dealer gave one, such as
	// wamp.error.timeout for its call timeout or wamp.error.canceled for a
	// caller's CANCEL; empty otherwise.
	Reason protocol.URI
	// Options is INTERRUPT.Options as received.
	Options protocol.Dict
}

func (e *InterruptError) Error() string {
	s := fmt.Sprintf("wampgo: call interrupted by the router (mode %s", e.Mode)
	if e.Reason != "" {
		s += ", reason " + e.Reason
	}
	return s + ")"
}

// Timeout reports whether the dealer interrupted the call because its
// timeout expired, rather than because the caller canceled it.
func (e *InterruptError) Timeout() bool { return e.Reason == uriTimeout }

// Is matches ErrInterrupted, and ErrTimeout or ErrCanceled by the reason.
func (e *InterruptError) Is(target error) bool {
	switch target {
	case ErrInterrupted:
		return true
	case ErrTimeout:
		return e.Timeout()
	case ErrCanceled:
		return !e.Timeout()
	}
	return false
}

// Unwrap returns context.Canceled: the handler's context was canceled, so
// a handler that returns the cause is answered as one that returns
// ctx.Err().
func (e *InterruptError) Unwrap() error { return context.Canceled }

// MessageTooLargeError reports a message from the router over the read
// limit (WithReadLimit) that the client read through and discarded. It
// matches ErrMessageTooLarge. A call whose RESULT or ERROR it was fails
// with it; for an EVENT it goes to the error handler (WithErrorHandler);
// for a session-level message (WELCOME, GOODBYE…) it is wrapped in the
// session's end reason, with ErrProtocolViolation.
type MessageTooLargeError struct {
	// Type is the discarded message's type, such as protocol.TypeResult.
	Type protocol.MessageType
	// Request is the request id of a RESULT, ERROR or INVOCATION.
	Request protocol.ID
	// Procedure is the procedure of the call a RESULT or ERROR answered,
	// or of the registration an INVOCATION was for, when known.
	Procedure protocol.URI
	// Topic, Subscription and Publication are an EVENT's.
	Topic                     protocol.URI
	Subscription, Publication protocol.ID
	// Size is the message's length in bytes, Limit the read limit.
	Size, Limit int64
	// Decoded reports a message within the read limit that would have
	// decoded to more memory than its codec allows; Limit is then that
	// bound (codec.Limits.MaxDecodedSize).
	Decoded bool
}

func (e *MessageTooLargeError) Error() string {
	what := e.Type.String()
	switch {
	case e.Procedure != "":
		what += fmt.Sprintf(" for %q", e.Procedure)
	case e.Topic != "":
		what += fmt.Sprintf(" %d on %q", e.Publication, e.Topic)
	}
	if e.Decoded {
		return fmt.Sprintf("wampgo: %s of %d bytes would decode to more than %d bytes (codec.Limits.MaxDecodedSize); discarded",
			what, e.Size, e.Limit)
	}
	return fmt.Sprintf("wampgo: %s of %d bytes is over the read limit of %d bytes (WithReadLimit); discarded",
		what, e.Size, e.Limit)
}

// Unwrap returns ErrMessageTooLarge.
func (e *MessageTooLargeError) Unwrap() error { return ErrMessageTooLarge }

// PassthruError is the failure to pack (Call, Publish, Yield) or unpack
// (Invocation, Event, Result, Error) a payload in passthru mode. It
// matches its Err's sentinels (ErrDecrypt, ErrUnknownKey, ErrUnknownCipher,
// ErrPassthruPayload, ErrNotSupported) with errors.Is. It never holds a key.
type PassthruError struct {
	Op       string
	Passthru Passthru
	Err      error
}

func (e *PassthruError) Error() string {
	p := e.Passthru
	return fmt.Sprintf("wampgo: %s: payload passthru (scheme %q, serializer %q, cipher %q, key id %q): %v",
		e.Op, p.Scheme, p.Serializer, p.Cipher, p.KeyID, e.Err)
}

func (e *PassthruError) Unwrap() error { return e.Err }

// ArgumentError reports a caller's bad argument. It matches
// ErrInvalidArgument only: unlike a malformed message from the router, it
// is not a protocol violation.
type ArgumentError struct {
	Op     string // the operation, such as "Call" or "Publish"; empty if unknown
	Arg    string // the argument, such as "procedure", "topic" or "option timeout"
	Reason string // what is wrong with it
	// Err is the codec's *codec.EncodeError for a payload the serializer
	// cannot carry, the *codec.ValueError for a Go value that has no
	// payload form (then Arg is its path, such as "args[1]"); nil otherwise.
	Err error
}

func (e *ArgumentError) Error() string {
	if e.Op == "" {
		return fmt.Sprintf("wampgo: invalid %s: %s", e.Arg, e.Reason)
	}
	return fmt.Sprintf("wampgo: %s: invalid %s: %s", e.Op, e.Arg, e.Reason)
}

// Is matches ErrInvalidArgument.
func (e *ArgumentError) Is(target error) bool { return target == ErrInvalidArgument }

// Unwrap returns Err.
func (e *ArgumentError) Unwrap() error { return e.Err }

// RestoreError reports a registration or subscription that a rejoined
// session could not restore: one report per failed attempt, to the error
// handler. While Retrying, the client tries again after the reconnect
// backoff and stays in StateRestoring; otherwise the registration or
// subscription has ended (its Done is closed) and Err says why.
type RestoreError struct {
	Kind     string       // "registration" or "subscription"
	URI      protocol.URI // the procedure or topic
	Attempt  int          // 1 for the first failure in this session
	Retrying bool         // it will be tried again
	Err      error        // the router's *Error, or why the request could not be sent
}

func (e *RestoreError) Error() string {
	what := "registration of "
	if e.Kind == "subscription" {
		what = "subscription to "
	}
	verdict := "given up"
	if e.Retrying {
		verdict = "retrying"
	}
	return fmt.Sprintf("wampgo: restoring %s%s after reconnect (attempt %d, %s): %v", what, e.URI, e.Attempt, verdict, e.Err)
}

func (e *RestoreError) Unwrap() error { return e.Err }

// Is matches ErrRestoreFailed; the router's refusal or the local failure
// is matched through Err.
func (e *RestoreError) Is(target error) bool { return target == ErrRestoreFailed }

// ErrStreamAbandoned is the cause with which a typed stream's call is
// canceled when its reader stops ranging over Items early.
var ErrStreamAbandoned = errors.New("wampgo: stream abandoned by its reader")

// ErrNoProgress matches the error of a stream write to a caller that did
// not ask for progressive results.
var ErrNoProgress = errors.New("wampgo: the caller did not ask for progressive results")

// ErrStreamChunk matches the error of a stream read that met a message
// that is not a chunk (its args[0] is not binary).
var ErrStreamChunk = errors.New("wampgo: stream message is not a binary chunk")

// StreamReadError is why CallStream canceled its call: the caller's
// io.Reader failed.
type StreamReadError struct{ Err error }

func (e *StreamReadError) Error() string {
	return "wampgo: reading the stream's input: " + e.Err.Error()
}

func (e *StreamReadError) Unwrap() error { return e.Err }

// Is matches ErrStreamRead; the reader's own error is matched through Err.
func (e *StreamReadError) Is(target error) bool { return target == ErrStreamRead }
