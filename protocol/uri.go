package protocol

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// ValidURI reports whether uri is a well-formed WAMP URI
// (basic/building_blocks.md, "URIs").
//
// Components are the parts between dots. With strict false (the loose rule,
// which every peer MUST follow) a component must not contain '.', '#' or
// whitespace; with strict true (the recommended rule) it may contain only
// lower-case ASCII letters, digits and '_'. Unless allowEmptyComponents is
// set, no component may be empty; with it set (wildcard patterns), any
// component may be, as in "com.myapp..update", and so may the whole URI.
// A URI must be valid UTF-8.
func ValidURI(uri string, strict bool, allowEmptyComponents bool) bool {
	return checkURI(uri, strict, allowEmptyComponents, false)
}

// validPrefixURI reports whether uri is a valid prefix for prefix-matching
// subscriptions and registrations: a loose (or strict) URI whose last
// component may be empty, such as "com.myapp." or "com.myapp.topic".
func validPrefixURI(uri string, strict bool) bool {
	return checkURI(uri, strict, false, true)
}

func checkURI(uri string, strict, emptyOK, lastEmptyOK bool) bool {
	if uri == "" {
		return emptyOK || lastEmptyOK
	}
	// ASCII fast path: one pass over the bytes. At the first non-ASCII byte
	// the URI is checked again by checkURIRunes, which also validates UTF-8.
	table := &uriByteLoose
	if strict {
		table = &uriByteStrict
	}
	start := 0 // of the current component
	for i := 0; i < len(uri); i++ {
		c := uri[i]
		switch {
		case c >= utf8.RuneSelf:
			return checkURIRunes(uri, strict, emptyOK, lastEmptyOK)
		case c == '.':
			if i == start && !emptyOK {
				return false
			}
			start = i + 1
		case !table[c]:
			return false
		}
	}
	// The last component.
	return start < len(uri) || emptyOK || lastEmptyOK
}

// checkURIRunes is checkURI for any URI, ASCII or not.
func checkURIRunes(uri string, strict, emptyOK, lastEmptyOK bool) bool {
	if !utf8.ValidString(uri) {
		return false
	}
	if uri == "" {
		return emptyOK || lastEmptyOK
	}
	for {
		comp, rest, more := strings.Cut(uri, ".")
		if comp == "" {
			last := !more
			if !emptyOK && !(last && lastEmptyOK) {
				return false
			}
		}
		for _, r := range comp {
			if !validURIRune(r, strict) {
				return false
			}
		}
		if !more {
			return true
		}
		uri = rest
	}
}

// uriByteLoose and uriByteStrict are validURIRune for the ASCII runes.
var uriByteLoose, uriByteStrict = uriByteTables()

func uriByteTables() (loose, strict [utf8.RuneSelf]bool) {
	for r := range rune(utf8.RuneSelf) {
		loose[r] = validURIRune(r, false)
		strict[r] = validURIRune(r, true)
	}
	return loose, strict
}

func validURIRune(r rune, strict bool) bool {
	if strict {
		return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_'
	}
	return r != '#' && r != '.' && !unicode.IsSpace(r)
}
