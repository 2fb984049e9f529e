package protocol

// ToList converts msg to its list form, [type, fields...], ready for a
// serializer. It validates msg first (see Validate) and returns the
// *ValidationError found, if any.
//
// The list follows the spec's shortest form: trailing empty Arguments and
// ArgumentsKw are omitted ([CALL, id, opts, proc] when there is neither,
// [..., args] when only Args is set, [..., [], kwargs] when only Kwargs is).
// In payload passthru mode Payload.Payload takes the Arguments position:
// bare when the dict names "enc_algo", wrapped as [payload] when it names
// only "ppt_scheme"; nothing follows it.
//
// Value types in the list: the type code and every id are int64; URIs and
// strings are string; a nil Options, Details or Extra dict is emitted as an
// empty, non-nil Dict; Args, Kwargs and dicts are placed as they are (not
// copied), so the caller must not modify them until the list is serialized.
func ToList(msg Message) (List, error) {
	if err := Validate(msg); err != nil {
		return nil, err
	}
	return encode(msg), nil
}

// FromList converts the list form of a message, as a codec decoded it, into
// a Message, validating it fully. Every error is a *ValidationError, which
// matches ErrProtocolViolation with errors.Is.
//
// The values in l must be of the types documented in the package comment;
// integers may be of any Go integer type, but floats are never accepted
// where the spec requires an integer. The message returned shares the
// dicts and lists of l; it does not copy them.
//
// Normalization: a null or empty Arguments list decodes to a nil Args, a
// null or empty ArgumentsKw dict to a nil Kwargs; a passthru payload sent as
// a string is stored as its bytes. Options, Details and Extra are never nil.
// Thus FromList(ToList(m)) deep-equals m for every m that FromList returns.
func FromList(l List) (Message, error) {
	msg, mode, err := decode(l)
	if err != nil {
		return nil, err
	}
	if err := validate(msg, mode); err != nil {
		return nil, err
	}
	return msg, nil
}
