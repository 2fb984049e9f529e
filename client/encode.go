package client

import (
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// placeholderID stands for the request id, which the session loop assigns
// later, while a caller checks its message.
const placeholderID = 1

// encodePayload encodes args and kwargs with the current session's codec,
// in the caller's goroutine. Neither is retained. A value the codec cannot
// carry is an error matching codec.ErrUnsupportedValue (a
// *codec.EncodeError).
func (c *Client) encodePayload(args protocol.List, kwargs protocol.Dict) (codec.EncodedPayload, error) {
	return codec.EncodePayload(c.conn.Load().codec, args, kwargs)
}

// encode checks msg, a request without its payload and without its request
// id, and encodes the payload, all in the caller's goroutine, so that the
// loop assigns an id only to a message that will be written: ids stay
// consecutive on the wire. raw holds the option entries the caller gave
// verbatim, whose values are checked against the codec too.
func (c *Client) encode(msg protocol.Message, raw protocol.Dict, args protocol.List, kwargs protocol.Dict) (codec.EncodedPayload, error) {
	if err := validateRequest(msg); err != nil {
		return codec.EncodedPayload{}, err
	}
	cd := c.conn.Load().codec
	if len(raw) > 0 {
		if va, ok := cd.(codec.ValueAppender); ok {
			if _, err := va.AppendValue(nil, raw); err != nil {
				return codec.EncodedPayload{}, err
			}
		}
	}
	return codec.EncodePayload(cd, args, kwargs)
}

// validateRequest validates msg with a placeholder request id.
func validateRequest(msg protocol.Message) error {
	switch m := msg.(type) {
	case *protocol.Call:
		m.Request = placeholderID
		defer func() { m.Request = 0 }()
	case *protocol.Publish:
		m.Request = placeholderID
		defer func() { m.Request = 0 }()
	case *protocol.Subscribe:
		m.Request = placeholderID
		defer func() { m.Request = 0 }()
	case *protocol.Register:
		m.Request = placeholderID
		defer func() { m.Request = 0 }()
	}
	return protocol.Validate(msg)
}
