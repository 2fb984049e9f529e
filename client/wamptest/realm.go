package wamptest

import (
	"fmt"
	"time"

	"github.com/wampgo/wampgo/protocol"
)

// realm is one routing namespace. It exists while it has sessions, and its
// retained events outlive them until the router stops. Everything in it is
// guarded by Router.mu.
type realm struct {
	name     protocol.URI
	sessions map[protocol.ID]*session
	regs     map[protocol.ID]*registration // by registration id
	regKeys  map[matchKey]*registration    // by procedure and match policy
	subs     map[protocol.ID]*subscription // by subscription id
	subKeys  map[matchKey]*subscription    // by topic and match policy
	retained map[protocol.URI]*retainedEvent
}

// matchKey names a registration or a subscription: its URI and match
// policy (advanced/rpc_pattern_based_registration.md: the same URI under
// another policy is another registration).
type matchKey struct {
	uri   protocol.URI
	match string
}

func newRealm(name protocol.URI) *realm {
	return &realm{
		name:     name,
		sessions: map[protocol.ID]*session{},
		regs:     map[protocol.ID]*registration{},
		regKeys:  map[matchKey]*registration{},
		subs:     map[protocol.ID]*subscription{},
		subKeys:  map[matchKey]*subscription{},
		retained: map[protocol.URI]*retainedEvent{},
	}
}

// session is a joined client. Everything in it is guarded by Router.mu.
type session struct {
	id           protocol.ID
	conn         *conn
	realm        *realm
	authid       string
	authrole     string
	authmethod   string
	authprovider string
	roles        protocol.Dict // HELLO.Details.roles
	joined       time.Time
	gone         bool // left the realm; no longer routed to
	quiet        bool // leaves without meta events or testaments (wamp.session.kill_all)
	held         bool // kept joined after its connection ended (HalfOpen)

	lastReq protocol.ID // last request id received (the watermark)
	lastInv protocol.ID // last INVOCATION request id sent

	calls       map[protocol.ID]*call // as caller, by CALL request id
	invocations map[protocol.ID]*call // as callee, by INVOCATION request id
	regs        map[protocol.ID]*registration
	subs        map[protocol.ID]*subscription
	testaments  map[string][]testament // by scope: "detached", "destroyed"
}

// identity is who a session is once authenticated: the values WELCOME
// reports.
type identity struct {
	authid, authrole, authmethod, authprovider string
	authextra                                  protocol.Dict
}

// join creates the session for an accepted HELLO and adds it to its realm.
// Called with r.mu held.
func (r *Router) join(c *conn, h *protocol.Hello, who identity) *session {
	id := c.sessionID
	if id == 0 || r.sessions[id] != nil {
		id = r.newSessionID()
	}
	rm := r.realms[h.Realm]
	if rm == nil {
		rm = newRealm(h.Realm)
		r.realms[h.Realm] = rm
	}
	s := &session{
		id:           id,
		conn:         c,
		realm:        rm,
		authid:       who.authid,
		authrole:     who.authrole,
		authmethod:   who.authmethod,
		authprovider: who.authprovider,
		joined:       time.Now(),
		calls:        map[protocol.ID]*call{},
		invocations:  map[protocol.ID]*call{},
		regs:         map[protocol.ID]*registration{},
		subs:         map[protocol.ID]*subscription{},
		testaments:   map[string][]testament{},
	}
	if s.authid == "" {
		s.authid = fmt.Sprintf("anonymous-%d", id)
	}
	s.roles, _ = h.Details["roles"].(protocol.Dict)
	r.sessions[id] = s
	rm.sessions[id] = s
	return s
}

// leave removes a session from routing: its testaments are published, its
// calls, invocations, registrations and subscriptions end
// (basic/remote_procedure_call.md, "Caller Leaving" and "Callee Leaving"),
// and wamp.session.on_leave goes out. It is idempotent. Called with r.mu
// held.
func (r *Router) leave(s *session) {
	if s.gone {
		return
	}
	s.gone = true
	rm := s.realm
	delete(rm.sessions, s.id)
	delete(r.sessions, s.id)
	if !s.quiet {
		r.publishTestaments(s)
	}
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
	for _, reg := range sortedByID(s.regs) {
		r.dropCallee(reg, s)
	}
	for _, sub := range sortedByID(s.subs) {
		r.dropSubscriber(sub, s)
	}
	if !s.quiet {
		r.metaEvent(rm, uriOnLeave, protocol.List{int64(s.id), s.authid, s.authrole}, nil)
	}
	if len(rm.sessions) == 0 && len(rm.retained) == 0 {
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

// details is the session's description in the session meta API
// (advanced/meta_api_sessions.md, wamp.session.get and on_join).
func (s *session) details() protocol.Dict {
	return protocol.Dict{
		"session":      int64(s.id),
		"authid":       s.authid,
		"authrole":     s.authrole,
		"authmethod":   s.authmethod,
		"authprovider": s.authprovider,
		"transport":    protocol.Dict{"type": s.conn.kind, "serializer": s.conn.t.Serializer()},
	}
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
		protocol.FeatureProgressiveCallInvocations,
		protocol.FeatureCallCanceling,
		protocol.FeatureCallTimeout,
		protocol.FeatureCallerIdentification,
		protocol.FeaturePatternBasedRegistration,
		protocol.FeatureSharedRegistration,
		protocol.FeatureSessionMetaAPI,
		protocol.FeatureRegistrationMetaAPI,
		protocol.FeatureTestamentMetaAPI,
		protocol.FeaturePayloadPassthruMode,
	}
	brokerFeatures = []string{
		protocol.FeaturePublisherExclusion,
		protocol.FeaturePublisherIdentification,
		protocol.FeatureSubscriberBlackwhiteListing,
		protocol.FeaturePatternBasedSubscription,
		protocol.FeatureEventRetention,
		protocol.FeatureSessionMetaAPI,
		protocol.FeatureSubscriptionMetaAPI,
		protocol.FeaturePayloadPassthruMode,
	}
)

// welcomeDetails builds WELCOME.Details for s, fresh for each session.
func (s *session) welcomeDetails(extra protocol.Dict) protocol.Dict {
	features := func(names []string) protocol.Dict {
		f := protocol.Dict{}
		for _, n := range names {
			f[n] = true
		}
		return protocol.Dict{"features": f}
	}
	d := protocol.Dict{
		"realm":        s.realm.name,
		"authid":       s.authid,
		"authrole":     s.authrole,
		"authmethod":   s.authmethod,
		"authprovider": s.authprovider,
		"agent":        "wampgo-wamptest",
		"roles": protocol.Dict{
			protocol.RoleDealer: features(dealerFeatures),
			protocol.RoleBroker: features(brokerFeatures),
		},
	}
	if extra != nil {
		d["authextra"] = extra
	}
	return d
}
