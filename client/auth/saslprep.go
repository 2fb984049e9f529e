package auth

import (
	"errors"
	"unicode/utf8"

	"github.com/xdg-go/stringprep"
)

// saslprep prepares a password with SASLprep (RFC 4013) through
// github.com/xdg-go/stringprep: characters commonly mapped to nothing (RFC
// 3454 table B.1) are removed, non-ASCII spaces (C.1.2) become U+0020, the
// result is normalized to NFKC, and prohibited characters, unassigned code
// points (stored-string mode) and bad bidirectional text are refused. The
// error never quotes the input, not even the offending character.
func saslprep(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", errors.New("not valid UTF-8")
	}
	out, err := stringprep.SASLprep.Prepare(s)
	if err != nil {
		var se stringprep.Error
		if errors.As(err, &se) {
			return "", errors.New("SASLprep refuses it: " + se.Msg)
		}
		return "", errors.New("SASLprep refuses it")
	}
	return out, nil
}
