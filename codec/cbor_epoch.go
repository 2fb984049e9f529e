package codec

import (
	"bytes"
	"encoding/binary"
	"math"
	"strconv"
	"strings"
	"time"
)

// Epoch dates with a fraction. cbor-x (wampy.js) and node-cbor
// (autobahn-js) write a JavaScript Date with milliseconds as tag 1 on a
// float64 of seconds: new Date(1700000000123) is the float nearest to
// 1700000000.123, which is 1700000000.1229999065... The library reads it
// as a time.Time by truncating the float to whole nanoseconds, so the date
// would read as "2023-11-14T22:13:20.122999906Z" where the MessagePack
// codec reads msgpackr's timestamp of the same Date as
// "2023-11-14T22:13:20.123Z".
//
// Before the library reads the input, rewriteEpochFloats replaces each
// tag 1 on a float64 with tag 0 on the RFC 3339 text of the float's
// shortest decimal form (strconv's, the digits JavaScript prints for it),
// which the library reads exactly. Only input holding the bytes of such a
// tag is walked; only well-formed input is rewritten, and the rewriting
// replaces whole items, so the structure the library then checks is the
// input's. (A half or single precision float holds a multiple of 1/8 s
// when it holds a millisecond date, and the library reads those exactly.)

// hasEpochFloat reports whether data holds the bytes of tag 1 followed by
// a float64 head (in an item or not: the cheap test before the walk).
func hasEpochFloat(data []byte) bool {
	return bytes.Contains(data, []byte{0xc1, 0xfb})
}

// rewriteEpochFloats returns data with every tag 1 on a float64 rewritten
// (but those whose date falls outside the years RFC 3339 can write), or
// nil when there is none or data is not one well-formed item nested at
// most maxNested levels.
func rewriteEpochFloats(data []byte, maxNested int) []byte {
	if !hasEpochFloat(data) {
		return nil
	}
	w := epochWalker{data: data, maxNested: maxNested}
	if !w.item(0) || w.off != len(data) || len(w.edits) == 0 {
		return nil
	}
	out := make([]byte, 0, len(data)+len(w.edits)*24)
	last := 0
	for _, e := range w.edits {
		out = append(out, data[last:e.start]...)
		out = append(out, 0xc0) // tag 0
		if len(e.text) < 24 {
			out = append(out, 0x60|byte(len(e.text)))
		} else {
			out = append(out, 0x78, byte(len(e.text)))
		}
		out = append(out, e.text...)
		last = e.end
	}
	return append(out, data[last:]...)
}

// epochEdit replaces data[start:end], a tag 1 on a float, with tag 0 on
// text.
type epochEdit struct {
	start, end int
	text       string
}

// epochWalker walks one CBOR item, noting the edits.
type epochWalker struct {
	data      []byte
	off       int
	maxNested int
	edits     []epochEdit
}

// head reads an item's head: major type, additional information and
// argument (0 for indefinite length).
func (w *epochWalker) head() (major, ai byte, arg uint64, ok bool) {
	if w.off >= len(w.data) {
		return 0, 0, 0, false
	}
	b := w.data[w.off]
	w.off++
	major, ai = b>>5, b&0x1f
	switch {
	case ai < 24:
		return major, ai, uint64(ai), true
	case ai == 31:
		return major, ai, 0, true
	case ai > 27:
		return 0, 0, 0, false
	}
	n := 1 << (ai - 24)
	if len(w.data)-w.off < n {
		return 0, 0, 0, false
	}
	var buf [8]byte
	copy(buf[8-n:], w.data[w.off:w.off+n])
	w.off += n
	return major, ai, binary.BigEndian.Uint64(buf[:]), true
}

// skip advances over n bytes of content.
func (w *epochWalker) skip(n uint64) bool {
	if n > uint64(len(w.data)-w.off) {
		return false
	}
	w.off += int(n)
	return true
}

// isBreak reports, and consumes, the break code that ends an indefinite
// item.
func (w *epochWalker) isBreak() bool {
	if w.off < len(w.data) && w.data[w.off] == 0xff {
		w.off++
		return true
	}
	return false
}

// item walks one item at nesting depth.
func (w *epochWalker) item(depth int) bool {
	if depth > w.maxNested {
		return false
	}
	start := w.off
	major, ai, arg, ok := w.head()
	if !ok {
		return false
	}
	switch major {
	case 0, 1:
		return ai != 31
	case 2, 3:
		if ai != 31 {
			return w.skip(arg)
		}
		for !w.isBreak() {
			m, cai, n, ok := w.head()
			if !ok || m != major || cai == 31 || !w.skip(n) {
				return false
			}
		}
		return true
	case 4, 5:
		per := uint64(1)
		if major == 5 {
			per = 2
		}
		if ai == 31 {
			for !w.isBreak() {
				for range per {
					if !w.item(depth + 1) {
						return false
					}
				}
			}
			return true
		}
		// Every item takes a byte at least.
		if arg > uint64(len(w.data)-w.off)/per {
			return false
		}
		for range arg * per {
			if !w.item(depth + 1) {
				return false
			}
		}
		return true
	case 6:
		if ai == 31 {
			return false
		}
		if arg == 1 && w.off < len(w.data) && w.data[w.off] == 0xfb {
			return w.epochFloat(start)
		}
		return w.item(depth + 1)
	}
	// Major type 7: simple values and floats (the head read them). A
	// break here is out of place, and a simple value below 32 has no
	// two-byte form.
	return ai != 31 && (ai != 24 || arg >= 32)
}

// epochFloat reads the float64 of a tag 1 that starts at start and notes
// its edit when its date has a text the library reads.
func (w *epochWalker) epochFloat(start int) bool {
	_, _, bits, ok := w.head()
	if !ok {
		return false
	}
	if text, ok := epochText(math.Float64frombits(bits)); ok {
		w.edits = append(w.edits, epochEdit{start: start, end: w.off, text: text})
	}
	return true
}

// epochText returns the RFC 3339 text, in UTC, of the instant f seconds
// after the Unix epoch, f read as its shortest decimal form (digits past
// nanoseconds dropped); false when f is not finite or the year falls
// outside 0000-9999.
func epochText(f float64) (string, bool) {
	// Years 0000 to 9999 lie within ±2^38 seconds of the epoch.
	if math.IsNaN(f) || math.Abs(f) > 1<<38 {
		return "", false
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	whole, frac, _ := strings.Cut(s, ".")
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil {
		return "", false
	}
	frac = (frac + "000000000")[:9]
	nsec, err := strconv.ParseInt(frac, 10, 64)
	if err != nil {
		return "", false
	}
	if neg {
		sec, nsec = -sec, -nsec
	}
	t := time.Unix(sec, nsec).UTC()
	if t.Year() < 0 || t.Year() > 9999 {
		return "", false
	}
	return t.Format(time.RFC3339Nano), true
}
