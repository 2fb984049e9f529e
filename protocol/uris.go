package protocol

// Well-known URIs of the Basic (basic/uri_reference.md) and Advanced
// (advanced/uris.md and the feature chapters) Profiles.
//
// Naming: every constant starts with "URI" so that none clashes with the
// package's Go error values: URIErr... for wamp.error.* (ERROR, ABORT
// reasons) and URIClose... for wamp.close.* (GOODBYE, ABORT reasons).
const (
	// Interaction (basic).
	URIErrInvalidURI             URI = "wamp.error.invalid_uri"
	URIErrNoSuchProcedure        URI = "wamp.error.no_such_procedure"
	URIErrProcedureAlreadyExists URI = "wamp.error.procedure_already_exists"
	URIErrNoSuchRegistration     URI = "wamp.error.no_such_registration"
	URIErrNoSuchSubscription     URI = "wamp.error.no_such_subscription"
	URIErrInvalidArgument        URI = "wamp.error.invalid_argument"
	URIErrCanceled               URI = "wamp.error.canceled"
	URIErrPayloadSizeExceeded    URI = "wamp.error.payload_size_exceeded"
	URIErrProtocolViolation      URI = "wamp.error.protocol_violation"

	// Authorization and authentication.
	URIErrNotAuthorized          URI = "wamp.error.not_authorized"
	URIErrAuthorizationFailed    URI = "wamp.error.authorization_failed"
	URIErrAuthorizationDenied    URI = "wamp.error.authorization_denied"
	URIErrAuthorizationRequired  URI = "wamp.error.authorization_required"
	URIErrNoSuchRealm            URI = "wamp.error.no_such_realm"
	URIErrNoSuchRole             URI = "wamp.error.no_such_role"
	URIErrNoSuchPrincipal        URI = "wamp.error.no_such_principal"
	URIErrNoMatchingAuthMethod   URI = "wamp.error.no_matching_auth_method"
	URIErrAuthenticationDenied   URI = "wamp.error.authentication_denied"
	URIErrAuthenticationFailed   URI = "wamp.error.authentication_failed"
	URIErrAuthenticationRequired URI = "wamp.error.authentication_required"

	// Advanced interaction.
	URIErrTimeout                    URI = "wamp.error.timeout"
	URIErrOptionNotAllowed           URI = "wamp.error.option_not_allowed"
	URIErrOptionDisallowedDiscloseMe URI = "wamp.error.option_disallowed.disclose_me"
	URIErrNetworkFailure             URI = "wamp.error.network_failure"
	URIErrUnavailable                URI = "wamp.error.unavailable"
	URIErrNoAvailableCallee          URI = "wamp.error.no_available_callee"
	URIErrFeatureNotSupported        URI = "wamp.error.feature_not_supported"
	URIErrNoSuchSession              URI = "wamp.error.no_such_session"

	// Session close reasons.
	URICloseNormal         URI = "wamp.close.normal"
	URICloseSystemShutdown URI = "wamp.close.system_shutdown"
	URICloseCloseRealm     URI = "wamp.close.close_realm"
	URICloseGoodbyeAndOut  URI = "wamp.close.goodbye_and_out"
	URICloseKilled         URI = "wamp.close.killed"
)
