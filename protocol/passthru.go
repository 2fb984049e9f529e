package protocol

// passthruMode says whether and how a message carries a payload passthru
// payload (advanced/payload_passthru_mode.md), as chosen by its Options or
// Details.
type passthruMode int

const (
	// passthruNone: Arguments and ArgumentsKw are ordinary.
	passthruNone passthruMode = iota
	// passthruBare: the dict names "enc_algo" (the form the conformance
	// vectors and Autobahn use); the payload is the Arguments element.
	passthruBare
	// passthruWrapped: the dict names "ppt_scheme" but not "enc_algo" (the
	// spec's form); the payload is the one item of the Arguments list.
	passthruWrapped

	// passthruUnknown: not computed yet (see validator.mode).
	passthruUnknown passthruMode = -1
)

func passthruModeOf(d Dict) passthruMode {
	if len(d) == 0 {
		return passthruNone
	}
	if _, ok := d["enc_algo"]; ok {
		return passthruBare
	}
	if _, ok := d["ppt_scheme"]; ok {
		return passthruWrapped
	}
	return passthruNone
}

// IsEmpty reports whether p carries nothing: no positional or keyword
// arguments and no passthru payload. An empty but non-nil Payload.Payload
// is not empty: it is a zero-length passthru payload.
func (p Payload) IsEmpty() bool {
	return len(p.Args) == 0 && len(p.Kwargs) == 0 && p.Payload == nil
}
