package codec

import (
	"bytes"
	"math"
)

// Non-finite numbers in JSON. JSON has no NaN or infinity, but Python's
// json module writes them as the bare words NaN, Infinity and -Infinity
// (allow_nan is its default), and Autobahn|Python's JSON serializer, and
// so Crossbar.io, pass them on: a Python peer that publishes float("nan")
// reaches a JSON subscriber as [36,...,[NaN]]. The decoder reads these
// words as float64 NaN and ±Inf, the values MessagePack and CBOR carry,
// instead of ending the session. (The encoder still refuses to write them:
// they are not JSON.)
//
// jsontext refuses the words, so input that fails to decode and holds one
// is read a second time (see jsonFormat.decode) with each word, in a value's
// place, replaced by a number token of the same length; the decoder maps a
// number at a replaced word's offset back to the word's value. Input that
// decodes never reaches this file.

// nonFiniteWords are the words, each with its value and its stand-in, a
// JSON number of the same length.
var nonFiniteWords = [...]struct {
	word, standIn string
	value         float64
}{
	{"NaN", "0.0", math.NaN()},
	{"Infinity", "0.000000", math.Inf(1)},
	{"-Infinity", "-0.000000", math.Inf(-1)},
}

// hasNonFiniteWord reports whether data holds NaN or Infinity anywhere (in
// a string or not: the cheap test before replaceNonFinite).
func hasNonFiniteWord(data []byte) bool {
	return bytes.Contains(data, []byte("NaN")) || bytes.Contains(data, []byte("Infinity"))
}

// replaceNonFinite returns a copy of data with every NaN, Infinity and
// -Infinity that stands in a value's place (outside strings, after '[',
// ',' or ':' and before ',', ']', '}', white space or the end) replaced by
// its stand-in, and the values by the offset of each; nil when there is
// none.
func replaceNonFinite(data []byte) ([]byte, map[int]float64) {
	var out []byte
	var at map[int]float64
	inString, escaped := false, false
	prev := byte(0) // the last byte outside strings that is not white space
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
				prev = c
			}
			continue
		}
		switch c {
		case '"':
			inString = true
			continue
		case ' ', '\t', '\r', '\n':
			continue
		}
		if prev == '[' || prev == ',' || prev == ':' {
			for _, w := range nonFiniteWords {
				if !bytes.HasPrefix(data[i:], []byte(w.word)) || !endsValue(data, i+len(w.word)) {
					continue
				}
				if out == nil {
					out, at = bytes.Clone(data), map[int]float64{}
				}
				copy(out[i:], w.standIn)
				at[i] = w.value
				i += len(w.word) - 1
				c = '0' // a number ended here
				break
			}
		}
		prev = c
	}
	return out, at
}

// endsValue reports whether a value that ends before data[i] is followed
// by what may follow a value.
func endsValue(data []byte, i int) bool {
	if i == len(data) {
		return true
	}
	switch data[i] {
	case ',', ']', '}', ' ', '\t', '\r', '\n':
		return true
	}
	return false
}
