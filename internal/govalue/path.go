package govalue

import "strconv"

// A path locates a value inside a payload value, as a sequence of steps:
// ".name" or `["key with spaces"]` for a dict entry, "[i]" for a list
// element. Every step starts with '.' or '[', so steps concatenate, and
// a path built so is prefixed by a parent's step by concatenation too.

// KeyStep is the path step of dict key k: ".k" for identifier-like keys
// (letters, digits, '_' and '-', not starting with a digit or '-'),
// `["k"]` (Go-quoted) otherwise.
func KeyStep(k string) string {
	if isIdent(k) {
		return "." + k
	}
	return "[" + strconv.Quote(k) + "]"
}

// IndexStep is the path step of list element i: "[i]".
func IndexStep(i int) string { return "[" + strconv.Itoa(i) + "]" }

// RootPath turns a path of steps (".name.x", "[1]") into the form shown
// for the value it starts from ("name.x", "[1]"): a leading '.' is dropped.
func RootPath(p string) string {
	if len(p) > 0 && p[0] == '.' {
		return p[1:]
	}
	return p
}

// StepPath is RootPath's inverse: it turns a root path ("name.x", "[1]",
// "") back into steps (".name.x", "[1]", ""), to be put after a parent's
// path.
func StepPath(p string) string {
	if p == "" || p[0] == '[' {
		return p
	}
	return "." + p
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '-'):
		default:
			return false
		}
	}
	return true
}
