package client

// URIs the client itself sends or interprets.
const (
	uriCanceled           = "wamp.error.canceled"
	uriTimeout            = "wamp.error.timeout"
	uriProtocolViolation  = "wamp.error.protocol_violation"
	uriCloseNormal        = "wamp.close.normal"
	uriGoodbyeAndOut      = "wamp.close.goodbye_and_out"
	uriNoSuchRegistration = "wamp.error.no_such_registration"
	uriUnavailable        = "wamp.error.unavailable"
	uriInvalidArgument    = "wamp.error.invalid_argument"

	// URIRuntimeError is sent as the ERROR URI when an invocation handler
	// returns an error that is not an *Error, or panics; Args holds the
	// error's text, or "internal error" for a panic (WithPanicDetails).
	URIRuntimeError = "wamp.error.runtime_error"
)
