package clienttest

import (
	"errors"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/internal/testkit/scripted"
	"github.com/wampgo/wampgo/protocol"
)

// WelcomeAs returns the WELCOME of a router that authenticated the client
// as authid "joe", role "user", with method and authextra (left out when
// nil).
func WelcomeAs(method string, authextra protocol.Dict) *protocol.Welcome {
	d := protocol.Dict{
		"roles": scripted.Roles(), "authid": "joe", "authrole": "user",
		"authmethod": method, "authprovider": "static",
	}
	if authextra != nil {
		d["authextra"] = authextra
	}
	return &protocol.Welcome{Session: Session, Details: d}
}

// ExpectAuthAbort expects the client's ABORT wamp.error.authentication_failed,
// whose message is the join's error text, and Connect's *client.AuthError
// for method matching want and client.ErrAuthentication; it returns the
// *client.AuthError.
func (j *Join) ExpectAuthAbort(method string, want error) *client.AuthError {
	j.t.Helper()
	abort := scripted.Expect[*protocol.Abort](j.Router)
	if abort.Reason != "wamp.error.authentication_failed" {
		j.t.Fatalf("ABORT reason %s", abort.Reason)
	}
	_, err := j.Wait()
	var ae *client.AuthError
	if !errors.As(err, &ae) || !errors.Is(err, client.ErrAuthentication) || !errors.Is(err, want) || ae.Method != method {
		j.t.Fatalf("err = %v (%T), want *AuthError{%s} matching %v", err, err, method, want)
	}
	if msg, _ := abort.Details["message"].(string); msg != err.Error() {
		j.t.Fatalf("ABORT message %q, want the error's text %q", msg, err.Error())
	}
	return ae
}
