package wamptest

import (
	"fmt"

	"github.com/wampgo/wampgo/protocol"
)

// Payload passthru mode (advanced/payload_passthru_mode.md): the router
// announces payload_passthru_mode as dealer and broker, forwards the ppt_*
// keys of CALL, PUBLISH, YIELD and ERROR into the INVOCATION, EVENT,
// RESULT and ERROR they cause (copyPassthru), and forwards the payload as
// the codec decoded it, never looking into it.

// isPassthru reports whether a message's Options name a ppt_scheme: the
// spec's test for payload passthru mode.
func isPassthru(opts protocol.Dict) bool {
	s, _ := opts["ppt_scheme"].(string)
	return s != ""
}

// checkPassthru fails (a protocol violation, which ends the session) when
// a client uses payload passthru mode in a message of role without having
// announced it in HELLO, as the spec requires.
func checkPassthru(s *session, role, what string, opts protocol.Dict) error {
	if isPassthru(opts) && !s.has(role, protocol.FeaturePayloadPassthruMode) {
		return fmt.Errorf("%s in payload passthru mode from a %s that did not announce %s", what, role, protocol.FeaturePayloadPassthruMode)
	}
	return nil
}

// PassthruRecord is one passthru payload the router received or sent.
type PassthruRecord struct {
	Dir  Direction
	Type protocol.MessageType
	// Options or Details of the message: its ppt_* keys and the rest.
	Dict protocol.Dict
	// Payload is the binary payload as it crossed the router: for an
	// end-to-end encrypted one, ciphertext.
	Payload []byte
}

// PassthruPayloads returns, in order, the payload of every logged message
// in payload passthru mode (CALL, INVOCATION, YIELD, RESULT, ERROR,
// PUBLISH and EVENT whose Options or Details name a ppt_scheme), as the
// router received or sent it. A test of end-to-end encryption checks with
// it that the router saw only ciphertext. The payloads must not be
// modified.
func (l *Log) PassthruPayloads() []PassthruRecord {
	var out []PassthruRecord
	for _, rec := range l.Records() {
		d, p, ok := passthruOf(rec.Msg)
		if ok && isPassthru(d) {
			out = append(out, PassthruRecord{Dir: rec.Dir, Type: rec.Msg.Type(), Dict: d, Payload: p.Payload})
		}
	}
	return out
}

// passthruOf returns the Options or Details and the payload of a message
// that may carry a passthru payload.
func passthruOf(msg protocol.Message) (protocol.Dict, protocol.Payload, bool) {
	switch m := msg.(type) {
	case *protocol.Call:
		return m.Options, m.Payload, true
	case *protocol.Invocation:
		return m.Details, m.Payload, true
	case *protocol.Yield:
		return m.Options, m.Payload, true
	case *protocol.Result:
		return m.Details, m.Payload, true
	case *protocol.Error:
		return m.Details, m.Payload, true
	case *protocol.Publish:
		return m.Options, m.Payload, true
	case *protocol.Event:
		return m.Details, m.Payload, true
	}
	return nil, protocol.Payload{}, false
}
