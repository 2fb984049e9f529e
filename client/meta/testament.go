package meta

import (
	"context"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

// The testament meta procedures (advanced/pubsub_testament.md).
const (
	ProcAddTestament    = "wamp.session.add_testament"
	ProcFlushTestaments = "wamp.session.flush_testaments"
)

// Scope says when a testament is published.
type Scope string

const (
	// Destroyed testaments are published when the session ends (the
	// default).
	Destroyed Scope = "destroyed"
	// Detached testaments are published when the session detaches from its
	// transport; routers without session resumption publish them when the
	// session ends, before the destroyed ones.
	Detached Scope = "detached"
)

// TestamentOption configures AddTestament.
type TestamentOption func(protocol.Dict)

// InScope sets the testament's scope (default Destroyed).
func InScope(s Scope) TestamentOption { return func(kw protocol.Dict) { kw["scope"] = string(s) } }

// PublishOptions sets the PUBLISH options the router publishes the
// testament with (exclude, eligible, retain…); the router may ignore some,
// acknowledge for instance.
func PublishOptions(o protocol.Dict) TestamentOption {
	return func(kw protocol.Dict) { kw["publish_options"] = o }
}

// AddTestament asks the router to publish an event to topic with args and
// kwargs when the caller's session is lost or leaves
// (wamp.session.add_testament). Testaments of a scope are published in the
// order they were added.
func AddTestament(ctx context.Context, c *client.Client, topic protocol.URI, args protocol.List, kwargs protocol.Dict, opts ...TestamentOption) error {
	if args == nil {
		args = protocol.List{}
	}
	if kwargs == nil {
		kwargs = protocol.Dict{}
	}
	kw := protocol.Dict{}
	for _, o := range opts {
		o(kw)
	}
	_, err := call(ctx, c, ProcAddTestament, protocol.List{topic, args, kwargs}, kw)
	return err
}

// FlushTestaments removes the caller's testaments of scope (""
// for Destroyed) (wamp.session.flush_testaments).
func FlushTestaments(ctx context.Context, c *client.Client, scope Scope) error {
	if scope == "" {
		scope = Destroyed
	}
	_, err := call(ctx, c, ProcFlushTestaments, nil, protocol.Dict{"scope": string(scope)})
	return err
}
