package codec

import (
	"bytes"
	"unicode/utf8"
)

// Lone surrogates. A JavaScript or Python string may hold half of a
// surrogate pair (a string cut in the middle of an emoji does), which is
// not Unicode text. Most peers' encoders write U+FFFD in its place
// (msgpackr, msgpack5, node-cbor, TextEncoder); cbor-x, wampy.js's CBOR
// library, writes the surrogate's code point as if it were a character,
// the three bytes ED A0..BF 80..BF (WTF-8), and JSON.stringify and
// Python's json.dumps write it as an escape, "\ud800". Every codec reads
// such a surrogate as U+FFFD, the text the other encoders send for the
// same string; any other invalid UTF-8 remains an error. Input without a
// lone surrogate never reaches this file.

// replacement is U+FFFD in UTF-8.
const replacement = "\uFFFD"

// isEncodedSurrogate reports whether b starts with a surrogate code point
// written in UTF-8's three-byte form.
func isEncodedSurrogate(b []byte) bool {
	return len(b) >= 3 && b[0] == 0xed && b[1]&0xe0 == 0xa0 && b[2]&0xc0 == 0x80
}

// hasEncodedSurrogate reports whether b holds an encoded surrogate
// anywhere (in text or not: a cheap test before a slower path).
func hasEncodedSurrogate(b []byte) bool {
	for {
		i := bytes.IndexByte(b, 0xed)
		if i < 0 {
			return false
		}
		if isEncodedSurrogate(b[i:]) {
			return true
		}
		b = b[i+1:]
	}
}

// replaceSurrogates returns s, which is not valid UTF-8, with every
// encoded surrogate replaced by U+FFFD, and whether the result is valid
// UTF-8 (false: s holds other invalid bytes).
func replaceSurrogates(s []byte) ([]byte, bool) {
	out := make([]byte, 0, len(s))
	for len(s) > 0 {
		r, n := utf8.DecodeRune(s)
		if r == utf8.RuneError && n == 1 {
			if !isEncodedSurrogate(s) {
				return nil, false
			}
			out, s = append(out, replacement...), s[3:]
			continue
		}
		out, s = append(out, s[:n]...), s[n:]
	}
	return out, true
}

// textOf returns s when it is valid UTF-8, else s with its encoded
// surrogates replaced; ok is false when s holds other invalid bytes.
func textOf(s string) (string, bool) {
	if utf8.ValidString(s) {
		return s, true
	}
	b, ok := replaceSurrogates([]byte(s))
	return string(b), ok
}

// replaceSurrogatesIn applies textOf to every string in v, a value of the
// closed set, in place where it can: strings in lists, dict values and
// dict keys (a dict whose key changes is rebuilt, and two keys that
// become equal are a duplicate). It returns the new v.
func replaceSurrogatesIn(v any) (any, error) {
	switch v := v.(type) {
	case string:
		s, ok := textOf(v)
		if !ok {
			return nil, ErrInvalidUTF8
		}
		return s, nil
	case []any:
		for i, e := range v {
			ne, err := replaceSurrogatesIn(e)
			if err != nil {
				return nil, err
			}
			v[i] = ne
		}
		return v, nil
	case map[string]any:
		out := v
		for k, e := range v {
			ne, err := replaceSurrogatesIn(e)
			if err != nil {
				return nil, err
			}
			v[k] = ne
		}
		for k := range v {
			if !utf8.ValidString(k) {
				out = nil
				break
			}
		}
		if out != nil {
			return v, nil
		}
		out = make(map[string]any, len(v))
		for k, e := range v {
			nk, ok := textOf(k)
			if !ok {
				return nil, ErrInvalidUTF8
			}
			if _, dup := out[nk]; dup {
				return nil, duplicateKey(nk)
			}
			out[nk] = e
		}
		return out, nil
	}
	return v, nil
}
