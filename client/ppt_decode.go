package client

import (
	"fmt"

	"github.com/wampgo/wampgo/protocol"
)

// The codecs decode whole messages only. A passthru payload, one value,
// is decoded as the ArgumentsKw of an EVENT [36, 1, 1, {}, [], payload]
// framed around it, so that it gets the codec's own checks and limits
// (depth, size, UTF-8, value types). The frame admits exactly one value:
// anything after it, or no value at all, breaks the message.
var passthruFrames = map[string][2]string{
	"json": {`[36,1,1,{},[],`, `]`},
	// fixarray(6), 36, 1, 1, fixmap(0), fixarray(0)
	"msgpack": {"\x96\x24\x01\x01\x80\x90", ""},
	// array(6), uint8(36), 1, 1, map(0), array(0)
	"cbor": {"\x86\x18\x24\x01\x01\xa0\x80", ""},
}

// decodePassthruMap decodes b, the {"args": list, "kwargs": dict} map of
// a passthru payload in serializer name. A missing or null args or kwargs
// is empty; other keys are ignored.
func decodePassthruMap(name string, b []byte) (protocol.List, protocol.Dict, error) {
	cd, ok := passthruCodec(name)
	frame, framed := passthruFrames[name]
	if !ok || !framed {
		return nil, nil, fmt.Errorf("%w: unknown ppt_serializer %q", ErrPassthruPayload, name)
	}
	msg := make([]byte, 0, len(frame[0])+len(b)+len(frame[1]))
	msg = append(append(append(msg, frame[0]...), b...), frame[1]...)
	m, err := cd.Decode(msg)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: not a %s map: %w", ErrPassthruPayload, name, err)
	}
	ev, ok := m.(*protocol.Event)
	if !ok || len(ev.Args) != 0 {
		return nil, nil, fmt.Errorf("%w: not a %s map", ErrPassthruPayload, name)
	}
	var args protocol.List
	var kwargs protocol.Dict
	switch a := ev.Kwargs["args"].(type) {
	case nil:
	case protocol.List:
		args = a
	default:
		return nil, nil, fmt.Errorf("%w: args is not a list", ErrPassthruPayload)
	}
	switch k := ev.Kwargs["kwargs"].(type) {
	case nil:
	case protocol.Dict:
		kwargs = k
	default:
		return nil, nil, fmt.Errorf("%w: kwargs is not a dict", ErrPassthruPayload)
	}
	if len(args) == 0 {
		args = nil
	}
	if len(kwargs) == 0 {
		kwargs = nil
	}
	return args, kwargs, nil
}
