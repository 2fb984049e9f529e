package payload

import (
	"github.com/wampgo/wampgo/protocol"
)

// ID reads a WAMP id (a session, registration, subscription or publication
// id) carried in a payload, such as the result of a meta procedure. Codecs
// deliver integers as int64, while protocol.ID is a uint64: ID accepts
// either, and a float64 without a fraction, when the value lies in
// [1, protocol.MaxID]. Anything else is a *DecodeError matching
// ErrMismatch.
func ID(v any) (protocol.ID, error) {
	neg, mag, err := intOf(v)
	if err == nil && !neg && mag >= 1 && mag <= protocol.MaxID {
		return mag, nil
	}
	return 0, mismatch("want an id (integer in [1, 2^53]), got %s", describe(v))
}

// IDs reads a list of WAMP ids, as returned by wamp.session.list or
// wamp.registration.list, with the rules of ID.
func IDs(v any) ([]protocol.ID, error) {
	l, ok := v.([]any)
	if !ok {
		return nil, mismatch("want a list of ids, got %s", describe(v))
	}
	ids := make([]protocol.ID, len(l))
	for i, e := range l {
		id, err := ID(e)
		if err != nil {
			return nil, within(err, indexStep(i))
		}
		ids[i] = id
	}
	return ids, nil
}
