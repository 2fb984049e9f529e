package wsconn

import (
	"errors"
	"net/url"
	"strings"
)

// redactURL returns rawURL without its query, fragment and password, for
// errors: these may carry tokens.
func redactURL(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil {
		return "<unparsable URL>"
	}
	u.RawQuery, u.ForceQuery, u.Fragment, u.RawFragment = "", false, "", ""
	return u.Redacted()
}

// dialError is the error of a failed Dial whose text shows the URLs
// without their secrets (see redactURL); Unwrap gives the original.
type dialError struct {
	err  error
	text string
}

func (e *dialError) Error() string { return e.text }
func (e *dialError) Unwrap() error { return e.err }

// redactDialError returns err with the URLs of the handshake redacted in
// its text: the one dialled and the one net/http quotes (rewritten to
// http:// or https://, or the target of a redirect).
func redactDialError(err error, rawURL string) error {
	text := err.Error()
	urls := []string{rawURL}
	var ue *url.Error
	if errors.As(err, &ue) {
		urls = append(urls, ue.URL)
	}
	for _, u := range urls {
		if r := redactURL(u); r != u {
			text = strings.ReplaceAll(text, u, r)
		}
	}
	if text == err.Error() {
		return err
	}
	return &dialError{err: err, text: text}
}
