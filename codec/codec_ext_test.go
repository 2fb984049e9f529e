package codec_test

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/wampgo/wampgo/codec"
	"github.com/wampgo/wampgo/protocol"
)

// msgpackArg decodes the CALL [48, 1, {}, "a.b", [arg]] with arg given in
// hex.
func msgpackArg(t *testing.T, arg string) (any, error) {
	t.Helper()
	return callArg(t, codec.MsgPack(), "953001"+"80"+"a3612e62"+"91", arg)
}

// A MessagePack extension never ends the session: the timestamp is its
// date as text, msgpackr's undefined is nil, any other extension is its
// data.
func TestLenientMsgPackExt(t *testing.T) {
	for _, tc := range []struct {
		name, arg string
		want      any
	}{
		{"timestamp 32 epoch (msgpackr new Date(0))", "d6ff00000000", "1970-01-01T00:00:00Z"},
		{"timestamp 32 max", "d6ffffffffff", "2106-02-07T06:28:15Z"},
		{"timestamp 64 (msgpackr new Date(1234))", "d7ff37ca3a0000000001", "1970-01-01T00:00:01.234Z"},
		{"timestamp 64 max nanoseconds", "d7ffee6b27fc00000000", "1970-01-01T00:00:00.999999999Z"},
		{"timestamp 64 max seconds", "d7ff00000003ffffffff", "2514-05-30T01:53:03Z"},
		{"timestamp 96 (msgpackr new Date(-1))", "c70cff3b8b87c0ffffffffffffffff", "1969-12-31T23:59:59.999Z"},
		{"timestamp 96 JavaScript's latest Date", "c70cff00000000000007dba8218000", "+275760-09-13T00:00:00Z"},
		{"timestamp 96 JavaScript's earliest Date", "c70cff00000000fffff82457de8000", "-271821-04-20T00:00:00Z"},
		{"timestamp 96 year 10000", "c70cff000000000000003afff44180", "+010000-01-01T00:00:00Z"},
		{"timestamp 96 year -1", "c70cff00000000fffffff184aa5080", "-000001-01-01T00:00:00Z"},
		{"timestamp 96 year 0", "c70cff00000000fffffff1886e08ff", "0000-12-31T23:59:59Z"},
		{"timestamp in ext 8 of length 4", "c704ff00000001", "1970-01-01T00:00:01Z"},
		{"msgpackr invalid Date", "d4ffff", "0001-01-01T00:00:00Z"},
		{"msgpackr undefined", "d40000", nil},
		{"type 0, other byte", "d40001", []byte{1}},
		{"type 0, two bytes", "d5000000", []byte{0, 0}},
		{"fixext 1", "d40142", []byte{0x42}},
		{"fixext 16", "d87f" + strings.Repeat("ab", 16), []byte(strings.Repeat("\xab", 16))},
		{"ext 8 empty", "c70005", []byte{}},
		{"ext 16", "c8000180ff", []byte{0xff}},
		{"ext 32", "c900000002fe0102", []byte{1, 2}},
	} {
		got, err := msgpackArg(t, tc.arg)
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %#v, %v; want %#v", tc.name, got, err, tc.want)
		}
	}
	// undefined as a dict value, as msgpackr writes {a: undefined}.
	got, err := msgpackArg(t, "82a161d40000a16201")
	if want := map[string]any{"a": nil, "b": int64(1)}; err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("dict with undefined: %#v, %v", got, err)
	}
}

// Malformed extensions are DecodeErrors: never a panic, never a value.
func TestMsgPackExtRefusals(t *testing.T) {
	for name, arg := range map[string]string{
		"timestamp of 1 byte other than 0xff":  "d4ff00",
		"timestamp of 2 bytes":                 "d5ff0000",
		"timestamp of 16 bytes":                "d8ff" + strings.Repeat("00", 16),
		"timestamp of 0 bytes":                 "c700ff",
		"timestamp 64, nanoseconds 10^9":       "d7ffee6b280000000000",
		"timestamp 64, nanoseconds 2^30-1":     "d7ffffffffff00000000",
		"timestamp 96, nanoseconds 10^9":       "c70cff3b9aca000000000000000000",
		"timestamp 96, nanoseconds 2^32-1":     "c70cffffffffff0000000000000000",
		"timestamp 96, most negative seconds":  "c70cff000000008000000000000000",
		"timestamp 96, most positive seconds":  "c70cff000000007fffffffffffffff",
		"ext 8 longer than the input":          "c70501010203",
		"ext 32 longer than the input":         "c9ffffffff01",
		"fixext 16 truncated":                  "d801" + strings.Repeat("00", 15),
		"ext header truncated":                 "c8",
		"ext type truncated":                   "c701",
		"timestamp 32 truncated":               "d6ff0000",
		"timestamp 96 truncated at the header": "c70c",
	} {
		_, err := msgpackArg(t, arg)
		mustDecodeError(t, codec.MsgPack(), err)
		var ve *protocol.ValidationError
		if errors.As(err, &ve) {
			t.Errorf("%s: refused by validation, not decoding: %v", name, err)
		}
	}
}

// msgpackTimestamp writes a timestamp extension in the shortest form for
// sec and nsec, or in the 96-bit form when long is set.
func msgpackTimestamp(sec int64, nsec uint32, long bool) string {
	var b []byte
	switch {
	case !long && nsec == 0 && sec >= 0 && sec <= math.MaxUint32:
		b = binary.BigEndian.AppendUint32([]byte{0xd6, 0xff}, uint32(sec))
	case !long && sec >= 0 && sec < 1<<34:
		b = binary.BigEndian.AppendUint64([]byte{0xd7, 0xff}, uint64(nsec)<<34|uint64(sec))
	default:
		b = binary.BigEndian.AppendUint32([]byte{0xc7, 12, 0xff}, nsec)
		b = binary.BigEndian.AppendUint64(b, uint64(sec))
	}
	return hex.EncodeToString(b)
}

// cborEpoch writes CBOR tag 1 on the integer sec.
func cborEpoch(sec int64) string {
	if sec >= 0 {
		return "c11b" + hex.EncodeToString(binary.BigEndian.AppendUint64(nil, uint64(sec)))
	}
	return "c13b" + hex.EncodeToString(binary.BigEndian.AppendUint64(nil, uint64(-1-sec)))
}

// cborDateText writes CBOR tag 0 on the text s.
func cborDateText(s string) string {
	return "c078" + hex.EncodeToString([]byte{byte(len(s))}) + hex.EncodeToString([]byte(s))
}

// The same instant decodes as the same text from a MessagePack timestamp
// (every form that holds it) and from a CBOR date/time: tag 1 on integer
// seconds, tag 0 on RFC 3339 text (in UTC or with an offset).
func TestDateTextAgrees(t *testing.T) {
	for _, tc := range []struct {
		sec  int64
		nsec uint32
		want string
	}{
		{0, 0, "1970-01-01T00:00:00Z"},
		{1, 234000000, "1970-01-01T00:00:01.234Z"},
		{-1, 999000000, "1969-12-31T23:59:59.999Z"},
		{1700000000, 123000000, "2023-11-14T22:13:20.123Z"},
		{1700000000, 1, "2023-11-14T22:13:20.000000001Z"},
		{1 << 32, 0, "2106-02-07T06:28:16Z"},
		{1<<34 - 1, 999999999, "2514-05-30T01:53:03.999999999Z"},
		{253402300799, 999999999, "9999-12-31T23:59:59.999999999Z"},
		{253402300800, 0, "+010000-01-01T00:00:00Z"},
		{-62135596800, 0, "0001-01-01T00:00:00Z"},
		{-62167219200, 0, "0000-01-01T00:00:00Z"},
		{-62167219201, 0, "-000001-12-31T23:59:59Z"},
		{8640000000000, 0, "+275760-09-13T00:00:00Z"},
		{-8640000000000, 0, "-271821-04-20T00:00:00Z"},
	} {
		var got []string
		add := func(from string, v any, err error) {
			if err != nil {
				t.Errorf("%d.%09d from %s: %v", tc.sec, tc.nsec, from, err)
				return
			}
			if v != tc.want {
				t.Errorf("%d.%09d from %s: %#v, want %q", tc.sec, tc.nsec, from, v, tc.want)
			}
			got = append(got, from)
		}
		for _, long := range []bool{false, true} {
			v, err := msgpackArg(t, msgpackTimestamp(tc.sec, tc.nsec, long))
			add("msgpack", v, err)
		}
		if tc.nsec == 0 {
			v, err := cborArg(t, cborEpoch(tc.sec))
			add("cbor tag 1", v, err)
		}
		if tm := time.Unix(tc.sec, int64(tc.nsec)).UTC(); tm.Year() >= 0 && tm.Year() <= 9999 {
			v, err := cborArg(t, cborDateText(tm.Format(time.RFC3339Nano)))
			add("cbor tag 0", v, err)
			if local := tm.In(time.FixedZone("", -(5*3600 + 30*60))); local.Year() >= 0 {
				v, err = cborArg(t, cborDateText(local.Format(time.RFC3339Nano)))
				add("cbor tag 0 at -05:30", v, err)
			}
		}
		if len(got) < 3 {
			t.Errorf("%d.%09d: compared only %v", tc.sec, tc.nsec, got)
		}
	}
	// An invalid JavaScript Date: msgpackr's one byte, and cbor-x's tag 1
	// on NaN (node-cbor writes a half-precision NaN).
	for from, v := range map[string]func() (any, error){
		"msgpackr":  func() (any, error) { return msgpackArg(t, "d4ffff") },
		"cbor-x":    func() (any, error) { return cborArg(t, "c1fb7ff8000000000000") },
		"node-cbor": func() (any, error) { return cborArg(t, "c1f97e00") },
	} {
		if got, err := v(); err != nil || got != "0001-01-01T00:00:00Z" {
			t.Errorf("invalid Date from %s: %#v, %v", from, got, err)
		}
	}
	// Beyond year ±999999: refused by both.
	last := time.Date(1000000, time.January, 1, 0, 0, 0, 0, time.UTC).Unix() - 1
	if v, err := msgpackArg(t, msgpackTimestamp(last, 999999999, true)); err != nil || v != "+999999-12-31T23:59:59.999999999Z" {
		t.Errorf("last second of year 999999: %#v, %v", v, err)
	}
	first := time.Date(-999999, time.January, 1, 0, 0, 0, 0, time.UTC).Unix()
	if v, err := cborArg(t, cborEpoch(first)); err != nil || v != "-999999-01-01T00:00:00Z" {
		t.Errorf("first second of year -999999: %#v, %v", v, err)
	}
	for _, sec := range []int64{last + 1, first - 1, 1 << 45, -1 << 45} {
		_, err := msgpackArg(t, msgpackTimestamp(sec, 0, true))
		mustDecodeError(t, codec.MsgPack(), err)
		_, err = cborArg(t, cborEpoch(sec))
		mustDecodeError(t, codec.CBOR(), err)
	}
}

// A JavaScript Date with milliseconds, which cbor-x and node-cbor write as
// tag 1 on a float64 of seconds, reads as the float's value to the
// nanosecond, truncated (the library's reading; see doc.go).
func TestCBOREpochFloat(t *testing.T) {
	date := func(f float64) string {
		return "c1fb" + hex.EncodeToString(binary.BigEndian.AppendUint64(nil, math.Float64bits(f)))
	}
	for _, tc := range []struct {
		name, arg string
		want      any
	}{
		{"new Date(1700000000123)", date(1700000000.123), "2023-11-14T22:13:20.122999906Z"},
		{"new Date(1234)", date(1.234), "1970-01-01T00:00:01.234Z"},
		{"new Date(-1)", date(-0.001), "1969-12-31T23:59:59.999Z"},
		{"new Date(-1234)", date(-1.234), "1969-12-31T23:59:58.766Z"},
		{"a microsecond date", date(1700000000.123456), "2023-11-14T22:13:20.123456001Z"},
		{"new Date(Date.UTC(2600, 0, 1, 0, 0, 0, 5))", date(19880899200.005), "2600-01-01T00:00:00.005001068Z"},
		{"whole seconds", date(1700000000), "2023-11-14T22:13:20Z"},
		{"negative zero", date(math.Copysign(0, -1)), "1970-01-01T00:00:00Z"},
		{"the latest Date", date(8.64e12), "+275760-09-13T00:00:00Z"},
		{"NaN", date(math.NaN()), "0001-01-01T00:00:00Z"},
		{"in a list", "82" + date(1.234) + date(0.5), []any{"1970-01-01T00:00:01.234Z", "1970-01-01T00:00:00.5Z"}},
		{"in an indefinite dict", "bf6161" + date(1.234) + "ff", map[string]any{"a": "1970-01-01T00:00:01.234Z"}},
		{"under another tag", "d9ffff" + date(1.234), "1970-01-01T00:00:01.234Z"},
		{"inside bytes: not a date", "4a" + date(1.234), mustHex(date(1.234))},
		{"a dict key: not text", "a1" + date(1.234) + "01", nil},
	} {
		got, err := cborArg(t, tc.arg)
		if tc.want == nil {
			mustDecodeError(t, codec.CBOR(), err)
			continue
		}
		if err != nil || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: %#v, %v; want %#v", tc.name, got, err, tc.want)
		}
	}
	// Not well-formed input with the bytes of a date is refused as before.
	for _, arg := range []string{date(1.234)[:10], "9f" + date(1.234), "c1fb"} {
		_, err := cborArg(t, arg)
		mustDecodeError(t, codec.CBOR(), err)
	}
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}
