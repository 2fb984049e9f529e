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

func validURIRune(r rune, strict bool) bool {
	if strict {
		return r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_'
	}
	return r != '#' && r != '.' && !unicode.IsSpace(r)
}
