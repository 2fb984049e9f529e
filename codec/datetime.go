package codec

import (
	"errors"
	"strconv"
	"time"
)

// Dates have no type in WAMP's value set; the MessagePack timestamp
// extension and the CBOR date/time tags (0 and 1) decode as text, the same
// text from both codecs for the same instant (see dateText).

// errDateRange: a date whose year has more than six digits. No JavaScript
// Date reaches it (their years lie within ±275760), and past it
// time.Time's arithmetic may overflow.
var errDateRange = errors.New("date beyond year ±999999")

// The dates dateText can write: years -999999 to 999999, in Unix seconds.
var (
	minDateUnix = time.Date(-999999, time.January, 1, 0, 0, 0, 0, time.UTC).Unix()
	maxDateUnix = time.Date(1000000, time.January, 1, 0, 0, 0, 0, time.UTC).Unix() - 1
)

// dateText writes t in UTC as RFC 3339 text with as many fractional digits
// as its nanoseconds need (time.RFC3339Nano: "2024-01-02T03:04:05.123Z").
// A year outside 0000-9999, which RFC 3339 cannot write, takes ISO 8601's
// expanded form, a sign and six digits ("+275760-09-13T00:00:00Z"), as
// JavaScript's Date.toISOString writes it. The zero time.Time, which the
// CBOR library makes of an epoch date of NaN or an infinity (how cbor-x
// and node-cbor write an invalid JavaScript Date), is
// "0001-01-01T00:00:00Z".
func dateText(t time.Time) (string, error) {
	if s := t.Unix(); s < minDateUnix || s > maxDateUnix {
		return "", errDateRange
	}
	t = t.UTC()
	year := t.Year()
	if year >= 0 && year <= 9999 {
		return t.Format(time.RFC3339Nano), nil
	}
	b := make([]byte, 0, 40)
	if year < 0 {
		b = append(b, '-')
		year = -year
	} else {
		b = append(b, '+')
	}
	digits := strconv.Itoa(year)
	for range 6 - len(digits) {
		b = append(b, '0')
	}
	b = append(b, digits...)
	return string(t.AppendFormat(b, "-01-02T15:04:05.999999999Z07:00")), nil
}
