package wamptest

import (
	"github.com/wampgo/wampgo/protocol"
)

// testament is one event a session asked the router to publish when the
// session is lost or leaves (advanced/pubsub_testament.md).
type testament struct {
	topic   protocol.URI
	payload protocol.Payload
	options protocol.Dict
}

// The testament scopes. The router has no session resumption, so both
// apply when a session ends, detached first.
const (
	scopeDetached  = "detached"
	scopeDestroyed = "destroyed"
)

// testamentScope reads the scope keyword argument (default destroyed).
func testamentScope(kwargs protocol.Dict) (string, *metaError) {
	v, ok := kwargs["scope"]
	if !ok || v == nil {
		return scopeDestroyed, nil
	}
	switch scope, _ := v.(string); scope {
	case scopeDetached, scopeDestroyed:
		return scope, nil
	}
	return "", errArg("scope must be %q or %q", scopeDetached, scopeDestroyed)
}

// addTestament answers wamp.session.add_testament(topic, args, kwargs;
// publish_options, scope).
func addTestament(_ *Router, s *session, args protocol.List, kwargs protocol.Dict) (protocol.List, *metaError) {
	topic, err := uriArg(args, 0, "topic")
	if err != nil {
		return nil, err
	}
	if !protocol.ValidURI(topic, false, false) {
		return nil, &metaError{protocol.URIErrInvalidURI, "topic must be a valid URI"}
	}
	t := testament{topic: topic, options: protocol.Dict{}}
	switch a := argAt(args, 1).(type) {
	case nil:
	case protocol.List:
		t.payload.Args = a
	default:
		return nil, errArg("args must be a list")
	}
	switch kw := argAt(args, 2).(type) {
	case nil:
	case protocol.Dict:
		t.payload.Kwargs = kw
	default:
		return nil, errArg("kwargs must be a dict")
	}
	switch o := kwargs["publish_options"].(type) {
	case nil:
	case protocol.Dict:
		t.options = o
	default:
		return nil, errArg("publish_options must be a dict")
	}
	scope, err := testamentScope(kwargs)
	if err != nil {
		return nil, err
	}
	s.testaments[scope] = append(s.testaments[scope], t)
	return nil, nil
}

// flushTestaments answers wamp.session.flush_testaments(; scope).
func flushTestaments(_ *Router, s *session, _ protocol.List, kwargs protocol.Dict) (protocol.List, *metaError) {
	scope, err := testamentScope(kwargs)
	if err != nil {
		return nil, err
	}
	delete(s.testaments, scope)
	return nil, nil
}

// publishTestaments publishes a leaving session's testaments, detached
// ones first, each scope in the order they were added. Called with r.mu
// held, while s still holds its realm.
func (r *Router) publishTestaments(s *session) {
	for _, scope := range []string{scopeDetached, scopeDestroyed} {
		for _, t := range s.testaments[scope] {
			r.dispatch(s, r.globalID(), t.topic, t.options, t.payload)
		}
	}
	clear(s.testaments)
}
