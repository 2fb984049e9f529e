package wsconn

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ErrRedirect matches the error of a Dial whose server answered the
// opening handshake with an HTTP redirect that Options.FollowRedirects does
// not allow.
var ErrRedirect = errors.New("wsconn: redirect refused")

// maxRedirects bounds the redirects one handshake follows, as net/http's
// default policy does.
const maxRedirects = 10

// checkRedirect returns the http.Client.CheckRedirect of the handshake:
// no redirect unless follow, and then only to the scheme and host of the
// first request (so never from https:// to http://), at most maxRedirects
// of them; next, if not nil, is the caller's own policy, consulted for the
// redirects allowed here.
func checkRedirect(follow bool, next func(*http.Request, []*http.Request) error) func(*http.Request, []*http.Request) error {
	return func(req *http.Request, via []*http.Request) error {
		first := via[0].URL
		switch {
		case !follow:
			return fmt.Errorf("%w: to %s (see Options.FollowRedirects)", ErrRedirect, redactURL(req.URL.String()))
		case !strings.EqualFold(req.URL.Scheme, first.Scheme) || !strings.EqualFold(req.URL.Host, first.Host):
			return fmt.Errorf("%w: from %s to %s: another scheme or host", ErrRedirect,
				redactURL(first.String()), redactURL(req.URL.String()))
		case len(via) >= maxRedirects:
			return fmt.Errorf("%w: more than %d", ErrRedirect, maxRedirects)
		}
		if next != nil {
			return next(req, via)
		}
		return nil
	}
}
