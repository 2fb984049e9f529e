package client

import (
	"fmt"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// Packing and unpacking of payload passthru mode. Outgoing payloads are
// packed in the caller's (or handler's) goroutine, with the rest of the
// request's encoding (encode, encodeAnswer). Incoming ones are unpacked in
// the handler's goroutine for invocations and events, and on the session
// loop for results and errors (bounded work: one decryption and one decode
// of a message the connection's size limit already bounds).

// packPassthru packs args and kwargs into one binary argument when msg's
// Options (Details for an ERROR) name a ppt_scheme, else returns them as
// they are. It fails with ErrNotSupported when the router did not announce
// payload_passthru_mode for the role that routes msg, and with a
// *PassthruError when the payload cannot be packed.
func (c *Client) packPassthru(op string, msg protocol.Message, args protocol.List, kwargs protocol.Dict) (protocol.List, protocol.Dict, error) {
	opts := protocol.OptionsOf(msg)
	if s, _ := opts["ppt_scheme"].(string); s == "" {
		return args, kwargs, nil
	}
	p, _ := PassthruOf(opts)
	role := protocol.RoleDealer
	if _, ok := msg.(*protocol.Publish); ok {
		role = protocol.RoleBroker
	}
	if sess := c.Session(); sess.ID != 0 && !sess.HasFeature(role, protocol.FeaturePayloadPassthruMode) {
		return nil, nil, fmt.Errorf("%w: %s (needed by %s option ppt_scheme)", ErrNotSupported, protocol.FeaturePayloadPassthruMode, op)
	}
	b, err := p.pack(keyRingOrNone(c.cfg.keyRing), args, kwargs)
	if err != nil {
		return nil, nil, &PassthruError{Op: op, Passthru: p, Err: err}
	}
	return protocol.List{b}, nil, nil
}

// pack serializes (or, native, takes) the payload and seals it when p
// names a cipher.
func (p Passthru) pack(ring KeyRing, args protocol.List, kwargs protocol.Dict) ([]byte, error) {
	var b []byte
	switch p.Serializer {
	case "", PassthruNative:
		raw, ok := nativeArg(args, kwargs)
		if !ok {
			return nil, fmt.Errorf("%w: a native payload is exactly one []byte argument and no kwargs", ErrPassthruPayload)
		}
		b = raw
	default:
		if p.Scheme == PassthruSchemeWAMP && p.Serializer != "cbor" {
			return nil, fmt.Errorf("%w: the wamp scheme needs ppt_serializer cbor, got %q", ErrPassthruPayload, p.Serializer)
		}
		cd, ok := passthruCodec(p.Serializer)
		if !ok {
			return nil, fmt.Errorf("%w: unknown ppt_serializer %q", ErrPassthruPayload, p.Serializer)
		}
		if args == nil {
			args = protocol.List{}
		}
		if kwargs == nil {
			kwargs = protocol.Dict{}
		}
		var err error
		if b, err = cd.AppendValue(nil, protocol.Dict{"args": args, "kwargs": kwargs}); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrPassthruPayload, err)
		}
	}
	if p.Cipher == "" {
		return b, nil
	}
	return ring.Seal(p.Cipher, p.KeyID, b)
}

// nativeArg returns the one []byte argument of a native payload.
func nativeArg(args protocol.List, kwargs protocol.Dict) ([]byte, bool) {
	if len(args) != 1 || len(kwargs) != 0 {
		return nil, false
	}
	b, ok := args[0].([]byte)
	return b, ok
}

// passthruArgs is the Args of an incoming message: its passthru payload as
// the one argument, to be unpacked by unpackPassthru, or its Args.
func passthruArgs(p protocol.Payload) protocol.List {
	if p.Payload != nil {
		return protocol.List{p.Payload}
	}
	return p.Args
}

// unpackPassthru unpacks the payload of an incoming message whose details
// name a ppt_scheme: args holds the passthru payload as its one argument
// (passthruArgs). It opens the payload when details name a cipher, then
// decodes the {"args", "kwargs"} map (native: returns the bytes as the one
// argument). Without a ppt_scheme it returns args and kwargs as they are.
// The error is a *PassthruError naming op.
func (c *Client) unpackPassthru(op string, details protocol.Dict, args protocol.List, kwargs protocol.Dict) (protocol.List, protocol.Dict, error) {
	p, ok := PassthruOf(details)
	if !ok {
		return args, kwargs, nil
	}
	a, k, err := p.unpack(keyRingOrNone(c.cfg.keyRing), args, kwargs)
	if err != nil {
		return nil, nil, &PassthruError{Op: op, Passthru: p, Err: err}
	}
	return a, k, nil
}

func (p Passthru) unpack(ring KeyRing, args protocol.List, kwargs protocol.Dict) (protocol.List, protocol.Dict, error) {
	b, ok := nativeArg(args, kwargs)
	if !ok {
		return nil, nil, fmt.Errorf("%w: not one binary argument", ErrPassthruPayload)
	}
	if p.Cipher != "" {
		var err error
		if b, err = ring.Open(p.Cipher, p.KeyID, b); err != nil {
			return nil, nil, err
		}
	}
	switch p.Serializer {
	case "", PassthruNative:
		return protocol.List{b}, nil, nil
	}
	return decodePassthruMap(p.Serializer, b)
}

// passthruCodec returns the codec of a ppt_serializer, with default limits.
func passthruCodec(name string) (interface {
	codec.Codec
	codec.ValueAppender
}, bool) {
	switch name {
	case "json", "msgpack", "cbor":
	default:
		return nil, false
	}
	cd, ok := codec.ByName(name)
	if !ok {
		return nil, false
	}
	va, ok := cd.(interface {
		codec.Codec
		codec.ValueAppender
	})
	return va, ok
}
