package wamptest

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wampgo/wampgo/protocol"
)

// The meta events the router publishes (advanced/meta_api_sessions.md,
// meta_api_registrations.md, meta_api_subscriptions.md).
const (
	uriOnJoin           = "wamp.session.on_join"
	uriOnLeave          = "wamp.session.on_leave"
	uriRegOnCreate      = "wamp.registration.on_create"
	uriRegOnRegister    = "wamp.registration.on_register"
	uriRegOnUnregister  = "wamp.registration.on_unregister"
	uriRegOnDelete      = "wamp.registration.on_delete"
	uriSubOnCreate      = "wamp.subscription.on_create"
	uriSubOnSubscribe   = "wamp.subscription.on_subscribe"
	uriSubOnUnsubscribe = "wamp.subscription.on_unsubscribe"
	uriSubOnDelete      = "wamp.subscription.on_delete"
)

// metaEvent publishes a meta event from the router itself to the realm's
// subscribers of topic. Events about a subscription to a wamp. topic are
// not published: watching the meta events would otherwise report itself.
func (r *Router) metaEvent(rm *realm, topic protocol.URI, args protocol.List, about *subscription) {
	if about != nil && strings.HasPrefix(about.topic, "wamp.") {
		return
	}
	subs := rm.matchingSubscriptions(topic)
	if len(subs) == 0 {
		return
	}
	pub := r.globalID()
	for _, sub := range subs {
		details := protocol.Dict{}
		if sub.match != protocol.MatchExact {
			details["topic"] = topic
		}
		ev := &protocol.Event{Subscription: sub.id, Publication: pub, Details: details, Payload: protocol.Payload{Args: args}}
		for _, x := range sub.subscribers {
			x.send(ev)
		}
	}
}

// metaError is a meta procedure's ERROR: its URI and message.
type metaError struct {
	uri protocol.URI
	msg string
}

func errArg(format string, a ...any) *metaError {
	return &metaError{protocol.URIErrInvalidArgument, fmt.Sprintf(format, a...)}
}

// metaProc answers one meta procedure for caller s.
type metaProc func(r *Router, s *session, args protocol.List, kwargs protocol.Dict) (protocol.List, *metaError)

// metaProcedures are the procedures the router answers itself, in the
// caller's realm.
var metaProcedures = map[protocol.URI]metaProc{
	"wamp.session.count":                  sessionCount,
	"wamp.session.list":                   sessionList,
	"wamp.session.get":                    sessionGet,
	"wamp.session.kill":                   sessionKill,
	"wamp.session.kill_by_authid":         sessionKillByAuthID,
	"wamp.session.kill_by_authrole":       sessionKillByAuthRole,
	"wamp.session.kill_all":               sessionKillAll,
	"wamp.session.add_testament":          addTestament,
	"wamp.session.flush_testaments":       flushTestaments,
	"wamp.registration.list":              registrationList,
	"wamp.registration.lookup":            registrationLookup,
	"wamp.registration.match":             registrationMatch,
	"wamp.registration.get":               registrationGet,
	"wamp.registration.list_callees":      registrationListCallees,
	"wamp.registration.count_callees":     registrationCountCallees,
	"wamp.subscription.list":              subscriptionList,
	"wamp.subscription.lookup":            subscriptionLookup,
	"wamp.subscription.match":             subscriptionMatch,
	"wamp.subscription.get":               subscriptionGet,
	"wamp.subscription.list_subscribers":  subscriptionListSubscribers,
	"wamp.subscription.count_subscribers": subscriptionCountSubscribers,
}

// answerMeta runs a meta procedure and sends its RESULT or ERROR.
func (r *Router) answerMeta(s *session, m *protocol.Call, proc metaProc) {
	res, merr := proc(r, s, m.Args, m.Kwargs)
	if merr != nil {
		s.send(&protocol.Error{RequestType: protocol.TypeCall, Request: m.Request, Details: protocol.Dict{},
			Error: merr.uri, Payload: protocol.Payload{Args: protocol.List{merr.msg}}})
		return
	}
	s.send(&protocol.Result{Request: m.Request, Details: protocol.Dict{}, Payload: protocol.Payload{Args: res}})
}

// argAt returns args[i], or nil when absent.
func argAt(args protocol.List, i int) any {
	if i < len(args) {
		return args[i]
	}
	return nil
}

// idArg reads a positional id argument.
func idArg(args protocol.List, i int, name string) (protocol.ID, *metaError) {
	n, ok := toInt(argAt(args, i))
	if !ok || n < 1 || uint64(n) > protocol.MaxID {
		return 0, errArg("%s must be an id", name)
	}
	return protocol.ID(n), nil
}

// uriArg reads a positional URI argument.
func uriArg(args protocol.List, i int, name string) (protocol.URI, *metaError) {
	u, ok := argAt(args, i).(string)
	if !ok || u == "" {
		return "", errArg("%s must be a URI", name)
	}
	return u, nil
}

// roleFilter reads the optional filter_authroles argument.
func roleFilter(args protocol.List) ([]string, *metaError) {
	if len(args) == 0 || args[0] == nil {
		return nil, nil
	}
	filter, ok := stringList(args[0])
	if !ok {
		return nil, errArg("filter_authroles must be a list of strings")
	}
	return filter, nil
}

func filteredSessions(rm *realm, filter []string) []*session {
	var out []*session
	for _, x := range sortedByID(rm.sessions) {
		if filter == nil || slices.Contains(filter, x.authrole) {
			out = append(out, x)
		}
	}
	return out
}

func sessionIDs(ss []*session) protocol.List {
	ids := protocol.List{}
	for _, x := range ss {
		ids = append(ids, int64(x.id))
	}
	return ids
}

func sessionCount(_ *Router, s *session, args protocol.List, _ protocol.Dict) (protocol.List, *metaError) {
	filter, err := roleFilter(args)
	if err != nil {
		return nil, err
	}
	return protocol.List{int64(len(filteredSessions(s.realm, filter)))}, nil
}

func sessionList(_ *Router, s *session, args protocol.List, _ protocol.Dict) (protocol.List, *metaError) {
	filter, err := roleFilter(args)
	if err != nil {
		return nil, err
	}
	return protocol.List{sessionIDs(filteredSessions(s.realm, filter))}, nil
}

func sessionGet(_ *Router, s *session, args protocol.List, _ protocol.Dict) (protocol.List, *metaError) {
	id, err := idArg(args, 0, "session")
	if err != nil {
		return nil, err
	}
	x := s.realm.sessions[id]
	if x == nil {
		return nil, &metaError{protocol.URIErrNoSuchSession, fmt.Sprintf("no session %d in this realm", id)}
	}
	return protocol.List{x.details()}, nil
}

// killReason reads the reason and message keyword arguments of the kill
// procedures.
func killReason(kwargs protocol.Dict) (protocol.URI, string, *metaError) {
	reason := protocol.URI("wamp.close.killed")
	if v, ok := kwargs["reason"]; ok {
		u, ok := v.(string)
		if !ok || !protocol.ValidURI(u, false, false) {
			return "", "", &metaError{protocol.URIErrInvalidURI, "reason must be a valid non-empty URI"}
		}
		reason = u
	}
	msg, _ := kwargs["message"].(string)
	return reason, msg, nil
}

// killWhere ends, with GOODBYE, every other session of the caller's realm
// that pick selects, and returns them.
func (r *Router) killWhere(s *session, kwargs protocol.Dict, quiet bool, pick func(*session) bool) ([]*session, *metaError) {
	reason, msg, err := killReason(kwargs)
	if err != nil {
		return nil, err
	}
	var killed []*session
	for _, x := range sortedByID(s.realm.sessions) {
		if x != s && pick(x) {
			x.quiet = quiet
			x.conn.goodbye(reason, msg)
			killed = append(killed, x)
		}
	}
	return killed, nil
}

func sessionKill(r *Router, s *session, args protocol.List, kwargs protocol.Dict) (protocol.List, *metaError) {
	id, err := idArg(args, 0, "session")
	if err != nil {
		return nil, err
	}
	if x := s.realm.sessions[id]; x == nil || x == s {
		return nil, &metaError{protocol.URIErrNoSuchSession, fmt.Sprintf("no other session %d in this realm", id)}
	}
	_, err = r.killWhere(s, kwargs, false, func(x *session) bool { return x.id == id })
	return nil, err
}

func sessionKillByAuthID(r *Router, s *session, args protocol.List, kwargs protocol.Dict) (protocol.List, *metaError) {
	authid, ok := argAt(args, 0).(string)
	if !ok {
		return nil, errArg("authid must be a string")
	}
	killed, err := r.killWhere(s, kwargs, false, func(x *session) bool { return x.authid == authid })
	if err != nil {
		return nil, err
	}
	return protocol.List{sessionIDs(killed)}, nil
}

func sessionKillByAuthRole(r *Router, s *session, args protocol.List, kwargs protocol.Dict) (protocol.List, *metaError) {
	authrole, ok := argAt(args, 0).(string)
	if !ok {
		return nil, errArg("authrole must be a string")
	}
	killed, err := r.killWhere(s, kwargs, false, func(x *session) bool { return x.authrole == authrole })
	if err != nil {
		return nil, err
	}
	return protocol.List{int64(len(killed))}, nil
}

// sessionKillAll kills every other session of the realm, without meta
// events or testaments (advanced/meta_api_sessions.md, kill_all).
func sessionKillAll(r *Router, s *session, _ protocol.List, kwargs protocol.Dict) (protocol.List, *metaError) {
	killed, err := r.killWhere(s, kwargs, true, func(*session) bool { return true })
	if err != nil {
		return nil, err
	}
	return protocol.List{int64(len(killed))}, nil
}

// lookupOptions reads the match policy of a lookup's optional options.
func lookupOptions(args protocol.List) (string, *metaError) {
	o, _ := argAt(args, 1).(protocol.Dict)
	match, ok := matchPolicy(o)
	if !ok {
		return "", errArg("unknown match policy %q", match)
	}
	return match, nil
}

// nullableID is an id result, or nil for none.
func nullableID(id protocol.ID, found bool) protocol.List {
	if !found {
		return protocol.List{nil}
	}
	return protocol.List{int64(id)}
}

func registrationList(_ *Router, s *session, _ protocol.List, _ protocol.Dict) (protocol.List, *metaError) {
	lists := protocol.Dict{protocol.MatchExact: protocol.List{}, protocol.MatchPrefix: protocol.List{}, protocol.MatchWildcard: protocol.List{}}
	for _, reg := range sortedByID(s.realm.regs) {
		lists[reg.match] = append(lists[reg.match].(protocol.List), int64(reg.id))
	}
	return protocol.List{lists}, nil
}

func registrationLookup(_ *Router, s *session, args protocol.List, _ protocol.Dict) (protocol.List, *metaError) {
	proc, err := uriArg(args, 0, "procedure")
	if err != nil {
		return nil, err
	}
	match, err := lookupOptions(args)
	if err != nil {
		return nil, err
	}
	reg := s.realm.regKeys[matchKey{proc, match}]
	return nullableID(idOf(reg), reg != nil), nil
}

func registrationMatch(_ *Router, s *session, args protocol.List, _ protocol.Dict) (protocol.List, *metaError) {
	proc, err := uriArg(args, 0, "procedure")
	if err != nil {
		return nil, err
	}
	reg := s.realm.bestRegistration(proc)
	return nullableID(idOf(reg), reg != nil), nil
}

func idOf(reg *registration) protocol.ID {
	if reg == nil {
		return 0
	}
	return reg.id
}

// registrationArg finds the registration named by the first argument.
func registrationArg(s *session, args protocol.List) (*registration, *metaError) {
	id, err := idArg(args, 0, "registration")
	if err != nil {
		return nil, err
	}
	reg := s.realm.regs[id]
	if reg == nil {
		return nil, &metaError{protocol.URIErrNoSuchRegistration, fmt.Sprintf("no registration %d in this realm", id)}
	}
	return reg, nil
}

func registrationGet(_ *Router, s *session, args protocol.List, _ protocol.Dict) (protocol.List, *metaError) {
	reg, err := registrationArg(s, args)
	if err != nil {
		return nil, err
	}
	return protocol.List{reg.details()}, nil
}

func registrationListCallees(_ *Router, s *session, args protocol.List, _ protocol.Dict) (protocol.List, *metaError) {
	reg, err := registrationArg(s, args)
	if err != nil {
		return nil, err
	}
	ids := protocol.List{}
	for _, c := range reg.callees {
		ids = append(ids, int64(c.s.id))
	}
	return protocol.List{ids}, nil
}

func registrationCountCallees(_ *Router, s *session, args protocol.List, _ protocol.Dict) (protocol.List, *metaError) {
	reg, err := registrationArg(s, args)
	if err != nil {
		return nil, err
	}
	return protocol.List{int64(len(reg.callees))}, nil
}

func subscriptionList(_ *Router, s *session, _ protocol.List, _ protocol.Dict) (protocol.List, *metaError) {
	lists := protocol.Dict{protocol.MatchExact: protocol.List{}, protocol.MatchPrefix: protocol.List{}, protocol.MatchWildcard: protocol.List{}}
	for _, sub := range sortedByID(s.realm.subs) {
		lists[sub.match] = append(lists[sub.match].(protocol.List), int64(sub.id))
	}
	return protocol.List{lists}, nil
}

func subscriptionLookup(_ *Router, s *session, args protocol.List, _ protocol.Dict) (protocol.List, *metaError) {
	topic, err := uriArg(args, 0, "topic")
	if err != nil {
		return nil, err
	}
	match, err := lookupOptions(args)
	if err != nil {
		return nil, err
	}
	sub := s.realm.subKeys[matchKey{topic, match}]
	if sub == nil {
		return protocol.List{nil}, nil
	}
	return protocol.List{int64(sub.id)}, nil
}

// subscriptionMatch lists every subscription a publication to the topic
// would be delivered under, or null when there is none.
func subscriptionMatch(_ *Router, s *session, args protocol.List, _ protocol.Dict) (protocol.List, *metaError) {
	topic, err := uriArg(args, 0, "topic")
	if err != nil {
		return nil, err
	}
	subs := s.realm.matchingSubscriptions(topic)
	if len(subs) == 0 {
		return protocol.List{nil}, nil
	}
	ids := protocol.List{}
	for _, sub := range subs {
		ids = append(ids, int64(sub.id))
	}
	return protocol.List{ids}, nil
}

// subscriptionArg finds the subscription named by the first argument.
func subscriptionArg(s *session, args protocol.List) (*subscription, *metaError) {
	id, err := idArg(args, 0, "subscription")
	if err != nil {
		return nil, err
	}
	sub := s.realm.subs[id]
	if sub == nil {
		return nil, &metaError{protocol.URIErrNoSuchSubscription, fmt.Sprintf("no subscription %d in this realm", id)}
	}
	return sub, nil
}

func subscriptionGet(_ *Router, s *session, args protocol.List, _ protocol.Dict) (protocol.List, *metaError) {
	sub, err := subscriptionArg(s, args)
	if err != nil {
		return nil, err
	}
	return protocol.List{sub.details()}, nil
}

func subscriptionListSubscribers(_ *Router, s *session, args protocol.List, _ protocol.Dict) (protocol.List, *metaError) {
	sub, err := subscriptionArg(s, args)
	if err != nil {
		return nil, err
	}
	return protocol.List{sessionIDs(sub.subscribers)}, nil
}

func subscriptionCountSubscribers(_ *Router, s *session, args protocol.List, _ protocol.Dict) (protocol.List, *metaError) {
	sub, err := subscriptionArg(s, args)
	if err != nil {
		return nil, err
	}
	return protocol.List{int64(len(sub.subscribers))}, nil
}
