package auth

import (
	"fmt"
	"strings"
	"testing"
)

func TestAuthSASLprep(t *testing.T) {
	for in, want := range map[string]string{
		// RFC 4013 section 3, the examples that succeed.
		"I\u00ADX": "IX",   // SOFT HYPHEN mapped to nothing
		"user":     "user", // no transformation
		"USER":     "USER", // case preserved
		"\u00AA":   "a",    // FEMININE ORDINAL INDICATOR, NFKC
		"\u2168":   "IX",   // ROMAN NUMERAL NINE, NFKC
		// Mapping (RFC 4013 section 2.1).
		"a\u00A0b\u3000c": "a b c", // non-ASCII spaces (C.1.2)
		"\uFEFFbom":       "bom",   // ZERO WIDTH NO-BREAK SPACE (B.1)
		"x\u200By":        "xy",    // ZERO WIDTH SPACE is in B.1 and C.1.2; B.1 wins, as in pymongo's saslprep
		// Normalization (section 2.2, NFKC).
		"caf\u0065\u0301":          "caf\u00e9",
		"\uFF50\uFF41\uFF53\uFF53": "pass", // full-width
		"\uFB01le":                 "file", // LATIN SMALL LIGATURE FI
		"caf\u00e9 \u2603":         "caf\u00e9 \u2603",
		// Bidirectional text that obeys RFC 3454 section 6.
		"\u0627\u0031\u0628": "\u0627\u0031\u0628",
	} {
		got, err := saslprep(in)
		if err != nil || got != want {
			t.Errorf("saslprep(%+q) = %+q, %v; want %+q", in, got, err, want)
		}
	}
	for _, in := range []string{
		"\u0007",       // RFC 4013 section 3: prohibited (C.2.1)
		"\u0627\u0031", // RFC 4013 section 3: bidi, RandALCat not last
		"a\x07b", "\u0080", "\uE000", "\uFDD0", "\u2FF0", "\u200E", "\U000E0001",
		"\u0221",        // unassigned in Unicode 3.2 (stored strings)
		"\u0627a\u0628", // RandALCat and LCat mixed
		"bad\xff",
	} {
		_, err := saslprep(in)
		if err == nil {
			t.Errorf("saslprep(%+q) accepted", in)
			continue
		}
		for _, r := range in {
			// Neither the character itself nor its code point.
			if r > 0x7f && strings.ContainsRune(err.Error(), r) || strings.Contains(err.Error(), fmt.Sprintf("%04x", r)) {
				t.Errorf("saslprep(%+q): error %q quotes the input", in, err)
			}
		}
	}
}
