package client

import (
	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// encodePayload encodes args and kwargs with the current session's codec,
// in the caller's goroutine. Neither is retained. A value the codec cannot
// carry is an error matching codec.ErrUnsupportedValue (a
// *codec.EncodeError).
func (c *Client) encodePayload(args protocol.List, kwargs protocol.Dict) (codec.EncodedPayload, error) {
	return codec.EncodePayload(c.conn.Load().codec, args, kwargs)
}

// encode encodes the payload of msg, a request without its request id,
// in the caller's goroutine, with the current session's codec; the caller
// has checked the rest of the message (checkCall and its kin). raw holds
// the option entries the caller gave verbatim, whose values are checked
// against the codec too. A message that would exceed the peer's size limit
// (RawSocket) is refused here, so that the loop never gives a request id
// to a message the connection refuses. An error is a *codec.EncodeError.
func (c *Client) encode(msg protocol.Message, raw protocol.Dict, args protocol.List, kwargs protocol.Dict) (codec.EncodedPayload, error) {
	ci := c.conn.Load()
	if len(raw) > 0 {
		if va, ok := ci.codec.(codec.ValueAppender); ok {
			if _, err := va.AppendValue(nil, raw); err != nil {
				return codec.EncodedPayload{}, err
			}
		}
	}
	p, err := codec.EncodePayload(ci.codec, args, kwargs)
	if err != nil {
		return p, err
	}
	return p, ci.checkSize(msg, p)
}

// maxRequestID is the largest request id, whose encoding is the longest.
const maxRequestID = 1 << 53

// checkSize checks that msg with payload p fits the connection's limit on
// one outgoing message, when it has one. Only a payload that takes half of
// the limit or more is measured exactly (by encoding the message with the
// longest request id); anything smaller fits with its header.
func (ci *connInfo) checkSize(msg protocol.Message, p codec.EncodedPayload) error {
	if ci.limit == nil || int64(p.Size()) < ci.limit.SendLimit()/2 {
		return nil
	}
	switch m := msg.(type) {
	case *protocol.Call:
		m.Request = maxRequestID
		defer func() { m.Request = 0 }()
	case *protocol.Publish:
		m.Request = maxRequestID
		defer func() { m.Request = 0 }()
	}
	b, err := codec.AppendSpliced(ci.codec, nil, msg, p)
	if err != nil {
		return err
	}
	return ci.limit.CheckSend(msg.Type(), len(b))
}
