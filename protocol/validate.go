package protocol

import (
	"fmt"
	"reflect"
)

// Validate reports whether msg is a valid WAMP message, returning a
// *ValidationError for the first rule it breaks:
//
//   - ids lie in [1, MaxID], except the Request of the revocation form of
//     UNSUBSCRIBED and UNREGISTERED, which is 0;
//   - URIs follow the loose rule of ValidURI; a SUBSCRIBE or REGISTER with
//     Options.match "wildcard" may have empty components, one with "prefix"
//     an empty last component;
//   - ERROR.RequestType is a request that ERROR can answer;
//   - the Options, Details and Extra keys the spec defines have the right
//     types and values (unknown keys are allowed);
//   - a passthru payload is set only in payload passthru mode and alone.
//
// ToList and FromList call Validate; it is exported for callers that want
// to check a message without converting it.
func Validate(msg Message) error {
	if msg == nil {
		return invalid(0, "", "nil message")
	}
	if rv := reflect.ValueOf(msg); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return invalid(msg.Type(), "", "nil message")
	}
	return validate(msg, passthruUnknown)
}

// validate is Validate for a non-nil msg. mode is the payload passthru mode
// of msg's Options or Details when the caller knows it (FromList, from
// decode), else passthruUnknown.
func validate(msg Message, mode passthruMode) error {
	v := &validator{t: msg.Type(), mode: mode}
	switch m := msg.(type) {
	case *Hello:
		v.uri("Realm", m.Realm)
		v.dict("Details", m.Details, helloDetails)
	case *Welcome:
		v.id("Session", m.Session)
		v.dict("Details", m.Details, welcomeDetails)
	case *Abort:
		v.dict("Details", m.Details, abortDetails)
		v.uri("Reason", m.Reason)
		v.payload(m.Payload, "Details", m.Details)
	case *Challenge:
		if m.AuthMethod == "" {
			v.fail("AuthMethod", "must not be empty")
		}
		v.dict("Extra", m.Extra, challengeExtra)
	case *Authenticate:
		v.dict("Extra", m.Extra, nil)
	case *Goodbye:
		v.dict("Details", m.Details, goodbyeDetails)
		v.uri("Reason", m.Reason)
	case *Error:
		if !m.RequestType.errorAnswerable() {
			v.fail("RequestType", fmt.Sprintf("must be a request type ERROR can answer, got %d (%s)",
				int(m.RequestType), m.RequestType))
		}
		v.id("Request", m.Request)
		v.dict("Details", m.Details, errorDetails)
		v.uri("Error", m.Error)
		v.payload(m.Payload, "Details", m.Details)
	case *Publish:
		v.id("Request", m.Request)
		v.dict("Options", m.Options, publishOptions)
		v.uri("Topic", m.Topic)
		v.payload(m.Payload, "Options", m.Options)
	case *Published:
		v.id("Request", m.Request)
		v.id("Publication", m.Publication)
	case *Subscribe:
		v.id("Request", m.Request)
		v.dict("Options", m.Options, subscribeOptions)
		v.patternURI("Topic", m.Topic, m.Options)
	case *Subscribed:
		v.id("Request", m.Request)
		v.id("Subscription", m.Subscription)
	case *Unsubscribe:
		v.id("Request", m.Request)
		v.id("Subscription", m.Subscription)
	case *Unsubscribed:
		v.revocable(m.Request, m.Details, "subscription", unsubscribedDetails)
	case *Event:
		v.id("Subscription", m.Subscription)
		v.id("Publication", m.Publication)
		v.dict("Details", m.Details, eventDetails)
		v.payload(m.Payload, "Details", m.Details)
	case *Call:
		v.id("Request", m.Request)
		v.dict("Options", m.Options, callOptions)
		v.uri("Procedure", m.Procedure)
		v.payload(m.Payload, "Options", m.Options)
	case *Cancel:
		v.id("Request", m.Request)
		v.dict("Options", m.Options, cancelOptions)
	case *Result:
		v.id("Request", m.Request)
		v.dict("Details", m.Details, resultDetails)
		v.payload(m.Payload, "Details", m.Details)
	case *Register:
		v.id("Request", m.Request)
		v.dict("Options", m.Options, registerOptions)
		v.patternURI("Procedure", m.Procedure, m.Options)
	case *Registered:
		v.id("Request", m.Request)
		v.id("Registration", m.Registration)
	case *Unregister:
		v.id("Request", m.Request)
		v.id("Registration", m.Registration)
	case *Unregistered:
		v.revocable(m.Request, m.Details, "registration", unregisteredDetails)
	case *Invocation:
		v.id("Request", m.Request)
		v.id("Registration", m.Registration)
		v.dict("Details", m.Details, invocationDetails)
		v.payload(m.Payload, "Details", m.Details)
	case *Interrupt:
		v.id("Request", m.Request)
		v.dict("Options", m.Options, interruptOptions)
	case *Yield:
		v.id("Request", m.Request)
		v.dict("Options", m.Options, yieldOptions)
		v.payload(m.Payload, "Options", m.Options)
	default:
		return invalid(v.t, "", fmt.Sprintf("unsupported message implementation %T", msg))
	}
	if v.err != nil {
		return v.err
	}
	return nil
}

// errorRequestTypes are the requests an ERROR may answer, indexed by code.
var errorRequestTypes = [maxType + 1]bool{
	TypeSubscribe: true, TypeUnsubscribe: true, TypePublish: true,
	TypeRegister: true, TypeUnregister: true, TypeCall: true,
	TypeInvocation: true, TypeCancel: true,
}

// errorAnswerable reports whether an ERROR may answer a request of type t.
func (t MessageType) errorAnswerable() bool {
	return t >= 0 && t <= maxType && errorRequestTypes[t]
}

// validator checks the fields of one message, keeping the first error.
type validator struct {
	t    MessageType
	err  *ValidationError
	mode passthruMode // of the message's Options or Details; passthruUnknown until computed
}

func (v *validator) fail(field, reason string) {
	if v.err == nil {
		v.err = invalid(v.t, field, reason)
	}
}

func (v *validator) id(field string, id ID) {
	if !validID(id) {
		v.fail(field, idReason(id))
	}
}

func (v *validator) uri(field string, uri URI) {
	if !ValidURI(uri, false, false) {
		v.fail(field, fmt.Sprintf("must be a valid URI, got %q", uri))
	}
}

// patternURI checks the Topic or Procedure of SUBSCRIBE or REGISTER
// against the rule of its match policy.
func (v *validator) patternURI(field string, uri URI, opts Dict) {
	var ok bool
	switch opts["match"] {
	case MatchWildcard:
		ok = ValidURI(uri, false, true)
	case MatchPrefix:
		ok = validPrefixURI(uri, false)
	default:
		ok = ValidURI(uri, false, false)
	}
	if !ok {
		v.fail(field, fmt.Sprintf("must be a valid URI for its match policy, got %q", uri))
	}
}

func (v *validator) dict(field string, d Dict, s *schema) {
	if v.err != nil {
		return
	}
	if key, reason := s.check(d); reason != "" {
		v.fail(field+"."+key, reason)
	}
}

// revocable checks UNSUBSCRIBED and UNREGISTERED: either an acknowledgement
// (Request an id, no Details) or a revocation (Request 0, Details naming
// the revoked subscription or registration as key).
func (v *validator) revocable(req ID, details Dict, key string, s *schema) {
	if req == 0 {
		if _, ok := details[key]; !ok {
			v.fail("Details."+key, "is required when Request is 0 (revocation)")
		}
		v.dict("Details", details, s)
		return
	}
	v.id("Request", req)
	if len(details) > 0 {
		v.fail("Details", "is allowed only when Request is 0 (revocation)")
	}
}

// payload checks a message's Arguments, ArgumentsKw and passthru payload
// against the passthru mode that dict (its Options or Details) selects.
func (v *validator) payload(p Payload, dictField string, dict Dict) {
	if p.Payload == nil && len(p.Args) == 0 && len(p.Kwargs) == 0 {
		return // valid in every mode
	}
	mode := v.mode
	if mode == passthruUnknown {
		mode = passthruModeOf(dict)
	}
	switch {
	case p.Payload != nil && mode == passthruNone:
		v.fail("Arguments", "a passthru payload requires "+dictField+".enc_algo or "+dictField+".ppt_scheme")
	case p.Payload != nil && (len(p.Args) > 0 || len(p.Kwargs) > 0):
		v.fail("Arguments", "must be empty when a passthru payload is set")
	case mode != passthruNone && (len(p.Args) > 0 || len(p.Kwargs) > 0):
		v.fail("Arguments", "must be a single binary payload in payload passthru mode")
	}
}
