package meta

import (
	"context"
	"time"

	"github.com/wampgo/wampgo/client"
	"github.com/wampgo/wampgo/protocol"
)

// The subscription meta procedures.
const (
	ProcSubscriptionList             = "wamp.subscription.list"
	ProcSubscriptionLookup           = "wamp.subscription.lookup"
	ProcSubscriptionMatch            = "wamp.subscription.match"
	ProcSubscriptionGet              = "wamp.subscription.get"
	ProcSubscriptionListSubscribers  = "wamp.subscription.list_subscribers"
	ProcSubscriptionCountSubscribers = "wamp.subscription.count_subscribers"
)

// Subscription describes a subscription (wamp.subscription.get,
// wamp.subscription.on_create).
type Subscription struct {
	ID      protocol.ID
	Created time.Time // zero if the router did not say
	URI     protocol.URI
	Match   string // exact, prefix or wildcard
}

func (d *decoder) subscription(path string, m protocol.Dict) Subscription {
	return Subscription{
		ID:      d.id(path+".id", m["id"]),
		Created: d.time(path, m, "created"),
		URI:     d.optString(path, m, "uri"),
		Match:   d.optString(path, m, "match"),
	}
}

// Subscriptions lists the subscriptions of the caller's realm by match
// policy (wamp.subscription.list).
func Subscriptions(ctx context.Context, c *client.Client) (IDLists, error) {
	res, err := call(ctx, c, ProcSubscriptionList, nil, nil)
	if err != nil {
		return IDLists{}, err
	}
	d := decoder{uri: ProcSubscriptionList}
	l := d.idLists("args[0]", d.dict("args[0]", d.arg(res, 0)))
	return l, d.err
}

// LookupSubscription returns the subscription of topic under the match
// policy ("" for exact), and whether there is one
// (wamp.subscription.lookup).
func LookupSubscription(ctx context.Context, c *client.Client, topic protocol.URI, match string) (protocol.ID, bool, error) {
	res, err := call(ctx, c, ProcSubscriptionLookup, matchOptions(topic, match), nil)
	if err != nil {
		return 0, false, err
	}
	d := decoder{uri: ProcSubscriptionLookup}
	id, ok := d.nullableID(res)
	return id, ok && d.err == nil, d.err
}

// MatchSubscriptions returns every subscription a publication to topic
// would be delivered under, whatever their policy; none is an empty list
// (wamp.subscription.match).
func MatchSubscriptions(ctx context.Context, c *client.Client, topic protocol.URI) ([]protocol.ID, error) {
	res, err := call(ctx, c, ProcSubscriptionMatch, protocol.List{topic}, nil)
	if err != nil {
		return nil, err
	}
	d := decoder{uri: ProcSubscriptionMatch}
	v := d.arg(res, 0)
	if v == nil {
		return nil, d.err
	}
	ids := d.ids("args[0]", v)
	return ids, d.err
}

// GetSubscription describes a subscription (wamp.subscription.get). An
// unknown id is an error matching ErrNoSuchSubscription.
func GetSubscription(ctx context.Context, c *client.Client, id protocol.ID) (Subscription, error) {
	res, err := call(ctx, c, ProcSubscriptionGet, protocol.List{int64(id)}, nil)
	if err != nil {
		return Subscription{}, err
	}
	d := decoder{uri: ProcSubscriptionGet}
	sub := d.subscription("args[0]", d.dict("args[0]", d.arg(res, 0)))
	return sub, d.err
}

// Subscribers returns the sessions attached to a subscription
// (wamp.subscription.list_subscribers).
func Subscribers(ctx context.Context, c *client.Client, id protocol.ID) ([]protocol.ID, error) {
	res, err := call(ctx, c, ProcSubscriptionListSubscribers, protocol.List{int64(id)}, nil)
	if err != nil {
		return nil, err
	}
	d := decoder{uri: ProcSubscriptionListSubscribers}
	ids := d.ids("args[0]", d.arg(res, 0))
	return ids, d.err
}

// CountSubscribers returns how many sessions are attached to a
// subscription (wamp.subscription.count_subscribers).
func CountSubscribers(ctx context.Context, c *client.Client, id protocol.ID) (int, error) {
	res, err := call(ctx, c, ProcSubscriptionCountSubscribers, protocol.List{int64(id)}, nil)
	if err != nil {
		return 0, err
	}
	d := decoder{uri: ProcSubscriptionCountSubscribers}
	n := d.count("args[0]", d.arg(res, 0))
	return n, d.err
}
