package codec

import (
	"errors"
	"io"
	"math"
	"math/big"
	"strings"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/wampgo/wampgo/protocol"
)

// cborFormat is WAMP's CBOR serializer ("wamp.2.cbor", binary frames,
// RFC 8949), on github.com/fxamacker/cbor/v2. The library checks the
// input and decodes it under options that carry our limits and checks;
// this file maps what it makes outside the closed set (its dicts,
// map[any]any, and bignums) and its errors.
type cborFormat struct {
	maxDepth   int
	maxDecoded int
	dm         cbor.DecMode
	// dmWTF8 is dm accepting invalid UTF-8, for the second reading of
	// input with an encoded lone surrogate (see surrogates.go).
	dmWTF8 cbor.DecMode
	em     cbor.UserBufferEncMode
}

func (cborFormat) name() string        { return "cbor" }
func (cborFormat) subprotocol() string { return "wamp.2.cbor" }
func (cborFormat) binary() bool        { return true }

var (
	errCBORNotList = errors.New("message is not a CBOR array")
	errCBORKey     = errors.New("dict key is not a text string")
	// errBignumRange: a bignum beyond the range of float64, which JSON
	// refuses in the same way (a number that has no float64 value).
	errBignumRange = errors.New("bignum out of float64 range")
)

// rejectedSimple rejects the simple values other than false, true, null
// and undefined: they have no value in WAMP's set, and no WAMP
// implementation sends them.
func rejectedSimple(r *cbor.SimpleValueRegistry) error {
	for sv := range 256 {
		if sv < 20 || sv > 31 {
			if err := cbor.WithRejectedSimpleValue(cbor.SimpleValue(sv))(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// cborMaxNested is the library's nesting limit for our limit maxDepth.
func cborMaxNested(maxDepth int) int { return min(max(2*maxDepth, 4), 65535) }

// cborDecOptions are the decoding options for the limits l.
func cborDecOptions(l Limits, simple *cbor.SimpleValueRegistry) cbor.DecOptions {
	return cbor.DecOptions{
		DupMapKey: cbor.DupMapKeyEnforcedAPF,
		// Tags count toward the library's nesting limit but not toward
		// ours (toClosedSet checks MaxDepth on lists and dicts): twice the
		// limit leaves room for a tag on every level.
		MaxNestedLevels: cborMaxNested(l.MaxDepth),
		// A list or dict larger than these cannot fit in MaxMessageSize
		// bytes: the library reports it before allocating anything, and
		// cborError reports it as a length beyond the input.
		MaxArrayElements: min(max(l.MaxMessageSize, 16), math.MaxInt32),
		MaxMapPairs:      min(max(l.MaxMessageSize/2, 16), math.MaxInt32),
		IndefLength:      cbor.IndefLengthAllowed,
		TagsMd:           cbor.TagsAllowed,
		// Non-negative integers decode as uint64 (closedValue makes int64
		// of those that fit): no big.Int for a uint64 above MaxInt64.
		IntDec:    cbor.IntDecConvertNone,
		BigIntDec: cbor.BigIntDecodeValue,
		UTF8:      cbor.UTF8RejectInvalid,
		// Tag 64 (RFC 8746 uint8 array) and every other tag the library
		// does not interpret decode as their content.
		UnrecognizedTagToAny: cbor.UnrecognizedTagContentToAny,
		// The library interprets tags 0 and 1 itself, as a time.Time;
		// closedValue writes it as text with dateText, as the MessagePack
		// codec writes a timestamp.
		TimeTagToAny: cbor.TimeTagToTime,
		SimpleValues: simple,
	}
}

// newCBORFormat builds the library's modes for the limits l (defaults
// filled in).
func newCBORFormat(l Limits) cborFormat {
	simple, err := cbor.NewSimpleValueRegistryFromDefaults(rejectedSimple)
	if err != nil {
		panic(err) // constant options: caught by every test
	}
	opts := cborDecOptions(l, simple)
	dm, err := opts.DecMode()
	if err != nil {
		panic(err)
	}
	opts.UTF8 = cbor.UTF8DecodeInvalid
	dmWTF8, err := opts.DecMode()
	if err != nil {
		panic(err)
	}
	em, err := cbor.EncOptions{
		Sort:          cbor.SortCoreDeterministic, // RFC 8949: length-first for text keys
		ShortestFloat: cbor.ShortestFloatNone,     // floats as 64-bit floats
		NaNConvert:    cbor.NaNConvertNone,
		InfConvert:    cbor.InfConvertNone,
		NilContainers: cbor.NilContainerAsEmpty,
		IndefLength:   cbor.IndefLengthForbidden,
	}.UserBufferEncMode()
	if err != nil {
		panic(err)
	}
	return cborFormat{maxDepth: l.MaxDepth, maxDecoded: l.MaxDecodedSize, dm: dm, dmWTF8: dmWTF8, em: em}
}

func (f cborFormat) decode(data []byte) (protocol.Message, error) {
	// An array, or a tag (on an array, it is hoped): anything else is
	// refused before the library reads it.
	if len(data) > 0 && data[0]>>5 != 4 && data[0]>>5 != 6 {
		return nil, &DecodeError{Codec: "cbor", Offset: 0, Err: errCBORNotList}
	}
	if err := cborCheckMem(data, f.maxDecoded, f.maxDepth); err != nil {
		return nil, err
	}
	msg, err := f.decodeWith(data, false)
	if errors.Is(err, ErrInvalidUTF8) && hasEncodedSurrogate(data) {
		return f.decodeWith(data, true)
	}
	return msg, err
}

// decodeWith decodes data with the library's mode f.dm or, with wtf8, with
// f.dmWTF8, which lets text with invalid UTF-8 through for
// replaceSurrogatesIn.
func (f cborFormat) decodeWith(data []byte, wtf8 bool) (protocol.Message, error) {
	dm := f.dm
	if wtf8 {
		dm = f.dmWTF8
	}
	var v any
	rest, err := dm.UnmarshalFirst(data, &v)
	if err != nil {
		return nil, cborError(err)
	}
	if len(rest) != 0 {
		return nil, &DecodeError{Codec: "cbor", Offset: len(data) - len(rest), Err: ErrTrailingData}
	}
	l, ok := v.([]any)
	if !ok {
		return nil, &DecodeError{Codec: "cbor", Offset: 0, Err: errCBORNotList}
	}
	if err := f.toClosedSet(l, 1); err != nil {
		return nil, &DecodeError{Codec: "cbor", Offset: -1, Err: err}
	}
	if wtf8 {
		if _, err := replaceSurrogatesIn(l); err != nil {
			return nil, &DecodeError{Codec: "cbor", Offset: -1, Err: err}
		}
	}
	return fromList("cbor", l)
}

// toClosedSet checks the nesting of l, a list at level depth, and
// replaces in it, at every level, the values the library makes that are
// not of the closed set: its dicts (map[any]any, the library's fast
// path), its unsigned integers (uint64, which the library returns for
// every non-negative integer: int64 when they fit), bignums and dates.
func (f cborFormat) toClosedSet(l []any, depth int) error {
	if depth > f.maxDepth {
		return ErrTooDeep
	}
	for i, v := range l {
		switch v.(type) {
		case nil, bool, int64, float64, string, []byte:
			continue
		}
		nv, err := f.closedValue(v, depth)
		if err != nil {
			return err
		}
		l[i] = nv
	}
	return nil
}

// closedValue returns the value of the set that stands for v, an element
// of a list or dict at level depth.
func (f cborFormat) closedValue(v any, depth int) (any, error) {
	switch v := v.(type) {
	case uint64:
		if v <= math.MaxInt64 {
			return int64(v), nil
		}
		return v, nil
	case []any:
		return v, f.toClosedSet(v, depth+1)
	case map[any]any:
		if depth+1 > f.maxDepth {
			return nil, ErrTooDeep
		}
		m := make(map[string]any, len(v))
		for k, e := range v {
			ks, ok := k.(string)
			if !ok {
				return nil, errCBORKey
			}
			switch e.(type) {
			case nil, bool, int64, float64, string, []byte:
			default:
				var err error
				if e, err = f.closedValue(e, depth+1); err != nil {
					return nil, err
				}
			}
			m[ks] = e
		}
		return m, nil
	case big.Int:
		return bignum(&v)
	case time.Time:
		return dateText(v)
	}
	return v, nil
}

// bignum maps an integer beyond int64 (a bignum, tag 2 or 3, or a CBOR
// integer below math.MinInt64) as JSON maps a number: uint64 when it fits,
// else the nearest float64.
func bignum(b *big.Int) (any, error) {
	switch {
	case b.IsInt64():
		return b.Int64(), nil
	case b.IsUint64():
		return b.Uint64(), nil
	}
	f, _ := new(big.Float).SetInt(b).Float64()
	if math.IsInf(f, 0) {
		return nil, errBignumRange
	}
	return f, nil
}

// cborError maps an error of the library to a DecodeError.
func cborError(err error) error {
	var (
		nested *cbor.MaxNestedLevelError
		arr    *cbor.MaxArrayElementsError
		pairs  *cbor.MaxMapPairsError
		dup    *cbor.DupMapKeyError
		sem    *cbor.SemanticError
	)
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		err = ErrTruncated
	case errors.As(err, &nested):
		err = ErrTooDeep
	case errors.As(err, &arr), errors.As(err, &pairs),
		// A length beyond what an int holds (the library says so only in
		// text) is beyond the input too.
		strings.HasSuffix(err.Error(), "integer overflow"):
		err = errLengthExceedsEnd
	case errors.As(err, &dup):
		k, _ := dup.Key.(string)
		err = duplicateKey(k)
	case errors.As(err, &sem) && sem.Error() == "cbor: invalid UTF-8 string":
		err = ErrInvalidUTF8
	}
	return &DecodeError{Codec: "cbor", Offset: -1, Err: err}
}
