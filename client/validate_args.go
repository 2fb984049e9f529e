package client

import (
	"errors"
	"fmt"
	"strings"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// checkMessage checks the URI and options of a request the caller built
// (CALL, PUBLISH, SUBSCRIBE, REGISTER), with the protocol's own rules. msg
// carries no payload yet (the codec checks that) and its Request is not yet
// set: a placeholder stands in for it. msg is validated in place (a copy
// would be one more allocation per request), the placeholder set for the
// check only: it is the caller's own, not yet shared.
func checkMessage(op string, msg protocol.Message) error {
	req, _ := protocol.RequestID(msg)
	protocol.SetRequestID(msg, 1)
	err := protocol.Validate(msg)
	protocol.SetRequestID(msg, req)
	if err == nil {
		return nil // before errors.As, whose target escapes: no allocation
	}
	var ve *protocol.ValidationError
	if errors.As(err, &ve) {
		return &ArgumentError{Op: op, Arg: argName(ve.Field), Reason: ve.Reason}
	}
	return err
}

// argName turns a message field ("Procedure", "Options.timeout") into the
// caller's words ("procedure", "option timeout").
func argName(field string) string {
	if k, ok := strings.CutPrefix(field, "Options."); ok {
		return "option " + k
	}
	return strings.ToLower(field)
}

// checkCall checks a call's procedure and options before it is sent: an
// *ArgumentError for a bad one, ErrNotSupported for an option whose feature
// the router did not announce.
func (c *Client) checkCall(msg *protocol.Call, cfg *callConfig) error {
	switch cfg.cancelMode {
	case CancelSkip, CancelKill, CancelKillNoWait:
	default:
		return &ArgumentError{Op: "Call", Arg: "cancel mode", Reason: fmt.Sprintf("unknown mode %q", cfg.cancelMode)}
	}
	if cfg.timeout < 0 {
		return &ArgumentError{Op: "Call", Arg: "option timeout", Reason: fmt.Sprintf("negative duration %v", cfg.timeout)}
	}
	if cfg.progressBuffer < 0 {
		return &ArgumentError{Op: "Call", Arg: "option ProgressBuffer", Reason: fmt.Sprintf("%d is negative", cfg.progressBuffer)}
	}
	if err := checkOverflow("Call", "option OnProgressOverflow", cfg.progressOverflow); err != nil {
		return err
	}
	if err := checkMessage("Call", msg); err != nil {
		return err
	}
	if err := cfg.check(c.Session()); err != nil {
		return err
	}
	return c.checkFeatures("Call", msg.Options, callFeatures(cfg))
}

// checkPublish is checkCall for Publish.
func (c *Client) checkPublish(msg *protocol.Publish) error {
	if err := checkMessage("Publish", msg); err != nil {
		return err
	}
	return c.checkFeatures("Publish", msg.Options, publishFeatures)
}

// checkSubscribe is checkCall for Subscribe.
func (c *Client) checkSubscribe(msg *protocol.Subscribe) error {
	if err := c.checkDraining("Subscribe"); err != nil {
		return err
	}
	if err := checkMessage("Subscribe", msg); err != nil {
		return err
	}
	return c.checkFeatures("Subscribe", msg.Options, subscribeFeatures)
}

// checkRegister is checkCall for Register.
func (c *Client) checkRegister(msg *protocol.Register, cfg *registerConfig) error {
	if err := c.checkDraining("Register"); err != nil {
		return err
	}
	if cfg.concurrency < 1 {
		return &ArgumentError{Op: "Register", Arg: "concurrency", Reason: fmt.Sprintf("%d is not positive", cfg.concurrency)}
	}
	if err := checkMessage("Register", msg); err != nil {
		return err
	}
	return c.checkFeatures("Register", msg.Options, registerFeatures)
}

// payloadError turns the failure to send a request because of the
// caller's own message (callerFault: its payload cannot be encoded, or
// breaks the protocol's value rules) into an *ArgumentError. The codec's
// *codec.EncodeError, if any, stays reachable with errors.As, stripped of
// what would make it match ErrProtocolViolation.
func payloadError(err error) error {
	ae := &ArgumentError{Arg: "payload", Reason: err.Error()}
	var ve *protocol.ValidationError
	if errors.As(err, &ve) {
		ae.Op, ae.Arg, ae.Reason = opName(ve.Type), argName(ve.Field), ve.Reason
	}
	var ee *codec.EncodeError
	if errors.As(err, &ee) {
		if r, ok := sendLimitReason(ee); ok {
			ae.Reason = r
		} else if ve == nil {
			ae.Reason = ee.Codec + " cannot encode it: " + ee.Err.Error()
		}
		if errors.Is(ee, ErrProtocolViolation) {
			ee = &codec.EncodeError{Codec: ee.Codec, Err: errors.New(ee.Err.Error())}
		}
		ae.Err = ee
	}
	return ae
}

// opName names the operation that sends a message of type t.
func opName(t protocol.MessageType) string {
	switch t {
	case protocol.TypeCall:
		return "Call"
	case protocol.TypePublish:
		return "Publish"
	case protocol.TypeSubscribe:
		return "Subscribe"
	case protocol.TypeRegister:
		return "Register"
	case protocol.TypeYield:
		return "Yield"
	}
	return ""
}
