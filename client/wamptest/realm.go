package wamptest

import (
	"fmt"
	"slices"

	"github.com/wampgo/wampgo/protocol"
)

// realm is one routing namespace. It exists while it has sessions.
// Everything in it is guarded by Router.mu.
type realm struct {
	name     protocol.URI
	sessions map[protocol.ID]*session
	procs    map[protocol.URI]*registration // by procedure
	regs     map[protocol.ID]*registration  // by registration id
	topics   map[protocol.URI]*subscription // by topic
	subs     map[protocol.ID]*subscription  // by subscription id
}

// session is a joined client. Everything in it is guarded by Router.mu.
type session struct {
	id       protocol.ID
	conn     *conn
	realm    *realm
	authid   string
	authrole string
	roles    protocol.Dict // HELLO.Details.roles
	gone     bool          // left the realm; no longer routed to

	lastReq protocol.ID // last request id received (the watermark)
	lastInv protocol.ID // last INVOCATION request id sent

	calls       map[protocol.ID]*call // as caller, by CALL request id
	invocations map[protocol.ID]*call // as callee, by INVOCATION request id
	regs        map[protocol.ID]*registration
	subs        map[protocol.ID]*subscription
}

// join creates the session for a valid HELLO and adds it to its realm.
// Called with r.mu held.
func (r *Router) join(c *conn, h *protocol.Hello) *session {
	id := globalID()
	for r.sessions[id] != nil {
		id = globalID()
	}
	rm := r.realms[h.Realm]
	if rm == nil {
		rm = &realm{
			name:     h.Realm,
			sessions: map[protocol.ID]*session{},
			procs:    map[protocol.URI]*registration{},
			regs:     map[protocol.ID]*registration{},
			topics:   map[protocol.URI]*subscription{},
			subs:     map[protocol.ID]*subscription{},
		}
		r.realms[h.Realm] = rm
	}
	s := &session{
		id:          id,
		conn:        c,
		realm:       rm,
		authid:      fmt.Sprintf("anonymous-%d", id),
		authrole:    "anonymous",
		calls:       map[protocol.ID]*call{},
		invocations: map[protocol.ID]*call{},
		regs:        map[protocol.ID]*registration{},
		subs:        map[protocol.ID]*subscription{},
	}
	s.roles, _ = h.Details["roles"].(protocol.Dict)
	if a, ok := h.Details["authid"].(string); ok && a != "" {
		s.authid = a
	}
	if a, ok := h.Details["authrole"].(string); ok && a != "" {
		s.authrole = a
	}
	r.sessions[id] = s
	rm.sessions[id] = s
	return s
}

// leave removes a session from routing: its calls, invocations,
// registrations and subscriptions end (basic/remote_procedure_call.md,
// "Caller Leaving" and "Callee Leaving"). It is idempotent. Called with
// r.mu held.
func (r *Router) leave(s *session) {
	if s.gone {
		return
	}
	s.gone = true
	for _, c := range s.calls {
		r.finish(c)
		if c.callee != s && c.callee.has(protocol.RoleCallee, protocol.FeatureCallCanceling) {
			c.callee.send(&protocol.Interrupt{Request: c.inv, Options: protocol.Dict{"mode": protocol.CancelKillNoWait}})
		}
	}
	for _, c := range s.invocations {
		r.finish(c)
		c.caller.send(&protocol.Error{RequestType: protocol.TypeCall, Request: c.req, Details: protocol.Dict{},
			Error: protocol.URIErrCanceled, Payload: protocol.Payload{Args: protocol.List{"the callee left"}}})
	}
	for _, reg := range s.regs {
		r.dropRegistration(reg)
	}
	for _, sub := range s.subs {
		r.dropSubscriber(sub, s)
	}
	rm := s.realm
	delete(rm.sessions, s.id)
	delete(r.sessions, s.id)
	if len(rm.sessions) == 0 {
		delete(r.realms, rm.name)
	}
	r.cfg.logger.Debug("wamptest: session left", "realm", rm.name, "session", s.id)
}

// send queues msg for the session's client, unless the session has left.
func (s *session) send(msg protocol.Message) {
	if !s.gone {
		s.conn.send(msg)
	}
}

// has reports whether the client announced feature for role in HELLO.
func (s *session) has(role, feature string) bool {
	rd, _ := s.roles[role].(protocol.Dict)
	fd, _ := rd["features"].(protocol.Dict)
	b, _ := fd[feature].(bool)
	return b
}

// nextRequest checks that id continues the session-scope sequence of the
// client's requests and advances it (basic/building_blocks.md, "IDs").
func (s *session) nextRequest(id protocol.ID) error {
	if s.conn.r.cfg.lenientIDs {
		return nil
	}
	if want := s.expectedRequest(); id != want {
		return fmt.Errorf("request id %d out of sequence: want %d", id, want)
	}
	s.lastReq = id
	return nil
}

func (s *session) expectedRequest() protocol.ID { return s.lastReq%protocol.MaxID + 1 }

// nextInvocation returns the next router-to-client request id.
func (s *session) nextInvocation() protocol.ID {
	s.lastInv = s.lastInv%protocol.MaxID + 1
	return s.lastInv
}

// The router's roles and features, as WELCOME announces them.
var (
	dealerFeatures = []string{
		protocol.FeatureProgressiveCallResults,
		protocol.FeatureCallCanceling,
		protocol.FeatureCallTimeout,
		protocol.FeatureCallerIdentification,
		protocol.FeatureProgressiveCallInvocations,
	}
	brokerFeatures = []string{
		protocol.FeaturePublisherExclusion,
		protocol.FeaturePublisherIdentification,
		protocol.FeatureSubscriberBlackwhiteListing,
	}
)

// welcomeDetails builds WELCOME.Details for s, fresh for each session.
func (s *session) welcomeDetails() protocol.Dict {
	features := func(names []string) protocol.Dict {
		f := protocol.Dict{}
		for _, n := range names {
			f[n] = true
		}
		return protocol.Dict{"features": f}
	}
	return protocol.Dict{
		"realm":        s.realm.name,
		"authid":       s.authid,
		"authrole":     s.authrole,
		"authmethod":   "anonymous",
		"authprovider": "static",
		"agent":        "wampgo-wamptest",
		"roles": protocol.Dict{
			protocol.RoleDealer: features(dealerFeatures),
			protocol.RoleBroker: features(brokerFeatures),
		},
	}
}

// uriSessionCount is the session meta procedure the router answers itself
// (advanced/meta_api_sessions.md).
const uriSessionCount = "wamp.session.count"

// sessionCount answers wamp.session.count: the number of sessions in the
// caller's realm, only those with an authrole in the optional first
// argument (filter_authroles|list[string]) if given.
func (r *Router) sessionCount(s *session, m *protocol.Call) {
	var filter []string
	if len(m.Args) > 0 {
		var ok bool
		if filter, ok = stringList(m.Args[0]); !ok {
			s.send(&protocol.Error{RequestType: protocol.TypeCall, Request: m.Request, Details: protocol.Dict{},
				Error: protocol.URIErrInvalidArgument, Payload: protocol.Payload{Args: protocol.List{"filter_authroles must be a list of strings"}}})
			return
		}
	}
	n := 0
	for _, x := range s.realm.sessions {
		if filter == nil || slices.Contains(filter, x.authrole) {
			n++
		}
	}
	s.send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}, Payload: protocol.Payload{Args: protocol.List{int64(n)}}})
}
