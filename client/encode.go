package client

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// A request's message is checked and its payload encoded in the caller's
// goroutine, so that the session loop gives a request id only to a message
// the writer can encode and the connection accepts: session-scope request
// ids must reach the router one after another, with no gap (a router may
// abort a session that skips one). Everything of a request that comes from
// the caller is checked against the connection's codec and size limit:
//
//   - the URI and the options, by the protocol's rules (checkMessage);
//   - every option value, by the codec: its Go type, its strings' UTF-8,
//     its nesting depth, what the serializer can carry (JSON has no NaN);
//   - the whole message's size, when the connection limits it (RawSocket).
//
// A command checked against another connection than the loop's current one
// (the session reconnected meanwhile, maybe to another serializer or a
// smaller limit) is checked again by the loop before it gets its id
// (loopState.admit). The writer can then fail only for transport reasons.

// encoded is a request's payload with the connection it was checked for.
type encoded struct {
	payload codec.EncodedPayload
	conn    *connInfo // the connection whose codec and limit the request fits
}

// encode checks msg, a request without its request id whose URI and
// options checkMessage accepted, and encodes its payload, in the caller's
// goroutine, for the current connection. Nothing is retained but the
// encoded payload. The error is an *ArgumentError naming op, or for a
// payload in passthru mode ErrNotSupported or a *PassthruError
// (packPassthru).
func (c *Client) encode(op string, msg protocol.Message, args protocol.List, kwargs protocol.Dict) (encoded, error) {
	args, kwargs, err := c.packPassthru(op, msg, args, kwargs)
	if err != nil {
		return encoded{}, err
	}
	ci := c.conn.Load()
	optsSize, err := ci.checkOptions(op, msg)
	if err != nil {
		return encoded{}, err
	}
	p, err := codec.EncodePayload(ci.codec, args, kwargs)
	if err != nil {
		return encoded{}, encodeFailure(op, err)
	}
	if err := ci.checkSize(msg, p, optsSize); err != nil {
		return encoded{}, sizeFailure(op, err)
	}
	return encoded{payload: p, conn: ci}, nil
}

// encodeAnswer encodes the payload of msg, a message the client answers
// with (YIELD, ERROR, or CALL for a progressive input chunk), in the
// caller's goroutine, checking that the whole message fits the connection's
// size limit. The error is an *ArgumentError naming op, or as encode's in
// passthru mode.
func (c *Client) encodeAnswer(op string, msg protocol.Message, args protocol.List, kwargs protocol.Dict) (encoded, error) {
	args, kwargs, err := c.packPassthru(op, msg, args, kwargs)
	if err != nil {
		return encoded{}, err
	}
	ci := c.conn.Load()
	p, err := codec.EncodePayload(ci.codec, args, kwargs)
	if err != nil {
		return encoded{}, encodeFailure(op, err)
	}
	// The options of an answer are the client's own, a few bytes.
	if err := ci.checkSize(msg, p, headerSlack); err != nil {
		return encoded{}, sizeFailure(op, err)
	}
	return encoded{payload: p, conn: ci}, nil
}

// admit checks, on the loop, a request that its caller checked for
// another connection than the current one, before the request gets its id:
// with the current codec (transcoding the payload as the writer will) and
// size limit. Requests checked for the current connection pass at once;
// those the loop makes itself (restoring subscriptions and registrations)
// come with no connection and are always checked. It runs on the loop only.
func (s *loopState) admit(op string, msg protocol.Message, e encoded) error {
	ci := s.c.conn.Load()
	if e.conn == ci {
		return nil
	}
	if _, err := ci.checkOptions(op, msg); err != nil {
		return err
	}
	if err := ci.checkEncodes(msg, e.payload); err != nil {
		if errors.Is(err, codec.ErrMessageTooLarge) {
			return sizeFailure(op, err)
		}
		return encodeFailure(op, err)
	}
	return nil
}

// checkOptions checks that the codec can carry every value of msg's
// Options, and returns the size of their encoding. The error is an
// *ArgumentError naming the first option (in key order) that the codec
// cannot carry.
func (ci *connInfo) checkOptions(op string, msg protocol.Message) (int, error) {
	opts := protocol.OptionsOf(msg)
	if len(opts) == 0 {
		return 0, nil
	}
	va, ok := ci.codec.(codec.ValueAppender)
	if !ok {
		// A codec of the caller's own: only encoding the whole message
		// tells; its size is then unknown, and checkSize measures it.
		if err := ci.checkEncodes(msg, codec.EncodedPayload{}); err != nil {
			return 0, encodeFailure(op, err)
		}
		return unknownSize, nil
	}
	buf := scratch.Get().(*[]byte)
	defer scratch.Put(buf)
	// Options sit at the depth of a payload's list: AppendValue counts
	// nesting as the message will.
	b, err := va.AppendValue((*buf)[:0], opts)
	if err == nil {
		if cap(b) <= maxScratch {
			*buf = b[:0]
		}
		return len(b), nil
	}
	for _, k := range slices.Sorted(maps.Keys(opts)) {
		if _, err := va.AppendValue((*buf)[:0], protocol.Dict{k: opts[k]}); err != nil {
			ae := encodeFailure(op, err)
			ae.Arg = fmt.Sprintf("option %q", k)
			return 0, ae
		}
	}
	// Every entry encodes alone, yet the dict does not: a rule of the
	// codec's own about dicts.
	return 0, encodeFailure(op, err)
}

// unknownSize stands for options whose encoded size was not measured: it
// makes checkSize measure the whole message.
const unknownSize = 1 << 62

// maxScratch bounds the buffers scratch keeps.
const maxScratch = 64 << 10

// encodeFailure is the *ArgumentError of op for err, the codec's or the
// size limit's refusal of something the caller gave.
func encodeFailure(op string, err error) *ArgumentError {
	ae := payloadError(err).(*ArgumentError)
	ae.Op = op
	return ae
}

// sizeFailure is encodeFailure for a message that encodes but is over the
// connection's size limit.
func sizeFailure(op string, err error) *ArgumentError {
	ae := encodeFailure(op, err)
	ae.Arg = "message"
	return ae
}

// scratch holds buffers for checkOptions, whose output is thrown away.
var scratch = sync.Pool{New: func() any { b := make([]byte, 0, 256); return &b }}

// maxRequestID is the largest request id, whose encoding is the longest.
const maxRequestID = protocol.MaxID

// headerSlack bounds what a message adds to its options, URI and payload:
// its list header, type, request id and the splice of the payload (a
// longer list header, a JSON comma), whatever the codec.
const headerSlack = 64

// checkSize checks that msg with payload p fits the connection's limit on
// one outgoing message, when it has one. The header is bounded from above
// (its options by optsSize, their encoded size, its URI at worst escaped
// six-fold); only a message whose bound exceeds the limit is encoded whole
// to measure it exactly.
func (ci *connInfo) checkSize(msg protocol.Message, p codec.EncodedPayload, optsSize int) error {
	if ci.limit == nil {
		return nil
	}
	uri, _ := protocol.URIOf(msg)
	bound := int64(p.Size()) + int64(6*len(uri)) + headerSlack + int64(optsSize)
	if bound <= ci.limit.SendLimit() {
		return nil
	}
	return ci.checkEncodes(msg, p)
}

// checkEncodes encodes msg (with the longest request id, when it takes
// one the loop has not given yet) and payload p, as the writer will, and
// checks the result against the connection's size limit. The error is the
// codec's *codec.EncodeError or the limit's.
func (ci *connInfo) checkEncodes(msg protocol.Message, p codec.EncodedPayload) error {
	if id, _ := protocol.RequestID(msg); id == 0 && protocol.SetRequestID(msg, maxRequestID) {
		defer protocol.SetRequestID(msg, 0)
	}
	b, err := codec.AppendSpliced(ci.codec, nil, msg, p)
	if err != nil {
		return err
	}
	if ci.limit == nil {
		return nil
	}
	return ci.limit.CheckSend(msg.Type(), len(b))
}
