package auth

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// saslprep prepares a password as SASLprep (RFC 4013) does, except for the
// NFKC normalization (see SCRAM): non-ASCII spaces (RFC 3454 table C.1.2)
// become U+0020, characters commonly mapped to nothing (B.1) are removed,
// and the prohibited characters of RFC 4013 section 2.3 are refused. The
// error never quotes the input.
func saslprep(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errors.New("not valid UTF-8")
	}
	var b strings.Builder
	for _, r := range s {
		switch {
		case inRanges(r, nonASCIISpace):
			b.WriteByte(' ')
		case inRanges(r, mappedToNothing):
		case inRanges(r, prohibited):
			return "", errors.New("contains a character that SASLprep prohibits (a control, private-use, non-character or similar code point)")
		default:
			b.WriteRune(r)
		}
	}
	return b.String(), nil
}

type runeRange struct{ lo, hi rune }

func inRanges(r rune, rs []runeRange) bool {
	for _, x := range rs {
		if r >= x.lo && r <= x.hi {
			return true
		}
	}
	return false
}

// nonASCIISpace is RFC 3454 table C.1.2.
var nonASCIISpace = []runeRange{
	{0x00A0, 0x00A0}, {0x1680, 0x1680}, {0x2000, 0x200B}, {0x202F, 0x202F},
	{0x205F, 0x205F}, {0x3000, 0x3000},
}

// mappedToNothing is RFC 3454 table B.1.
var mappedToNothing = []runeRange{
	{0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x1806, 0x1806}, {0x180B, 0x180D},
	{0x200B, 0x200D}, {0x2060, 0x2060}, {0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF},
}

// prohibited is RFC 3454 tables C.2.1, C.2.2, C.3, C.4, C.5, C.6, C.7, C.8
// and C.9 (C.1.2 is mapped above).
var prohibited = []runeRange{
	// C.2.1 ASCII control characters.
	{0x0000, 0x001F}, {0x007F, 0x007F},
	// C.2.2 non-ASCII control characters.
	{0x0080, 0x009F}, {0x06DD, 0x06DD}, {0x070F, 0x070F}, {0x180E, 0x180E},
	{0x200C, 0x200D}, {0x2028, 0x2029}, {0x2060, 0x2063}, {0x206A, 0x206F},
	{0xFEFF, 0xFEFF}, {0xFFF9, 0xFFFC}, {0x1D173, 0x1D17A},
	// C.3 private use.
	{0xE000, 0xF8FF}, {0xF0000, 0xFFFFD}, {0x100000, 0x10FFFD},
	// C.4 non-character code points.
	{0xFDD0, 0xFDEF}, {0xFFFE, 0xFFFF}, {0x1FFFE, 0x1FFFF}, {0x2FFFE, 0x2FFFF},
	{0x3FFFE, 0x3FFFF}, {0x4FFFE, 0x4FFFF}, {0x5FFFE, 0x5FFFF}, {0x6FFFE, 0x6FFFF},
	{0x7FFFE, 0x7FFFF}, {0x8FFFE, 0x8FFFF}, {0x9FFFE, 0x9FFFF}, {0xAFFFE, 0xAFFFF},
	{0xBFFFE, 0xBFFFF}, {0xCFFFE, 0xCFFFF}, {0xDFFFE, 0xDFFFF}, {0xEFFFE, 0xEFFFF},
	{0xFFFFE, 0xFFFFF}, {0x10FFFE, 0x10FFFF},
	// C.5 surrogates (not valid in UTF-8; listed for completeness).
	{0xD800, 0xDFFF},
	// C.6 inappropriate for plain text.
	{0xFFF9, 0xFFFD},
	// C.7 inappropriate for canonical representation.
	{0x2FF0, 0x2FFB},
	// C.8 change display properties or deprecated.
	{0x0340, 0x0341}, {0x200E, 0x200F}, {0x202A, 0x202E}, {0x206A, 0x206F},
	// C.9 tagging characters.
	{0xE0001, 0xE0001}, {0xE0020, 0xE007F},
}
