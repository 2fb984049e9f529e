package meta

import (
	"context"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

// The meta event topics.
const (
	TopicSessionOnJoin             = "wamp.session.on_join"
	TopicSessionOnLeave            = "wamp.session.on_leave"
	TopicRegistrationOnCreate      = "wamp.registration.on_create"
	TopicRegistrationOnRegister    = "wamp.registration.on_register"
	TopicRegistrationOnUnregister  = "wamp.registration.on_unregister"
	TopicRegistrationOnDelete      = "wamp.registration.on_delete"
	TopicSubscriptionOnCreate      = "wamp.subscription.on_create"
	TopicSubscriptionOnSubscribe   = "wamp.subscription.on_subscribe"
	TopicSubscriptionOnUnsubscribe = "wamp.subscription.on_unsubscribe"
	TopicSubscriptionOnDelete      = "wamp.subscription.on_delete"
)

// Handler receives one meta event, decoded. It has the shape of
// client.SubscribeTyped's handlers: an event whose payload is not what the
// spec describes is not passed to it; its *PayloadError (matching
// ErrBadPayload), wrapped with the topic, goes to the client's error
// handler (client.WithErrorHandler) and the log, so that it is not lost
// silently. Handlers run as the client's event handlers do: one at a time
// per subscription, in order, off the session loop.
type Handler[T any] func(ctx context.Context, ev T)

// SessionLeft is a wamp.session.on_leave event. AuthID and AuthRole are
// empty when the router does not send them (fox-wamp sends only the id).
type SessionLeft struct {
	ID       protocol.ID
	AuthID   string
	AuthRole string
}

// RegistrationCreated is a wamp.registration.on_create event.
type RegistrationCreated struct {
	Session      protocol.ID // the session whose REGISTER created it
	Registration Registration
}

// SubscriptionCreated is a wamp.subscription.on_create event.
type SubscriptionCreated struct {
	Session      protocol.ID // the session whose SUBSCRIBE created it
	Subscription Subscription
}

// Change is a session attached to or detached from a registration or a
// subscription (on_register, on_unregister, on_subscribe,
// on_unsubscribe), or the last one leaving a registration or subscription
// that is then deleted (on_delete).
type Change struct {
	Session protocol.ID
	ID      protocol.ID // the registration or subscription
}

// subscribe subscribes h to topic through decode.
func subscribe[T any](ctx context.Context, c *client.Client, topic protocol.URI, decode func(*decoder, *client.Event) T,
	h Handler[T], opts []client.SubscribeOption) (*client.Subscription, error) {
	if h == nil {
		panic("meta: nil handler for " + topic)
	}
	return client.SubscribeDecoded(ctx, c, topic, func(ev *client.Event) (T, error) {
		d := decoder{uri: topic}
		v := decode(&d, ev)
		return v, d.err
	}, h, opts...)
}

// OnJoin subscribes h to wamp.session.on_join. The session details are
// read from the first positional argument, as the spec puts them, or from
// the keyword arguments, where fox-wamp puts them.
func OnJoin(ctx context.Context, c *client.Client, h Handler[Session], opts ...client.SubscribeOption) (*client.Subscription, error) {
	return subscribe(ctx, c, TopicSessionOnJoin, func(d *decoder, ev *client.Event) Session {
		if len(ev.Args) == 0 && ev.Kwargs != nil {
			return d.session("kwargs", ev.Kwargs)
		}
		return d.session("args[0]", d.dict("args[0]", d.arg(ev.Args, 0)))
	}, h, opts)
}

// OnLeave subscribes h to wamp.session.on_leave.
func OnLeave(ctx context.Context, c *client.Client, h Handler[SessionLeft], opts ...client.SubscribeOption) (*client.Subscription, error) {
	return subscribe(ctx, c, TopicSessionOnLeave, func(d *decoder, ev *client.Event) SessionLeft {
		return SessionLeft{
			ID:       d.id("args[0]", d.arg(ev.Args, 0)),
			AuthID:   d.optStringAt(ev.Args, 1),
			AuthRole: d.optStringAt(ev.Args, 2),
		}
	}, h, opts)
}

// change decodes the (session, id) events.
func change(d *decoder, ev *client.Event) Change {
	return Change{Session: d.id("args[0]", d.arg(ev.Args, 0)), ID: d.id("args[1]", d.arg(ev.Args, 1))}
}

// OnRegistrationCreate subscribes h to wamp.registration.on_create.
func OnRegistrationCreate(ctx context.Context, c *client.Client, h Handler[RegistrationCreated], opts ...client.SubscribeOption) (*client.Subscription, error) {
	return subscribe(ctx, c, TopicRegistrationOnCreate, func(d *decoder, ev *client.Event) RegistrationCreated {
		return RegistrationCreated{
			Session:      d.id("args[0]", d.arg(ev.Args, 0)),
			Registration: d.registration("args[1]", d.dict("args[1]", d.arg(ev.Args, 1))),
		}
	}, h, opts)
}

// OnRegister subscribes h to wamp.registration.on_register.
func OnRegister(ctx context.Context, c *client.Client, h Handler[Change], opts ...client.SubscribeOption) (*client.Subscription, error) {
	return subscribe(ctx, c, TopicRegistrationOnRegister, change, h, opts)
}

// OnUnregister subscribes h to wamp.registration.on_unregister.
func OnUnregister(ctx context.Context, c *client.Client, h Handler[Change], opts ...client.SubscribeOption) (*client.Subscription, error) {
	return subscribe(ctx, c, TopicRegistrationOnUnregister, change, h, opts)
}

// OnRegistrationDelete subscribes h to wamp.registration.on_delete.
func OnRegistrationDelete(ctx context.Context, c *client.Client, h Handler[Change], opts ...client.SubscribeOption) (*client.Subscription, error) {
	return subscribe(ctx, c, TopicRegistrationOnDelete, change, h, opts)
}

// OnSubscriptionCreate subscribes h to wamp.subscription.on_create.
func OnSubscriptionCreate(ctx context.Context, c *client.Client, h Handler[SubscriptionCreated], opts ...client.SubscribeOption) (*client.Subscription, error) {
	return subscribe(ctx, c, TopicSubscriptionOnCreate, func(d *decoder, ev *client.Event) SubscriptionCreated {
		return SubscriptionCreated{
			Session:      d.id("args[0]", d.arg(ev.Args, 0)),
			Subscription: d.subscription("args[1]", d.dict("args[1]", d.arg(ev.Args, 1))),
		}
	}, h, opts)
}

// OnSubscribe subscribes h to wamp.subscription.on_subscribe.
func OnSubscribe(ctx context.Context, c *client.Client, h Handler[Change], opts ...client.SubscribeOption) (*client.Subscription, error) {
	return subscribe(ctx, c, TopicSubscriptionOnSubscribe, change, h, opts)
}

// OnUnsubscribe subscribes h to wamp.subscription.on_unsubscribe.
func OnUnsubscribe(ctx context.Context, c *client.Client, h Handler[Change], opts ...client.SubscribeOption) (*client.Subscription, error) {
	return subscribe(ctx, c, TopicSubscriptionOnUnsubscribe, change, h, opts)
}

// OnSubscriptionDelete subscribes h to wamp.subscription.on_delete.
func OnSubscriptionDelete(ctx context.Context, c *client.Client, h Handler[Change], opts ...client.SubscribeOption) (*client.Subscription, error) {
	return subscribe(ctx, c, TopicSubscriptionOnDelete, change, h, opts)
}
