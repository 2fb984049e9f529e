package client

import "github.com/wampgo/wampgo/protocol"

// Session describes the joined session, as the router's WELCOME told it. It
// is fixed for the life of the session.
type Session struct {
	ID           protocol.ID
	Realm        protocol.URI
	AuthID       string
	AuthRole     string
	AuthMethod   string
	AuthProvider string
	// Details is the WELCOME.Details dict as received. It must not be
	// modified: its "roles" dict may be shared with other sessions to
	// the same router.
	Details protocol.Dict
}

// RouterRoles returns the roles the router announced (such as "dealer" and
// "broker"), each with its details dict.
func (s Session) RouterRoles() map[string]protocol.Dict {
	out := map[string]protocol.Dict{}
	roles, _ := s.Details["roles"].(protocol.Dict)
	for name, v := range roles {
		d, _ := v.(protocol.Dict)
		out[name] = d
	}
	return out
}

// HasFeature reports whether the router announced feature (such as
// "progressive_call_results") for role ("dealer" or "broker").
func (s Session) HasFeature(role, feature string) bool {
	r, _ := s.RouterRoles()[role]["features"].(protocol.Dict)
	b, _ := r[feature].(bool)
	return b
}

func sessionFromWelcome(realm string, w *protocol.Welcome) Session {
	str := func(k string) string { s, _ := w.Details[k].(string); return s }
	return Session{
		ID:           w.Session,
		Realm:        realm,
		AuthID:       str("authid"),
		AuthRole:     str("authrole"),
		AuthMethod:   str("authmethod"),
		AuthProvider: str("authprovider"),
		Details:      shareRoles(w.Details),
	}
}

// clientRoles is what every HELLO announces (helloRoles), made once and
// never modified.
var clientRoles = helloRoles()

// helloRoles is what HELLO announces: the four client roles with every
// feature this package implements.
func helloRoles() protocol.Dict {
	feat := func(names ...string) protocol.Dict {
		f := protocol.Dict{}
		for _, n := range names {
			f[n] = true
		}
		return protocol.Dict{"features": f}
	}
	return protocol.Dict{
		"caller": feat("progressive_call_results", "progressive_call_invocations",
			"call_canceling", "call_timeout", "caller_identification", "payload_passthru_mode"),
		"callee": feat("progressive_call_results", "progressive_call_invocations",
			"call_canceling", "call_timeout", "caller_identification",
			"pattern_based_registration", "shared_registration", "registration_revocation",
			"payload_passthru_mode"),
		"publisher": feat("publisher_exclusion", "publisher_identification",
			"subscriber_blackwhite_listing", "payload_passthru_mode"),
		"subscriber": feat("pattern_based_subscription", "publisher_identification",
			"subscription_revocation", "event_retention", "payload_passthru_mode"),
	}
}
